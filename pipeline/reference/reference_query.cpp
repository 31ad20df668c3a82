#include "pipeline/reference/reference_query.hpp"

#include "pipeline/model/time.hpp"

namespace tickflow::reference {

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
