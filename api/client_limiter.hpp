#pragma once

#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>

namespace tickflow::api {

/// A client's request rate: `requests_per_second` sustained (0 = no limit),
/// up to `burst` at once.
struct client_rate {
  double requests_per_second = 0;
  uint32_t burst = 1;
};

/// What the limiter says about one request.
struct limit_decision {
  bool allowed = true;
  int64_t retry_after_ns = 0; ///< when refused: until one request is allowed
};

/// Per-client token buckets for the REST API. A new client starts with a
/// full bucket; each request takes one token; tokens come back at the
/// client's rate. At most `max_clients` are tracked: beyond that the one
/// idle the longest is forgotten (it starts full when it returns). Pure:
/// time is a parameter.
class client_limiter {
 public:
  explicit client_limiter(size_t max_clients = 10000);

  /// Takes one token from `client`'s bucket at `now_ns`.
  limit_decision acquire(const std::string& client, client_rate rate,
                         int64_t now_ns);

  /// Clients tracked right now.
  size_t tracked() const noexcept { return buckets_.size(); }

 private:
  struct bucket {
    double tokens = 0;
    int64_t last_ns = 0;
    std::list<std::string>::iterator lru; ///< position in lru_
  };

  size_t max_clients_;
  std::unordered_map<std::string, bucket> buckets_;
  std::list<std::string> lru_; ///< most recently used first
};

/// Seconds for a Retry-After header: `ns` rounded up, at least 1.
int64_t retry_after_seconds(int64_t ns) noexcept;

} // namespace tickflow::api
