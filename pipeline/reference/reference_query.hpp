#pragma once

// What a news request is, once checked (api/routes/reference reads it from
//   GET /api/v1/news?symbol=&query=&limit=
// by the rules of every route's query), and the keys and time range the
// reference cache and the providers are asked with. Pure.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tickflow::reference {

/// Items a news answer holds unless limit= says otherwise, and at most.
constexpr size_t default_news_limit = 20;
constexpr size_t max_news_limit = 100;

/// Longest free-text query accepted (characters of the decoded value).
constexpr size_t max_query_chars = 200;

/// A checked news request.
struct news_query {
  std::string instrument; ///< canonical id, "" = market news
  std::string text;       ///< free-text query, "" = none
  size_t limit = default_news_limit;
};

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
