#pragma once

// Settings of the streams area; filled by pipeline/topology/topology_streams.cpp:
//   [streams]           enabled = <provider>, ...     (which live feeds run)
//   [stream.<provider>] url, subscriptions, reconnect, watchdog, backfill, capture
//   [replay]            enabled, files | dir, provider, speed

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.hpp"
#include "pipeline/model/interval.hpp"

namespace tickflow {

/// What one subscription asks for ("BTC-USDT:trades", "BTC-USDT:bars:1m").
enum class stream_topic_kind : uint8_t {
  trades,     ///< "trades": every trade
  agg_trades, ///< "agg-trades": aggregate trades (where the provider has them)
  quotes,     ///< "quotes": top of book
  bars,       ///< "bars:<interval>": live bars
};

/// One configured subscription.
struct stream_topic {
  std::string instrument; ///< canonical id
  stream_topic_kind kind = stream_topic_kind::trades;
  interval span = interval::m1; ///< bars only

  friend bool operator==(const stream_topic& a, const stream_topic& b) {
    return a.instrument == b.instrument && a.kind == b.kind && a.span == b.span;
  }
};

/// [stream.<provider>]: one provider's live WebSocket feed.
struct stream_settings {
  std::string name;        ///< provider name
  std::string url;         ///< ws:// or wss:// base; real hosts only in configs/live.ini
  std::string api_key_env; ///< environment variable holding the key ("" = none)
  std::vector<stream_topic> subscriptions;
  int64_t reconnect_min_ns = 1'000'000'000;   ///< first reconnect delay bound
  int64_t reconnect_max_ns = 60'000'000'000;  ///< cap on the delay
  int64_t stale_after_ns = 30'000'000'000;    ///< silence that means dead; 0 = off
  size_t max_frame_bytes = 1 << 20;           ///< bigger frames: counted, skipped
  int64_t max_connection_age_ns = 0;          ///< reconnect before this; 0 = never
  bool backfill = true;    ///< recover gaps over the provider's REST section
  std::string capture_dir; ///< write raw frames here; "" = off
  std::string ca_file;     ///< wss: trusted CAs (PEM); "" = the system store
};

/// Defaults of [stream.<provider>]: as stream_settings, with the
/// max-connection-age the provider's descriptor gives (a server that cuts
/// connections after 24 h: 23h).
stream_settings stream_defaults(std::string_view provider);

/// [replay] provider when the file does not set it: the first provider with
/// a stream dialect, in id order.
std::string default_replay_provider();

/// How fast [replay] plays captured frames.
enum class replay_pace : uint8_t {
  original,   ///< "original": the recorded gaps between frames
  multiplied, ///< "<N>x": the recorded gaps divided by N
  max,        ///< "max": as fast as the pipeline takes them
};

/// [replay]: a provider that plays capture files through the stream parser.
struct replay_settings {
  bool enabled = false;
  std::vector<std::string> files; ///< capture files, played in this order
  std::string dir;                ///< or: every capture file of `provider` here
  std::string provider = default_replay_provider(); ///< whose dialect the frames are in
  replay_pace pace = replay_pace::original;
  double speed = 1;               ///< multiplied: N
};

/// [streams] and its feeds.
struct streams_settings {
  std::vector<std::string> enabled;            ///< [streams] enabled, in order
  std::map<std::string, stream_settings> feeds; ///< every [stream.*] present
  replay_settings replay;

  /// The enabled feeds' settings, in enabled order.
  std::vector<stream_settings> enabled_feeds() const;
};

/// Parses subscriptions as written in [stream.<name>] subscriptions:
/// "BTC-USDT:trades, ETH-USDT:agg-trades, AAPL:quotes, BTC-USDT:bars:1m"
/// (config_invalid with the problem as context; no repeats).
result<std::vector<stream_topic>> parse_stream_topics(std::string_view text);

/// True for a provider with a live stream dialect.
bool has_stream_dialect(std::string_view provider) noexcept;

} // namespace tickflow
