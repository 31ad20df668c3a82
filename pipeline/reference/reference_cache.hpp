#pragma once

// The gateway's cache of reference answers: profiles (long TTL, they change
// seldom) and merged news lists (short TTL), in one LRU bounded by entries.
// Pure: every time is a parameter; one owner (the gateway actor).

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "pipeline/cache/lru_ttl_cache.hpp"
#include "pipeline/model/reference.hpp"

namespace tickflow::reference {

/// A merged news answer as it is cached.
struct news_answer {
  std::vector<news_item> items;     ///< newest first
  std::vector<std::string> sources; ///< providers that served, in order
  size_t duplicates = 0;            ///< items dropped as the same story
};

/// Profiles and news answers by key (reference_query.hpp makes the keys).
class reference_cache {
 public:
  /// 1000 entries, profiles 24 h, news 5 min (the [reference] defaults).
  reference_cache();

  /// Starts over with these bounds (the cache is emptied).
  void configure(size_t max_entries, int64_t profile_ttl_ns, int64_t news_ttl_ns);

  /// configure() when a bound differs from the current ones, else nothing
  /// (the entries stay): owners call it before each use with the config in
  /// force, so a reloaded config applies.
  void follow(size_t max_entries, int64_t profile_ttl_ns, int64_t news_ttl_ns);

  /// The live profile under `key`, or nullptr.
  const asset_profile* profile(const std::string& key, int64_t now_ns);

  /// The live news answer under `key`, or nullptr.
  const news_answer* news(const std::string& key, int64_t now_ns);

  /// Stores a profile for the profile TTL.
  void put(const std::string& key, asset_profile value, int64_t now_ns);

  /// Stores a news answer for the news TTL.
  void put(const std::string& key, news_answer value, int64_t now_ns);

  /// Entries held (expired ones until they are found or pushed out).
  size_t size() const noexcept { return entries_.size(); }

  const cache::lru_counters& counters() const noexcept { return entries_.counters(); }

 private:
  using entry = std::variant<asset_profile, news_answer>;

  static size_t size_of(const std::string& key, const entry& value);

  cache::lru_ttl_cache<std::string, entry> entries_;
  int64_t profile_ttl_ns_;
  int64_t news_ttl_ns_;
};

} // namespace tickflow::reference
