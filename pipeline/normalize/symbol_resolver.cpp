#include "pipeline/normalize/symbol_resolver.hpp"

#include <algorithm>

#include "pipeline/model/events.hpp"

namespace tickflow {

namespace {

std::string upper(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  return out;
}

bool all_letters(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return c >= 'A' && c <= 'Z';
  });
}

// Polygon's "X:BTCUSD": always a coin pair, so any fiat or known quote at
// the end splits it ("X:FOOUSD" -> "FOO-USD" even for a coin we don't know).
detected_symbol crypto_pair(std::string_view body,
                            const asset_class_overrides& overrides) {
  auto d = detect_symbol(body, overrides);
  std::string_view base, quote;
  if (split_pair(d.canonical, base, quote))
    return d;
  for (size_t len = 5; len >= 3; --len) {
    if (body.size() < len + 2)
      continue;
    auto q = body.substr(body.size() - len);
    if (is_fiat(q) || is_crypto_quote(q)) {
      d.cls = asset_class::crypto;
      d.bare = false;
      d.canonical = std::string{body.substr(0, body.size() - len)} + "-"
                    + std::string{q};
      return d;
    }
  }
  return d;
}

// What an "EXCHANGE:SYMBOL" style prefix tells; the body as the symbol.
detected_symbol with_prefix(std::string_view prefix, std::string_view body,
                            const asset_class_overrides& overrides) {
  if (prefix == "X") // Polygon crypto
    return crypto_pair(body, overrides);
  // "C:EURUSD" (Polygon forex), "BINANCE:BTCUSDT", "NASDAQ:AAPL": the
  // venue names no other instrument than the body does.
  return detect_symbol(body, overrides);
}

} // namespace

symbol_resolver::symbol_resolver(std::vector<std::string> known,
                                 default_quotes quotes,
                                 asset_class_overrides overrides)
  : known_(std::move(known)),
    quotes_(std::move(quotes)),
    overrides_(std::move(overrides)) {
  std::sort(known_.begin(), known_.end());
  known_.erase(std::unique(known_.begin(), known_.end()), known_.end());
}

resolved_symbol symbol_resolver::resolve(std::string_view symbol) const {
  resolved_symbol out;
  auto s = upper(symbol);
  if (!is_canonical_instrument(s))
    return out; // invalid
  detected_symbol d;
  auto colon = s.find(':');
  auto body = colon == std::string::npos
                ? std::string_view{}
                : std::string_view{s}.substr(colon + 1);
  if (colon != std::string::npos && all_letters(std::string_view{s}.substr(0, colon))
      && !body.empty() && body.find(':') == std::string_view::npos
      && std::string_view{s}.substr(0, colon) != "I") // "I:SPX": kept as written
    d = with_prefix(std::string_view{s}.substr(0, colon), body, overrides_);
  else
    d = detect_symbol(s, overrides_);
  out.cls = d.cls;
  out.bare = d.bare;
  out.canonical = std::move(d.canonical);
  if (out.bare) {
    auto q = std::find_if(quotes_.begin(), quotes_.end(),
                          [&](auto& x) { return x.first == out.cls; });
    if (q != quotes_.end()) {
      out.canonical += '-';
      out.canonical += q->second;
      out.bare = false;
    } else {
      std::string_view base, quote;
      for (auto& id : known_)
        if (split_pair(id, base, quote) && base == out.canonical)
          out.candidates.push_back(id);
      if (out.candidates.size() == 1) {
        out.canonical = std::move(out.candidates.front());
        out.candidates.clear();
        out.bare = false;
      } else if (out.candidates.size() > 1) {
        out.status = resolve_status::ambiguous;
        return out;
      }
    }
  }
  out.status = is_canonical_instrument(out.canonical) ? resolve_status::ok
                                                      : resolve_status::invalid;
  return out;
}

const symbol_resolver& shape_resolver() {
  static const symbol_resolver r;
  return r;
}

} // namespace tickflow
