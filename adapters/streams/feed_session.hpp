#pragma once

// One live WebSocket connection's life cycle, without sockets, timers or
// actors: connect, send the dialect's on-open frames and subscriptions
// through the pacer, parse frames, drop what was already passed on, watch
// for silence, reconnect with full-jitter backoff (or at once when planned:
// stale, max-connection-age), report feed statuses, and recover gaps over
// REST page by page. Events come in as calls with the time as a parameter;
// what to do comes out as feed_actions (take_actions) and as the events to
// pass on (take_events). actors/stream_provider_actor carries them out.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "adapters/common/rest_adapter.hpp"
#include "adapters/streams/feed_continuity.hpp"
#include "adapters/streams/feed_plan.hpp"
#include "pipeline/model/reports.hpp"
#include "adapters/streams/stream_protocol.hpp"
#include "pipeline/flow/feed_watchdog.hpp"
#include "pipeline/flow/jitter_backoff.hpp"
#include "pipeline/flow/send_pacer.hpp"
#include "pipeline/topology/streams_settings.hpp"

namespace tickflow {

// -- actions -----------------------------------------------------------------------

namespace feed {

/// Open a new connection to `url` (its generation from now on). `secrets`
/// must never appear in a log line (redact_secrets).
struct open {
  uint64_t generation = 0;
  std::string url;
  std::vector<std::string> secrets;
};

/// Send a text frame on the current connection.
struct send {
  std::string text;
};

/// Start a close handshake on the current connection (on_closed follows).
struct close {
  uint16_t code = 1000;
  std::string reason;
};

/// The current connection is gone: release (join) it.
struct drop {};

/// What a timer is for.
enum class timer : uint8_t {
  connect, ///< on_connect_due(generation)
  pace,    ///< on_pace(now)
  watch,   ///< on_watch(now)
  age,     ///< on_age(generation)
  settle,  ///< on_settle(generation, now)
  retry,   ///< on_backfill_retry(ticket)
};

/// Call back after `delay_ns`.
struct wake {
  timer what = timer::connect;
  int64_t delay_ns = 0;
  uint64_t generation = 0; ///< connect, age, settle
  uint64_t ticket = 0;     ///< retry
};

/// Ask the provider's REST actor for a backfill page; hand the answer to
/// on_backfill_page / on_backfill_failed with `ticket`.
struct fetch {
  uint64_t ticket = 0;
  fetch_request request;
};

/// A log line (the connection's name is not in `text`).
struct note {
  enum class level : uint8_t { debug, info, warn, error };
  level severity = level::info;
  std::string text;
  bool throttled = false; ///< one of a possible flood: rate-limit it
};

} // namespace feed

using feed_action = std::variant<feed::open, feed::send, feed::close, feed::drop,
                                 feed::wake, feed::fetch, feed::note>;

// -- the session -------------------------------------------------------------------

/// Counters for the stage's stage_stats (events_out is the owner's).
struct feed_totals {
  uint64_t batches_in = 0; ///< frames that carried events
  uint64_t events_in = 0;  ///< live and recovered events, before dropping
  uint64_t rejected = 0;   ///< malformed frames
  uint64_t dropped = 0;    ///< events dropped: the pipeline was too far behind
};

class feed_session {
 public:
  /// Events gathered while the owner cannot pass them on; beyond this
  /// trim_pending() drops market events (statuses never).
  static constexpr size_t max_pending_events = 100'000;
  /// How long after a reconnect the missed range is closed at the latest
  /// when no data arrives sooner (a quiet feed).
  static constexpr int64_t settle_delay_ns = 2'000'000'000;
  /// Added to the end of a reconnect gap: the provider's clock may run
  /// behind ours. Overlap costs nothing: passed events are dropped.
  static constexpr int64_t clock_margin_ns = 2'000'000'000;
  /// Attempts per backfill page before the gap is reported as lost.
  static constexpr int backfill_attempts = 3;
  /// Pages of one gap asked at most (a longer gap is recovered in part).
  static constexpr int backfill_max_pages = 200;

  /// `proto` is the connection's dialect (not null); `can_backfill`: a REST
  /// actor answers fetch actions and the feed's backfill is on.
  feed_session(std::unique_ptr<stream_protocol> proto, stream_connection_spec spec,
               credentials cred, bool can_backfill);

  // -- events in --------------------------------------------------------------------

  /// Starts: the first connection, and the watchdog's timer.
  void start();
  /// A connect timer fired.
  void on_connect_due(uint64_t generation);
  /// The connection of `generation` is open.
  void on_opened(uint64_t generation, int64_t now_ns);
  /// A text frame (its receive time is the session's now).
  void on_frame(uint64_t generation, std::string_view text, int64_t recv_ns);
  /// A binary frame, or a text frame over max-frame-bytes: skipped.
  void on_binary(uint64_t generation, size_t bytes, int64_t now_ns);
  void on_oversize(uint64_t generation, size_t bytes, int64_t now_ns);
  /// A ping or pong: the link is alive.
  void on_alive(uint64_t generation, int64_t at_ns);
  /// The connection of `generation` is gone (or never opened).
  void on_closed(uint64_t generation, const std::string& why, int64_t now_ns);
  /// Timers (feed::wake).
  void on_pace(int64_t now_ns);
  void on_watch(int64_t now_ns);
  void on_age(uint64_t generation);
  void on_settle(uint64_t generation, int64_t now_ns);
  void on_backfill_retry(uint64_t ticket);
  /// The answer to a fetch action.
  void on_backfill_page(uint64_t ticket, fetch_result page, int64_t now_ns);
  void on_backfill_failed(uint64_t ticket, const std::string& why, int64_t retry_after_ns);

  /// Adds or removes subscriptions given in the config syntax
  /// ("ETH-USDT:trades, ..."); sends the method messages when connected,
  /// keeps them for reconnects. The new subscription count, or
  /// errc::invalid_argument (a bad topic, one the dialect cannot stream, or
  /// more than the connection may hold; context says which).
  result<uint64_t> change_subscriptions(std::string_view topics, bool add, int64_t now_ns);

  // -- results ----------------------------------------------------------------------

  /// What to do now, in order; empties the list.
  std::vector<feed_action> take_actions();

  /// Events and statuses to pass on (gathered since the last take_events).
  const event_batch& pending() const noexcept { return pending_; }
  event_batch take_events();
  /// The owner cannot pass events on: beyond max_pending_events, drops the
  /// newest market events (order and statuses kept); how many.
  size_t trim_pending();

  /// True if `generation` is the current connection's (news from older
  /// ones is ignored).
  bool current(uint64_t generation) const noexcept { return generation == generation_; }

  const stream_protocol& protocol() const noexcept { return *proto_; }
  const std::string& connection() const noexcept { return spec_.connection; }
  const stream_settings& settings() const noexcept { return spec_.settings; }
  stream_health health() const;
  const feed_totals& totals() const noexcept { return totals_; }

 private:
  enum class phase : uint8_t { idle, connecting, up, waiting };

  /// A gap being recovered: its request, attempt and page.
  struct backfill_job {
    feed_gap gap;
    int attempt = 1;
    int page = 1;
    fetch_request request;
  };

  void act(feed_action a) { actions_.push_back(std::move(a)); }
  void log(feed::note::level l, std::string text, bool throttled = false);
  feed_status status(feed_state s, int64_t gap_start, int64_t gap_end,
                     std::string reason, int64_t now_ns) const;
  void emit(feed_status s);
  void connect();
  void pump(int64_t now_ns);
  void lost(const std::string& why, int64_t now_ns);
  void close_reconnect_gap(int64_t up_ns);
  void on_gaps(std::vector<feed_gap> gaps);
  void request_backfill(feed_gap gap, int attempt, int page);
  std::optional<int64_t> next_page_start(const fetch_request& req,
                                         const fetch_result& page, int64_t to_ns) const;
  int64_t watch_period_ns() const noexcept;

  std::unique_ptr<stream_protocol> proto_;
  stream_connection_spec spec_;
  credentials cred_;
  bool can_backfill_;
  std::vector<stream_subscription> subs_;

  // The connection.
  uint64_t generation_ = 0; ///< of the transport, or of the connect attempt scheduled
  phase now_ = phase::idle;
  bool ever_connected_ = false;
  bool planned_ = false;       ///< closing on purpose: reconnect at once
  bool data_since_open_ = false;
  int64_t down_since_ns_ = 0;  ///< gap start: last sign of life before the loss
  bool gap_open_ = false;      ///< a reconnect gap waits for data to close it
  jitter_backoff backoff_;
  feed_watchdog watchdog_;
  bool degraded_ = false;
  bool refused_ = false; ///< the provider refused the key: shown until it accepts

  // Outgoing frames, paced.
  std::optional<send_pacer> pacer_;
  std::deque<std::string> outbox_;
  int64_t head_slot_ns_ = 0; ///< reserved send time of outbox_.front(); 0: none
  bool pace_armed_ = false;
  uint64_t next_id_ = 1;

  // Gaps and what goes downstream.
  feed_continuity continuity_;
  std::map<uint64_t, backfill_job> backfills_; ///< by ticket
  uint64_t next_ticket_ = 0;
  event_batch pending_;

  std::vector<feed_action> actions_;
  stream_health health_;
  feed_totals totals_;
};

} // namespace tickflow
