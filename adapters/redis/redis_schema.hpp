#pragma once

// The Redis key schema of the cache (docs/STORAGE.md) and a pure builder
// that turns a batch of already-rendered JSON events into Redis commands.
// Nothing here talks to a server; redis_client sends what this builds.
//
//   <prefix>:price:<instrument>           string, JSON of the latest price, EX
//   <prefix>:ticker:<instrument>          string, JSON of the latest quote, EX
//   <prefix>:bars:<interval>:<instrument> sorted set, member = bar JSON,
//                                         score = open time in ms, capped
//                                         to max_bars newest, EXPIRE
//   <prefix>:instruments                  sorted set, member = instrument,
//                                         score = last update ts in ms
//   <prefix>:events:<instrument>          PUBLISH channel,
//                                         {"type":"<kind>","data":<json>}
//                                         ("origin":"<node id>" before data
//                                         when cache_settings::origin is set)

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.hpp"
#include "pipeline/model/interval.hpp"

namespace tickflow::redis {

/// One Redis command as its argument vector ({"SET", key, value, ...}).
/// Arguments are binary safe.
using command = std::vector<std::string>;

/// What an entry updates.
enum class entry_kind : uint8_t {
  price,  ///< latest price: SET <prefix>:price:<instrument> + index + publish
  ticker, ///< latest quote: SET <prefix>:ticker:<instrument> + index + publish
  bar,    ///< recent bars: capped sorted set per (interval, instrument)
  trade,  ///< trades are not cached: publish only
  status, ///< a feed status change (instrument: the provider's name): streams only
  quarantine, ///< an event a validator quarantined (api quality_json): streams only
};

/// "price", "ticker", "bar", "trade", "status", "quarantine" (also the "type" of published
/// messages and stream events).
std::string_view to_string(entry_kind kind) noexcept;

/// One event to cache, rendered by the caller (api/event_json or any other
/// JSON renderer), so this library does not depend on the api layer.
struct cache_entry {
  entry_kind kind = entry_kind::price;
  std::string instrument;         ///< canonical id; also part of key names
  interval span = interval::m1;   ///< bars only
  int64_t ts_ns = 0;              ///< event time; a bar's open time
  std::string json;               ///< the event as one JSON value
};

/// Cache settings. A TTL of 0 means "no expiry".
struct cache_settings {
  /// First part of every key and channel ("tickflow").
  std::string prefix = "tickflow";
  /// Lifetime of <prefix>:price:* keys, in seconds.
  int64_t price_ttl_s = 24 * 3600;
  /// Lifetime of <prefix>:ticker:* keys, in seconds.
  int64_t ticker_ttl_s = 24 * 3600;
  /// Lifetime of a bar series after its last update, in seconds.
  int64_t bars_ttl_s = 7 * 24 * 3600;
  /// Bars kept per (interval, instrument): the newest by open time.
  size_t max_bars = 1000;
  /// PUBLISH every entry on <prefix>:events:<instrument>.
  bool publish = true;
  /// This node's id ([cluster] node-id), tagged on every PUBLISH payload so
  /// a subscribing node skips what it published itself; "" = untagged.
  /// 1 to 64 of A-Z, a-z, 0-9, '_', '-', '.'.
  std::string origin;
  /// Wrap the batch in MULTI/EXEC, so readers never see a bar series between
  /// the removal of a replaced member and the ZADD of its successor.
  bool atomic = true;
};

/// Checks the settings: a non-empty prefix without spaces, TTLs >= 0,
/// max_bars >= 1. errc::config_invalid names the bad setting.
result<void> validate(const cache_settings& s);

// -- key names ----------------------------------------------------------------

/// "<prefix>:price:<instrument>".
std::string price_key(const cache_settings& s, std::string_view instrument);

/// "<prefix>:ticker:<instrument>".
std::string ticker_key(const cache_settings& s, std::string_view instrument);

/// "<prefix>:bars:<interval>:<instrument>", e.g. "tickflow:bars:1m:BTC-USDT".
std::string bars_key(const cache_settings& s, interval span,
                     std::string_view instrument);

/// "<prefix>:instruments".
std::string instruments_key(const cache_settings& s);

/// "<prefix>:events:<instrument>".
std::string events_channel(const cache_settings& s,
                           std::string_view instrument);

/// Sorted-set score of a timestamp: floor(ts_ns / 1e6), i.e. ms, which a
/// double holds exactly (ns would not: 2^53 ns is only 104 days).
int64_t score_ms(int64_t ts_ns) noexcept;

/// The PUBLISH payload of an entry: {"type":"<kind>","data":<json>}, or
/// {"type":"<kind>","origin":"<origin>","data":<json>} with an origin
/// (decoded by redis_events_decode.hpp).
std::string publish_payload(entry_kind kind, std::string_view json,
                            std::string_view origin = {});

// -- write path ---------------------------------------------------------------

/// Commands for one batch, plus what was left out.
struct command_batch {
  std::vector<command> commands;
  size_t entries = 0; ///< entries turned into commands
  size_t skipped = 0; ///< entries dropped: bad instrument or empty JSON
  std::string first_skip_reason; ///< why the first skipped entry was dropped
};

/// Builds the commands that apply `entries` in order:
/// - price / ticker: one SET key json [EX ttl] per instrument, the last
///   entry of the batch wins (earlier ones are only published);
/// - bar: ZREMRANGEBYSCORE key s s + ZADD key s json per entry (so a new
///   version of the same open time replaces the old member), then once per
///   series ZREMRANGEBYRANK key 0 -(max_bars+1) and EXPIRE key ttl;
/// - price / ticker / bar: ZADD <prefix>:instruments GT ts_ms instrument
///   (one per instrument, highest ts);
/// - every entry, when s.publish: PUBLISH <prefix>:events:<instrument>
///   {"type":"<kind>","data":<json>}, in input order.
/// With s.atomic the list is wrapped in MULTI ... EXEC. An entry whose
/// instrument is not canonical (is_canonical_instrument) or whose JSON is
/// empty is skipped and counted: bad data is dropped, not thrown. Invalid
/// settings return errc::config_invalid. An empty batch yields no commands.
result<command_batch> build_commands(const std::vector<cache_entry>& entries,
                                     const cache_settings& s);

// -- read path ----------------------------------------------------------------

/// GET <prefix>:price:<instrument>.
command get_price_command(const cache_settings& s, std::string_view instrument);

/// GET <prefix>:ticker:<instrument>.
command get_ticker_command(const cache_settings& s,
                           std::string_view instrument);

/// ZRANGE key -count -1: the newest `count` bars, oldest first.
command recent_bars_command(const cache_settings& s, interval span,
                            std::string_view instrument, size_t count);

/// ZRANGE key start_ms end_ms BYSCORE [LIMIT 0 limit]: bars whose open time
/// is in [start_ns, end_ns), oldest first; limit 0 = no limit.
command bars_between_command(const cache_settings& s, interval span,
                             std::string_view instrument, int64_t start_ns,
                             int64_t end_ns, size_t limit);

/// ZRANGE <prefix>:instruments 0 -1: every instrument with cached data.
command instruments_command(const cache_settings& s);

} // namespace tickflow::redis
