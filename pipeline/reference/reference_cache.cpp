#include "pipeline/reference/reference_cache.hpp"

#include <limits>
#include <utility>

namespace tickflow::reference {

namespace {

constexpr size_t default_entries = 1000;
constexpr int64_t default_profile_ttl_ns = 24 * 3600 * 1'000'000'000LL;
constexpr int64_t default_news_ttl_ns = 5 * 60 * 1'000'000'000LL;

// Bounded by entries only: the byte bound is set out of reach.
constexpr size_t no_byte_bound = std::numeric_limits<size_t>::max();

} // namespace

size_t reference_cache::size_of(const std::string& key, const entry& value) {
  size_t n = key.size() + sizeof(entry);
  if (auto* p = std::get_if<asset_profile>(&value))
    n += p->description.size() + p->name.size();
  else if (auto* a = std::get_if<news_answer>(&value))
    for (auto& x : a->items)
      n += sizeof(news_item) + x.title.size() + x.summary.size() + x.url.size();
  return n;
}

reference_cache::reference_cache()
    : entries_(default_entries, no_byte_bound, &reference_cache::size_of),
      profile_ttl_ns_(default_profile_ttl_ns),
      news_ttl_ns_(default_news_ttl_ns) {
  // nop
}

void reference_cache::configure(size_t max_entries, int64_t profile_ttl_ns,
                                int64_t news_ttl_ns) {
  entries_ = cache::lru_ttl_cache<std::string, entry>(max_entries, no_byte_bound,
                                                      &reference_cache::size_of);
  profile_ttl_ns_ = profile_ttl_ns;
  news_ttl_ns_ = news_ttl_ns;
}

void reference_cache::follow(size_t max_entries, int64_t profile_ttl_ns,
                             int64_t news_ttl_ns) {
  if (max_entries != entries_.max_entries() || profile_ttl_ns != profile_ttl_ns_
      || news_ttl_ns != news_ttl_ns_)
    configure(max_entries, profile_ttl_ns, news_ttl_ns);
}

const asset_profile* reference_cache::profile(const std::string& key, int64_t now_ns) {
  auto* v = entries_.get(key, now_ns);
  return v ? std::get_if<asset_profile>(v) : nullptr;
}

const news_answer* reference_cache::news(const std::string& key, int64_t now_ns) {
  auto* v = entries_.get(key, now_ns);
  return v ? std::get_if<news_answer>(v) : nullptr;
}

void reference_cache::put(const std::string& key, asset_profile value, int64_t now_ns) {
  entries_.put(key, entry{std::move(value)}, now_ns, profile_ttl_ns_);
}

void reference_cache::put(const std::string& key, news_answer value, int64_t now_ns) {
  entries_.put(key, entry{std::move(value)}, now_ns, news_ttl_ns_);
}

} // namespace tickflow::reference
