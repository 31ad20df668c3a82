#pragma once

// What the reference routes are asked, checked before any provider is:
//   GET /api/v1/fundamentals/{symbol}
//   GET /api/v1/news?symbol=&query=&limit=
// Rules shared with the data routes: surrounding blanks are ignored, an
// empty value is an absent one, symbols are upper-cased and must then be
// canonical ids. Pure.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace tickflow::reference {

/// Items a news answer holds unless limit= says otherwise, and at most.
constexpr size_t default_news_limit = 20;
constexpr size_t max_news_limit = 100;

/// Longest free-text query accepted (characters of the decoded value).
constexpr size_t max_query_chars = 200;

/// A parameter the caller got wrong: the route answers 400 with it.
struct param_problem {
  std::string field;   ///< "symbol", "query", "limit"
  std::string message; ///< what is wrong, for the caller
  bool missing = false; ///< absent (missing_parameter), else invalid
};

/// A checked news request.
struct news_query {
  std::string instrument; ///< canonical id, "" = market news
  std::string text;       ///< free-text query, "" = none
  size_t limit = default_news_limit;
};

/// The canonical id of a symbol as typed ("aapl " -> "AAPL");
/// param_problem{"symbol"} when it is empty (missing) or not canonical.
std::variant<std::string, param_problem> parse_symbol(std::string_view text);

/// symbol (optional, canonical), query (optional, at most max_query_chars,
/// no control characters) and limit (optional, an integer in
/// 1..max_news_limit, default default_news_limit). Neither symbol nor query:
/// market news.
std::variant<news_query, param_problem> parse_news_query(std::string_view symbol,
                                                         std::string_view query,
                                                         std::string_view limit);

/// The cache key of a news request ("news|AAPL|20|iphone"); the key of a
/// profile is "profile|" + the instrument (profile_cache_key).
std::string news_cache_key(const news_query& q);
std::string profile_cache_key(std::string_view instrument);

/// The time range news is asked for when it ends at `now_ns` and looks back
/// `lookback_ns`: the end is rounded down to the minute, so requests within
/// one minute are the same request (the scheduler joins them).
struct news_window {
  int64_t start_ns = 0;
  int64_t end_ns = 0;
};
news_window news_window_at(int64_t now_ns, int64_t lookback_ns) noexcept;

} // namespace tickflow::reference
