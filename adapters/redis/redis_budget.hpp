#pragma once

// Shared rate budgets in Redis: several tickflow processes draw on one
// budget per provider key, so together they stay under the provider's
// limits. Each grant is one atomic Lua script (EVALSHA) running the same
// rolling-window rule as pipeline/ratelimit/rate_limiter.hpp over a sorted
// set: one member per unit of weight, scored by when it counts from.
// A granted call is held at "now + hold" (counted in every window while in
// flight) until complete() restamps it with its completion time; a process
// that dies mid-call leaves members that expire on their own. Times come
// from the Redis server's clock (TIME), so the processes' clocks do not
// matter.
//
// Keys (prefix from [scheduler] key-prefix), one Redis Cluster hash slot per
// budget owner (the {provider:key} hash tag), as each script names all three:
//   <prefix>:budget:{<provider>:<key>}      sorted set, the log of every window
//   <prefix>:budget-seq:{<provider>:<key>}  grant ids
//   <prefix>:ban:{<provider>:<key>}         present (with a TTL) while banned
// (Before issue 24 the keys had no braces; see docs/SCALING.md.)

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/redis/redis_client.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::redis {

/// One rolling window of the shared budget.
struct budget_window {
  int64_t window_ms = 0;
  uint64_t limit = 0;
};

/// The answer to a grant.
struct budget_grant {
  bool granted = false;
  uint64_t id = 0;      ///< granted: hand it to complete()
  int64_t wait_ms = 0;  ///< refused: the earliest a retry can succeed
  bool banned = false;  ///< refused because the provider key is banned
  bool held = false;    ///< refused by calls still in flight (they may finish sooner)
};

/// Whose budget: a provider and the name of its key ("public" when none).
struct budget_owner {
  std::string provider;
  std::string key;
};

class redis_budget {
 public:
  /// Connects lazily to `opts`; keys start with `prefix`.
  redis_budget(client_options opts, std::string prefix);

  /// Takes `weight` from every window if all have room and no ban is on.
  /// `hold_ms` bounds how long the call counts as in flight.
  result<budget_grant> grant(const budget_owner& who, uint64_t weight,
                             int64_t hold_ms,
                             const std::vector<budget_window>& windows);

  /// Grant `id` of `weight` completed now: it counts until now + window.
  result<void> complete(const budget_owner& who, uint64_t id, uint64_t weight);

  /// No grant for `who` for `ms` (a longer ban already on is kept).
  result<void> ban(const budget_owner& who, int64_t ms);

  /// The provider reports `used` weight in its window of `window_ms`:
  /// counts at least that much there from now.
  result<void> observe_used(const budget_owner& who, int64_t window_ms,
                            uint64_t used);

  /// Weight counted now in the window of `window_ms`.
  result<uint64_t> used(const budget_owner& who, int64_t window_ms);

  /// The sorted set of `who` (for tests and operators).
  std::string log_key(const budget_owner& who) const;

 private:
  enum script : size_t { grant_script, complete_script, ban_script, observe_script, used_script };

  // EVALSHA of `which`; loads it first (and again after NOSCRIPT).
  result<reply> run(script which, std::vector<std::string> keys,
                    std::vector<std::string> args);

  std::string key(std::string_view kind, const budget_owner& who) const;

  redis_client client_;
  std::string prefix_;
  std::array<std::string, 5> sha_;
};

} // namespace tickflow::redis
