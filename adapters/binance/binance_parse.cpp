#include "adapters/binance/binance_parse.hpp"

#include <rapidjson/error/en.h>

#include <limits>
#include <string>
#include <utility>

#include "adapters/binance/binance_provider.hpp"
#include "adapters/common/json_reader.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::binance {

namespace {

// Largest Unix ms whose ns value fits in int64 (year 2262).
constexpr int64_t max_ms = std::numeric_limits<int64_t>::max() / ns_per_ms;

// ms -> ns for a wire time; nullopt when negative or too large.
std::optional<int64_t> ms_to_ns(int64_t ms) noexcept {
  if (ms < 0 || ms > max_ms)
    return std::nullopt;
  return ms * ns_per_ms;
}

// Reads the positional fields of one kline row and remembers the first
// problem, like json::reader does for objects.
class row_reader {
 public:
  row_reader(const rapidjson::Value& row, size_t index)
      : row_(row), index_(index) {
    // nop
  }

  // A time in ms at `j`, as ns.
  int64_t time_ns(size_t j) {
    if (err_)
      return 0;
    const auto& v = row_[static_cast<rapidjson::SizeType>(j)];
    if (!v.IsInt64()) {
      fail(j, "expected an integer ms time");
      return 0;
    }
    auto ns = ms_to_ns(v.GetInt64());
    if (!ns) {
      fail(j, "time out of range: " + std::to_string(v.GetInt64()));
      return 0;
    }
    return *ns;
  }

  // A decimal string at `j`.
  decimal number(size_t j) {
    if (err_)
      return {};
    const auto& v = row_[static_cast<rapidjson::SizeType>(j)];
    if (!v.IsString()) {
      fail(j, "expected a decimal string");
      return {};
    }
    auto x = decimal::parse({v.GetString(), v.GetStringLength()});
    if (!x) {
      fail(j, x.err().context);
      return {};
    }
    return *x;
  }

  // A non-negative integer at `j`.
  uint64_t count(size_t j) {
    if (err_)
      return 0;
    const auto& v = row_[static_cast<rapidjson::SizeType>(j)];
    if (!v.IsUint64()) {
      fail(j, "expected a non-negative integer");
      return 0;
    }
    return v.GetUint64();
  }

  explicit operator bool() const noexcept { return !err_.has_value(); }

  const error& err() const& { return *err_; }

 private:
  void fail(size_t j, std::string_view problem) {
    err_ = error{errc::bad_number, "klines[" + std::to_string(index_) + "]["
                                     + std::to_string(j) + "]: "
                                     + std::string{problem}};
  }

  const rapidjson::Value& row_;
  size_t index_;
  std::optional<error> err_;
};

// The "symbol" of a single-symbol reply must be the one asked for.
result<void> check_symbol(json::reader& in, std::string_view symbol) {
  auto got = in.string("symbol");
  if (!in)
    return in.err();
  if (got != symbol)
    return error{errc::malformed, "symbol: expected " + std::string{symbol}
                                    + ", got " + std::string{got}};
  return {};
}

} // namespace

result<void> parse_json(std::string_view body, rapidjson::Document& doc) {
  // Iterative: deeply nested garbage ("[[[[...") cannot exhaust the stack.
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (!doc.HasParseError())
    return {};
  return error{errc::malformed,
               std::string{"not JSON: "}
                 + rapidjson::GetParseError_En(doc.GetParseError())
                 + " at offset " + std::to_string(doc.GetErrorOffset())};
}

std::optional<fetch_error> parse_error_body(const rapidjson::Value& doc,
                                            const http_reply& reply,
                                            int64_t now_ns) {
  if (!doc.IsObject())
    return std::nullopt;
  auto code = doc.FindMember("code");
  auto msg = doc.FindMember("msg");
  if (code == doc.MemberEnd() || msg == doc.MemberEnd()
      || !code->value.IsInt64() || !msg->value.IsString())
    return std::nullopt;
  auto n = code->value.GetInt64();
  fetch_error out;
  out.message.assign(msg->value.GetString(), msg->value.GetStringLength());
  out.message += " (code " + std::to_string(n) + ")";
  switch (n) {
    case -1121: // Invalid symbol.
      out.code = errc::unknown_symbol;
      break;
    case -1003: // Too many requests / too much request weight used.
      out.code = errc::rate_limited;
      out.retry_after_ns = retry_after_of(reply, now_ns);
      break;
    case -2014: // API-key format invalid.
    case -2015: // Invalid API-key, IP, or permissions for action.
      out.code = errc::unauthorized;
      break;
    default:
      out.code = errc::provider_error;
  }
  // A ban or limit reported by status only keeps its Retry-After too.
  if (out.code != errc::rate_limited
      && (reply.status == 429 || reply.status == 418)) {
    out.code = errc::rate_limited;
    out.retry_after_ns = retry_after_of(reply, now_ns);
  }
  return out;
}

result<std::vector<bar>> parse_klines(const rapidjson::Value& rows,
                                      std::string_view instrument,
                                      std::string_view symbol, interval span,
                                      int64_t recv_ns) {
  if (!rows.IsArray())
    return error{errc::malformed, "klines: expected an array"};
  std::vector<bar> out;
  out.reserve(rows.Size());
  size_t i = 0;
  for (const auto& row : rows.GetArray()) {
    if (!row.IsArray() || row.Size() < 9)
      return error{errc::malformed, "klines[" + std::to_string(i)
                                      + "]: expected an array of 9+ fields"};
    row_reader in{row, i};
    bar x;
    x.instrument = instrument;
    x.provider_symbol = symbol;
    x.source = providers::binance;
    x.span = span;
    x.open_time_ns = in.time_ns(0);
    x.open = in.number(1);
    x.high = in.number(2);
    x.low = in.number(3);
    x.close = in.number(4);
    x.volume = in.number(5);
    auto close_time_ns = in.time_ns(6); // the bar's last ms
    x.trade_count = in.count(8);
    if (!in)
      return in.err();
    x.closed = recv_ns - ns_per_ms >= close_time_ns; // past its last ms
    x.ts_recv_ns = recv_ns;
    out.push_back(std::move(x));
    ++i;
  }
  return out;
}

result<price> parse_ticker_price(const rapidjson::Value& obj,
                                 std::string_view instrument,
                                 std::string_view symbol, int64_t recv_ns) {
  json::reader in{obj};
  if (auto ok = check_symbol(in, symbol); !ok)
    return ok.err();
  price x;
  x.instrument = instrument;
  x.source = providers::binance;
  x.ts_recv_ns = recv_ns;
  if (in.has("price")) {
    // ticker/price carries no time: stamped on arrival.
    x.value = in.decimal_from_string("price");
    x.ts_event_ns = recv_ns;
  } else {
    // ticker/24hr: the last trade of the window.
    x.value = in.decimal_from_string("lastPrice");
    auto close_ms = in.int64("closeTime");
    auto last_id = in.int64("lastId");
    if (!in)
      return in.err();
    auto ts = ms_to_ns(close_ms);
    if (!ts)
      return error{errc::bad_number,
                   "closeTime: out of range: " + std::to_string(close_ms)};
    x.ts_event_ns = *ts;
    if (last_id >= 0) // -1 when the window had no trade
      x.trade_id = std::to_string(last_id);
  }
  if (!in)
    return in.err();
  return x;
}

result<std::vector<price>>
parse_ticker_price_list(const rapidjson::Value& rows,
                        const symbol_mapper& symbols, int64_t recv_ns) {
  if (!rows.IsArray())
    return error{errc::malformed, "expected an array"};
  std::vector<price> out;
  out.reserve(rows.Size());
  size_t i = 0;
  for (const auto& row : rows.GetArray()) {
    auto at = "[" + std::to_string(i++) + "]";
    if (!row.IsObject())
      return error{errc::malformed, at + ": not an object"};
    json::reader in{row};
    auto symbol = in.string("symbol");
    auto value = in.decimal_from_string("price");
    if (!in)
      return error{in.err().code, at + "." + in.err().context};
    auto instrument = symbols.to_canonical(symbol);
    if (instrument.empty())
      continue;
    price x;
    x.instrument = std::move(instrument);
    x.source = providers::binance;
    x.value = value;
    x.ts_event_ns = recv_ns;
    x.ts_recv_ns = recv_ns;
    out.push_back(std::move(x));
  }
  return out;
}

result<quote> parse_ticker_24hr_quote(const rapidjson::Value& obj,
                                      std::string_view instrument,
                                      std::string_view symbol,
                                      int64_t recv_ns) {
  json::reader in{obj};
  if (auto ok = check_symbol(in, symbol); !ok)
    return ok.err();
  quote x;
  x.instrument = instrument;
  x.provider_symbol = symbol;
  x.source = providers::binance;
  x.bid_price = in.decimal_from_string("bidPrice");
  x.bid_size = in.decimal_from_string("bidQty");
  x.ask_price = in.decimal_from_string("askPrice");
  x.ask_size = in.decimal_from_string("askQty");
  auto close_ms = in.int64("closeTime");
  if (!in)
    return in.err();
  auto ts = ms_to_ns(close_ms);
  if (!ts)
    return error{errc::bad_number,
                 "closeTime: out of range: " + std::to_string(close_ms)};
  x.ts_event_ns = *ts;
  x.ts_recv_ns = recv_ns;
  return x;
}

namespace {

// The fields of one trade, by the names the endpoint uses.
struct trade_fields {
  const char* id;
  const char* price;
  const char* size;
  const char* time;
  const char* buyer_maker;
  const char* id_prefix;
};

constexpr trade_fields agg_fields{"a", "p", "q", "T", "m", "a"};
constexpr trade_fields raw_fields{"id", "price", "qty", "time",
                                  "isBuyerMaker", ""};

result<trade> read_trade(const rapidjson::Value& obj, const trade_fields& f,
                         std::string_view instrument, std::string_view symbol,
                         int64_t recv_ns) {
  if (!obj.IsObject())
    return error{errc::malformed, "not an object"};
  json::reader in{obj};
  trade x;
  x.instrument = instrument;
  x.provider_symbol = symbol;
  x.source = providers::binance;
  auto id = in.int64(f.id);
  x.price = in.decimal_from_string(f.price);
  x.size = in.decimal_from_string(f.size);
  auto ms = in.int64(f.time);
  x.aggressor = in.boolean(f.buyer_maker) ? side::sell : side::buy;
  if (!in)
    return in.err();
  auto ts = ms_to_ns(ms);
  if (!ts)
    return error{errc::bad_number, std::string{f.time} + ": out of range: "
                                     + std::to_string(ms)};
  x.trade_id = f.id_prefix + std::to_string(id);
  x.ts_event_ns = *ts;
  x.ts_recv_ns = recv_ns;
  return x;
}

} // namespace

result<trade> parse_agg_trade(const rapidjson::Value& obj,
                              std::string_view instrument,
                              std::string_view symbol, int64_t recv_ns) {
  return read_trade(obj, agg_fields, instrument, symbol, recv_ns);
}

result<std::vector<trade>> parse_trades(const rapidjson::Value& rows,
                                        bool aggregated,
                                        std::string_view instrument,
                                        std::string_view symbol,
                                        int64_t start_ns, int64_t end_ns,
                                        int64_t recv_ns) {
  if (!rows.IsArray())
    return error{errc::malformed, "trades: expected an array"};
  const auto& fields = aggregated ? agg_fields : raw_fields;
  std::vector<trade> out;
  out.reserve(rows.Size());
  size_t i = 0;
  for (const auto& row : rows.GetArray()) {
    auto x = read_trade(row, fields, instrument, symbol, recv_ns);
    if (!x)
      return error{x.err().code,
                   "[" + std::to_string(i) + "]." + x.err().context};
    ++i;
    if ((start_ns > 0 && x->ts_event_ns < start_ns)
        || (end_ns > 0 && x->ts_event_ns > end_ns))
      continue;
    out.push_back(std::move(*x));
  }
  return out;
}

} // namespace tickflow::binance
