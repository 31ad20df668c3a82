#pragma once

// POST /api/v1/data/batch (many lookups in one call) and POST
// /api/v1/prefetch (warm the cache at low priority): the bodies they take
// and give. A batch item is answered by the GET route of its type, so its
// errors are that route's; the collector gathers the items' answers, which
// may come from any thread, into one body.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/http_types.hpp"
#include "pipeline/model/interval.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow::api {

// -- batch ----------------------------------------------------------------------

/// One item of a batch: what was asked, and the GET request its type stands
/// for (or the error to answer for it).
struct batch_entry {
  std::string symbol;
  std::string type; ///< price (default) or ohlcv
  std::variant<http_request, http_response> request;
};

/// The items of POST /api/v1/data/batch:
///   {"items":[{"symbol":"BTC-USDT","type":"price"},
///             {"symbol":"ETH-USDT","type":"ohlcv","interval":"1m","limit":10}]}
/// Each item becomes GET /api/v1/data/<type> with its fields as the query,
/// and the headers and peer of `call` (its key and address count). The body
/// refused as a whole (400 invalid_body): not an object, no items array, 0
/// or more than `max_items` items.
std::variant<std::vector<batch_entry>, http_response>
parse_batch(const http_request& call, size_t max_items);

/// Gathers the answers of every item; the last one answers the request:
///   200 {"count":2,"results":[{"index":0,..,"status":200,"data":{...}},
///                             {"index":1,..,"status":404,"error":{...}}],"errors":1}
/// The items' answers held together are bounded by `max_bytes`: past it the
/// answers are dropped as they arrive and the batch answers 413
/// response_too_large, so a batch never holds much more than the bound
/// (measured before: ten unread 100-item ohlcv batches held 300-390 MiB).
class batch_collector : public std::enable_shared_from_this<batch_collector> {
public:
  /// A collector for `entries` (their labels are kept) answering `reply`.
  static std::shared_ptr<batch_collector> make(const std::vector<batch_entry>& entries,
                                               responder reply,
                                               size_t max_bytes = SIZE_MAX);

  /// The responder of item `i`: answers it once; dropped unanswered, it
  /// answers 500 so the batch still completes. Callable from any thread.
  responder item(size_t i);

  /// True once the answers held passed the byte bound: the batch will
  /// answer 413 whatever the remaining items say.
  bool overflowed() const noexcept { return overflow_.load(std::memory_order_relaxed); }

private:
  struct slot {
    std::string symbol;
    std::string type;
    http_response answer;
  };

  void set(size_t i, http_response r);
  void finish();

  std::mutex mutex_;
  std::vector<slot> items_;
  size_t pending_ = 0;
  size_t held_bytes_ = 0;
  size_t max_bytes_ = SIZE_MAX;
  std::atomic<bool> overflow_{false};
  responder reply_;
};

// -- prefetch -------------------------------------------------------------------

/// POST /api/v1/prefetch:
///   {"symbols":["BTC-USDT","AAPL"],"types":["price","ohlcv"],"interval":"1m","limit":100}
struct prefetch_request {
  std::vector<std::string> symbols; ///< upper-cased as sent ("" when not a string)
  std::vector<std::string> types{"price"}; ///< price and/or ohlcv, each once
  interval span = interval::m1;
  size_t limit = 100;
};

/// The body, checked (400 invalid_body naming the field).
std::variant<prefetch_request, http_response>
parse_prefetch(const std::string& body, size_t max_items);

/// What became of one (symbol, type) pair of a prefetch.
struct prefetch_item {
  std::string symbol;
  std::string type;
  std::string_view status; ///< queued, live, skipped or invalid
  std::string_view reason; ///< why not queued
};

/// Sorts every (symbol, type) pair: invalid (not a canonical id), live
/// (the simulator streams it), skipped (`can_fetch` says no REST provider
/// serves it) or queued.
std::vector<prefetch_item> plan_prefetch(const prefetch_request& req,
                                         const topology& topo,
                                         const std::function<bool(const std::string&)>& can_fetch);

/// 202 {"queued":n,"items":[{"symbol":..,"type":..,"status":..,"reason":..}]}.
http_response prefetch_body(const std::vector<prefetch_item>& items);

/// Prefetches by outcome, for /status and /metrics.
struct prefetch_counters {
  uint64_t queued = 0;
  uint64_t done = 0;
  uint64_t failed = 0;
};

} // namespace tickflow::api
