#include "pipeline/reference/reference_query.hpp"

#include <charconv>

#include "pipeline/model/events.hpp"
#include "pipeline/model/text.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::reference {

namespace {

param_problem invalid(std::string field, std::string message) {
  return param_problem{std::move(field), std::move(message), false};
}

} // namespace

std::variant<std::string, param_problem> parse_symbol(std::string_view text) {
  text = trim_space(text);
  if (text.empty())
    return param_problem{"symbol", "missing required parameter 'symbol'", true};
  std::string id{text};
  for (auto& c : id)
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  if (!is_canonical_instrument(id))
    return invalid("symbol", "'symbol' must be an instrument id such as AAPL or "
                             "BTC-USD (1-32 of A-Z, 0-9, '-', '.', '=', '_', '/', ':')");
  return id;
}

std::variant<news_query, param_problem> parse_news_query(std::string_view symbol,
                                                         std::string_view query,
                                                         std::string_view limit) {
  news_query q;
  if (!trim_space(symbol).empty()) {
    auto s = parse_symbol(symbol);
    if (auto* p = std::get_if<param_problem>(&s))
      return std::move(*p);
    q.instrument = std::move(std::get<std::string>(s));
  }
  query = trim_space(query);
  if (query.size() > max_query_chars)
    return invalid("query", "'query' must be at most " + std::to_string(max_query_chars)
                              + " characters");
  for (char c : query)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return invalid("query", "'query' must not contain control characters");
  q.text = std::string{query};
  limit = trim_space(limit);
  if (!limit.empty()) {
    size_t n = 0;
    auto [end, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), n);
    if (ec != std::errc{} || end != limit.data() + limit.size() || n < 1
        || n > max_news_limit)
      return invalid("limit", "'limit' must be an integer from 1 to "
                                + std::to_string(max_news_limit));
    q.limit = n;
  }
  return q;
}

std::string news_cache_key(const news_query& q) {
  // '|' cannot occur in an instrument id; the text comes last, so a '|' in
  // it cannot make two requests share a key.
  return "news|" + q.instrument + "|" + std::to_string(q.limit) + "|" + q.text;
}

std::string profile_cache_key(std::string_view instrument) {
  return "profile|" + std::string{instrument};
}

news_window news_window_at(int64_t now_ns, int64_t lookback_ns) noexcept {
  constexpr int64_t minute_ns = 60 * ns_per_s;
  news_window w;
  w.end_ns = now_ns - now_ns % minute_ns;
  w.start_ns = w.end_ns > lookback_ns ? w.end_ns - lookback_ns : 0;
  return w;
}

} // namespace tickflow::reference
