#include "pipeline/broadcast/channel.hpp"

#include <algorithm>

#include "pipeline/indicators/indicator_spec.hpp"
#include "pipeline/normalize/symbol_resolver.hpp"

namespace tickflow::broadcast {

namespace {

/// Longest piece of client input echoed back in an error context.
constexpr size_t max_echo_bytes = 64;

std::string_view kind_name(channel_kind kind) noexcept {
  switch (kind) {
    case channel_kind::trades:
      return "trades";
    case channel_kind::quotes:
      return "quotes";
    case channel_kind::bars:
      return "bars";
    case channel_kind::status:
      return "status";
    case channel_kind::indicator:
      return "ind";
    case channel_kind::book:
      return "book";
    case channel_kind::book_top:
      return "book_top";
  }
  return "trades";
}

std::string join_channel(std::string_view kind, std::string_view rest) {
  std::string out;
  out.reserve(kind.size() + 1 + rest.size());
  out.append(kind.data(), kind.size());
  out += ':';
  out.append(rest.data(), rest.size());
  return out;
}

} // namespace

std::string echo_input(std::string_view text) {
  std::string out;
  auto n = std::min(text.size(), max_echo_bytes);
  out.reserve(n + 3);
  for (size_t i = 0; i < n; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    out += c < 0x80 ? static_cast<char>(c) : '?';
  }
  if (text.size() > n)
    out += "...";
  return out;
}

// -- channels -----------------------------------------------------------------

std::string channel::name() const {
  if (kind == channel_kind::indicator) {
    std::string out{"ind:"};
    out += indicator;
    out += ':';
    out += to_string(span);
    out += ':';
    out += instrument;
    return out;
  }
  if (kind == channel_kind::bars) {
    std::string out{"bars:"};
    out += to_string(span);
    out += ':';
    out += instrument;
    return out;
  }
  if (kind == channel_kind::book && depth != default_book_depth)
    return join_channel("book", instrument) + ':' + std::to_string(depth);
  return join_channel(kind_name(kind), instrument);
}

result<channel> parse_channel(std::string_view name) {
  if (name.empty())
    return error{errc::invalid_argument, "empty channel name"};
  auto colon = name.find(':');
  if (colon == std::string_view::npos)
    return error{errc::invalid_argument,
                 "channel needs kind:instrument: " + echo_input(name)};
  auto kind = name.substr(0, colon);
  auto rest = name.substr(colon + 1);
  channel out;
  if (kind == "trades") {
    out.kind = channel_kind::trades;
  } else if (kind == "quotes") {
    out.kind = channel_kind::quotes;
  } else if (kind == "book" || kind == "book_top") {
    out.kind = kind == "book" ? channel_kind::book : channel_kind::book_top;
    // book:<ID>:<depth>: a last segment of digits is the depth (ids such
    // as "BINANCE:BTCUSDT" hold a colon too, but never end in digits alone).
    auto last = rest.rfind(':');
    if (last != std::string_view::npos && out.kind == channel_kind::book) {
      auto digits = rest.substr(last + 1);
      bool numeric = !digits.empty() && digits.size() <= 4
                     && std::all_of(digits.begin(), digits.end(),
                                    [](char c) { return c >= '0' && c <= '9'; });
      if (numeric) {
        auto n = static_cast<size_t>(std::stoul(std::string{digits}));
        if (n < 1 || n > max_book_depth)
          return error{errc::invalid_argument,
                       "book depth must be from 1 to "
                         + std::to_string(max_book_depth) + ": " + echo_input(digits)};
        out.depth = n;
        rest = rest.substr(0, last);
      }
    }
  } else if (kind == "status") {
    out.kind = channel_kind::status;
    if (rest != "*" && !provider_from_string(rest))
      return error{errc::invalid_argument, "unknown provider: " + echo_input(rest)};
    out.instrument = std::string{rest};
    return out;
  } else if (kind == "bars" || kind == "ind") {
    out.kind = kind == "bars" ? channel_kind::bars : channel_kind::indicator;
    if (out.kind == channel_kind::indicator) {
      // ind:<name>:<interval>:<instrument>; the name's period is bounded by
      // [indicators] max-period where the channel is served.
      auto end = rest.find(':');
      auto spec = indicators::parse_indicator(
        rest.substr(0, end), 0, indicators::period_ceiling);
      if (end == std::string_view::npos || !spec)
        return error{errc::invalid_argument,
                     spec ? "ind channel needs ind:name:interval:instrument: "
                              + echo_input(name)
                          : spec.err().context};
      out.indicator = spec->name();
      rest = rest.substr(end + 1);
    }
    auto next = rest.find(':');
    if (next == std::string_view::npos)
      return error{errc::invalid_argument,
                   std::string{kind} + " channel needs " + std::string{kind}
                     + (kind == "ind" ? ":name" : "")
                     + ":interval:instrument: " + echo_input(name)};
    auto span = parse_interval(rest.substr(0, next));
    if (!span)
      return error{errc::invalid_argument,
                   "unknown interval: " + echo_input(rest.substr(0, next))};
    out.span = *span;
    rest = rest.substr(next + 1);
  } else {
    return error{errc::invalid_argument,
                 "unknown channel kind: " + echo_input(kind)};
  }
  // "trades:btcusdt" and "trades:BINANCE:BTCUSDT" are "trades:BTC-USDT".
  auto id = shape_resolver().resolve(rest);
  if (id.status != resolve_status::ok)
    return error{errc::invalid_argument,
                 "not a canonical instrument id: " + echo_input(rest)};
  out.instrument = std::move(id.canonical);
  return out;
}

std::string channel_of(const trade& x) {
  return join_channel("trades", x.instrument);
}

std::string channel_of(const quote& x) {
  return join_channel("quotes", x.instrument);
}

std::string channel_of(const feed_status& x) {
  return join_channel("status", to_string(x.source));
}

std::string channel_of(const bar& x) {
  std::string out{"bars:"};
  out += to_string(x.span);
  out += ':';
  out += x.instrument;
  return out;
}

} // namespace tickflow::broadcast
