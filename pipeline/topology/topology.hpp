#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/book/book_store.hpp"
#include "pipeline/model/decimal.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/interval.hpp"
#include "pipeline/providers/provider_info.hpp"
#include "pipeline/topology/access_settings.hpp"
#include "pipeline/topology/cluster_settings.hpp"
#include "pipeline/topology/jobs_settings.hpp"
#include "pipeline/topology/redis_url.hpp"
#include "pipeline/topology/instruments_settings.hpp"
#include "pipeline/topology/reference_settings.hpp"
#include "pipeline/topology/indicators_settings.hpp"
#include "pipeline/topology/scheduler_settings.hpp"
#include "pipeline/topology/streams_settings.hpp"
#include "pipeline/validate/validation_settings.hpp"

namespace tickflow {

/// What a full link between two pipeline stages does at its source.
enum class overflow_policy : uint8_t {
  block, ///< the source pauses until the pipeline catches up
  drop,  ///< the source drops the batch and counts it
};

/// [log]
struct log_settings {
  std::string level = "info"; ///< trace, debug, info, warn, error, critical, off
  bool json = false;          ///< format = json: one JSON object per line
};

/// What an idle CAF worker does. poll (CAF's default): spin, then look for
/// work every 50 us for 25 ms, then sleep; a batch is picked up within
/// microseconds, at the cost of ~20,000 wake-ups/s per idle worker. sleep:
/// spin, then sleep until work is handed to it from outside the scheduler,
/// looking for work to steal every 1 ms: about a third of the CPU at 10,000
/// events/s, with a longer latency tail (docs/PERFORMANCE.md).
enum class idle_policy : uint8_t { poll, sleep };

/// [actors]: the CAF scheduler.
struct actor_settings {
  size_t threads = 2; ///< CAF worker threads
  idle_policy idle = idle_policy::poll; ///< idle-workers
};

/// [gateway]: REST over HTTP/1.1 with keep-alive.
struct gateway_settings {
  std::string bind = "127.0.0.1";
  uint16_t port = 8003;
  size_t max_connections = 1024;
  int64_t request_timeout_ns = 5'000'000'000; ///< time to answer one request
  int64_t idle_timeout_ns = 60'000'000'000;   ///< keep-alive idle limit
  size_t max_header_bytes = 8192;
  size_t max_body_bytes = 1 << 20;
  // Memory bounds (pipeline/topology/topology_limits.cpp).
  size_t max_read_buffer_bytes = 65536;   ///< request bytes held unparsed (431/413)
  size_t max_response_bytes = 16 << 20;   ///< one connection's unsent answer (413)
  uint64_t max_unsent_bytes = 256 << 20;  ///< all connections' unsent answers (503)
  /// Resident bytes of the whole process past which new requests and
  /// WebSocket upgrades get 503 (0: no budget).
  uint64_t max_memory_bytes = uint64_t{2} << 30;
};

/// [broadcaster]: WebSocket server for live events.
struct broadcaster_settings {
  std::string bind = "127.0.0.1";
  uint16_t port = 8004;
  std::string path = "/api/v1/stream";
  size_t max_clients = 1000;
  size_t max_message_bytes = 65536;     ///< biggest client frame accepted
  size_t client_queue_bytes = 4 << 20;  ///< a client's backlog before it is closed (1008)
  size_t max_channels_per_client = 256;
  size_t conflate_bytes = 256 << 10;    ///< unsent bytes before a client's updates are conflated
  int64_t conflate_interval_ns = 100'000'000;    ///< how often conflated updates go out
  size_t max_queued_bytes = 256 << 20;  ///< all clients' backlogs together
  int64_t heartbeat_interval_ns = 15'000'000'000; ///< heartbeat to idle clients, WebSocket ping
  int64_t idle_timeout_ns = 60'000'000'000;       ///< nothing heard (not even a pong): closed
  size_t snapshot_bars = 100;           ///< bars in the snapshot of a bars channel
  size_t max_control_frames = 128;      ///< a client's queued pongs before 1008
  size_t max_instruments = 100'000;     ///< instruments remembered for subscribe checks
};

/// [pipeline]: links between stages.
struct pipeline_settings {
  size_t queue_bound = 64; ///< batches in flight per link before backpressure
  overflow_policy overflow = overflow_policy::block;
};

/// [validator] and [validator.<rule>]
struct validator_settings {
  size_t count = 2; ///< validator actors; events are sharded by instrument
  int64_t health_interval_ns = 10'000'000'000; ///< stale-symbol checks, alert windows
  validation_settings rules; ///< rules, thresholds, quarantine, quality
};

/// [alerts]: where high-severity findings are POSTed as JSON.
struct alert_sink_settings {
  std::vector<std::string> urls; ///< http(s) URLs; empty: alerts are only logged
  int64_t timeout_ns = 5'000'000'000;
};

/// [cache]: the in-process L1 (an LRU with a TTL per entry) of the read
/// path: latest prices and bar series, from the live pipeline and from
/// read-through fills (Redis, Postgres, providers).
struct cache_settings {
  size_t max_instruments = 10000;    ///< instruments known at once
  size_t max_bars_per_series = 1000; ///< per (instrument, interval)
  size_t max_entries = 100000;       ///< L1 entries (prices + bar series)
  uint64_t max_bytes = 256ull << 20; ///< L1 bytes (estimated)
  int64_t ttl_price_ns = 60'000'000'000;  ///< a price entry after its last update
  int64_t ttl_bars_ns = 300'000'000'000;  ///< a bar series after its last update
  int64_t redis_timeout_ns = 250'000'000; ///< Redis reads: connect and I/O timeout
  size_t recent_trades = 256; ///< trades kept per instrument for /data/trades (0: none)
};

/// [supervisor]
struct supervisor_settings {
  int64_t restart_backoff_min_ns = 100'000'000;   ///< first restart delay
  int64_t restart_backoff_max_ns = 30'000'000'000; ///< cap on the delay
  int64_t restart_reset_after_ns = 60'000'000'000; ///< healthy this long: delay resets
  /// Bound on a graceful stop (SIGTERM/SIGINT): providers stop, a drain
  /// marker passes every stage, the writers flush, then everything exits.
  int64_t stop_timeout_ns = 20'000'000'000;
};

/// One simulated instrument.
struct simulated_symbol {
  std::string instrument; ///< canonical id
  decimal start_price;
};

/// [simulator]: the random-walk provider of the embedded default.
struct simulator_settings {
  std::vector<simulated_symbol> symbols;
  decimal tick_size = decimal::from_parts(1, 2);  ///< price grid (0.01)
  decimal lot_size = decimal::from_parts(1, 3);   ///< size grid (0.001)
  uint32_t max_lots = 1000;          ///< trade size is 1..max_lots lots
  uint32_t max_step_ticks = 5;       ///< a trade moves the price by -n..n ticks
  double trades_per_second = 20;     ///< per symbol
  uint64_t seed = 42;
  std::vector<interval> bar_intervals{interval::s1, interval::m1};
  int64_t timer_ns = 10'000'000;     ///< how often the actor emits a batch
  /// Emit a quote (top of book around the last trade) per symbol that
  /// traded, once per batch: GET /api/v1/data/quote and quotes:<ID>.
  bool quotes = true;
};

/// One REST provider: its section is named after it ([<provider>]).
struct rest_provider_settings {
  std::string name;        ///< provider name, as in [providers] enabled
  std::string base_url;    ///< "http://127.0.0.1:9001"; real hosts only in configs/live.ini
  std::string api_key_env; ///< environment variable holding the key ("" = none)
  int64_t timeout_ns = 10'000'000'000;        ///< whole request
  int64_t connect_timeout_ns = 3'000'000'000; ///< TCP (+TLS) connect
  size_t max_body_bytes = 8 << 20;            ///< bigger answers are refused
  /// canonical id -> provider symbol, before the built-in mapping
  std::vector<std::pair<std::string, std::string>> symbol_overrides;
};

/// What a writer's bounded journal does when it is full.
enum class journal_full_policy : uint8_t {
  reject_new,  ///< the new batch is not journaled (counted as dropped)
  drop_oldest, ///< the oldest journaled batches are deleted (counted)
};

/// When a writer's journal reaches the disk.
enum class journal_fsync_policy : uint8_t {
  always,   ///< fdatasync after every append
  interval, ///< once per flush-interval
  never,    ///< left to the OS
};

/// [redis]: the cache writer (latest prices, tickers, recent bars, PUBLISH).
struct redis_settings {
  bool enabled = false;
  std::string host = "127.0.0.1";
  uint16_t port = 6379;
  int64_t connect_timeout_ns = 1'000'000'000;
  int64_t ttl_price_ns = 24 * 3600 * 1'000'000'000LL;   ///< price and ticker keys; 0 = none
  int64_t ttl_bars_ns = 7 * 24 * 3600 * 1'000'000'000LL; ///< a bar series after its last update; 0 = none
  size_t max_bars = 1000;               ///< bars kept per (interval, instrument)
  std::string key_prefix = "tickflow";  ///< first part of every key and channel
  std::string journal_dir = "var/journal/redis"; ///< relative to the working directory
  uint64_t journal_max_bytes = 64ull << 20;
  journal_full_policy journal_policy = journal_full_policy::drop_oldest;
  uint32_t streams = 4;                 ///< event streams <prefix>:stream:<n>, by instrument hash
  uint64_t stream_retention = 100'000;  ///< MAXLEN ~ per stream (entries = batches)
  bool publish = false;                 ///< also PUBLISH each event (external consumers)
  std::string username;                 ///< AUTH user (ACL); "" = default user
  std::string password;                 ///< AUTH on every connection; "" = none. Never logged
  std::string password_env;             ///< environment variable holding the password ("" = none)
  uint32_t db = 0;                      ///< SELECT on every connection
  /// Redis Sentinel: ask these for the primary of `master_name` on every
  /// connect (then host and port are unused). Empty = connect directly.
  std::vector<redis_endpoint> sentinels;
  std::string master_name;              ///< [redis] master-name (with sentinels)
  /// Environment variable holding the sentinels' own password (their
  /// requirepass; "" = sentinels are asked without AUTH). Never logged.
  std::string sentinel_password_env;
};

/// [storage]: the PostgreSQL writer (closed bars and trades).
struct storage_settings {
  bool enabled = false;
  /// libpq conninfo (key=value or postgresql:// URI), without a password.
  std::string dsn = "host=127.0.0.1 port=5432 dbname=tickflow user=tickflow";
  /// Environment variable holding the password ("" = none).
  std::string dsn_env;
  size_t batch_size = 1000;                    ///< events per flush
  int64_t flush_interval_ns = 1'000'000'000;   ///< flush at least this often
  int64_t retention_ns = 0;                    ///< delete older rows; 0 = off
  std::string journal_dir = "var/journal/storage"; ///< relative to the working directory
  uint64_t journal_max_bytes = 256ull << 20;
  journal_full_policy journal_policy = journal_full_policy::reject_new;
  journal_fsync_policy fsync = journal_fsync_policy::interval;
};

/// True for the name of a provider with a REST dialect.
bool is_rest_provider(std::string_view name) noexcept;

/// The whole effective configuration: which actors exist and how they behave.
struct topology {
  log_settings log;
  actor_settings actors;
  gateway_settings gateway;
  broadcaster_settings broadcaster;
  pipeline_settings pipeline;
  validator_settings validator;
  alert_sink_settings alerts;
  cache_settings cache;
  supervisor_settings supervisor;
  /// [providers] enabled
  std::vector<std::string> providers = default_enabled_providers();
  simulator_settings simulator;
  /// Settings of every REST provider section present, by name.
  std::map<std::string, rest_provider_settings> rest_providers;
  redis_settings redis;
  storage_settings storage;
  streams_settings streams;     ///< live WebSocket feeds, capture, replay
  scheduler_settings scheduler; ///< provider budgets, priorities, failover
  access_settings access;       ///< API keys, admin token, webhooks, client limits
  jobs_settings jobs;           ///< scheduled jobs and watchlists
  reference_settings reference; ///< fundamentals and news
  instruments_settings instruments; ///< the providers' reference lists
  indicators_settings indicators; ///< technical indicators
  cluster_settings cluster;     ///< node id, Redis pub/sub between nodes
  book::store_settings books;   ///< [books]: order books kept and served

  /// The enabled REST providers' settings, in [providers] enabled order.
  std::vector<rest_provider_settings> enabled_rest_providers() const;
};

/// Parses INI text (the format of configs/*.ini) into a validated topology.
/// `source` names the text in errors (a path or "<embedded default>").
/// Any problem is errc::config_invalid with a one-line context of the form
///   "<source>:<line>: <section>.<key>: <problem>"
/// (line omitted when the problem is not tied to a line). Unknown sections
/// and keys are errors, so typos never pass silently.
result<topology> load_topology(std::string_view ini_text,
                               std::string_view source);

/// The embedded default (configs/default.ini compiled into the binary).
std::string_view default_config_text() noexcept;

} // namespace tickflow
