#include "actors/stream_provider_actor.hpp"
#include "actors/scheduler_actor.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <memory>
#include <optional>
#include <thread>

#include "actors/clock.hpp"
#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/capture/capture_file.hpp"
#include "adapters/streams/feed_continuity.hpp"
#include "adapters/streams/stream_protocol.hpp"
#include "adapters/streams/ws_transport.hpp"
#include "pipeline/flow/feed_watchdog.hpp"
#include "pipeline/flow/jitter_backoff.hpp"
#include "pipeline/flow/send_pacer.hpp"

namespace tickflow {

namespace {

// Messages of a stream actor to itself (I/O callbacks and timers). Each
// carries the generation of the transport it is about, so news from a
// connection that was already replaced is ignored.
using connect_atom = caf::atom_constant<caf::atom("sconnect")>;
using opened_atom = caf::atom_constant<caf::atom("sopened")>;
using frame_atom = caf::atom_constant<caf::atom("sframe")>;
using binary_atom = caf::atom_constant<caf::atom("sbinary")>;
using oversize_atom = caf::atom_constant<caf::atom("soversize")>;
using alive_atom = caf::atom_constant<caf::atom("salive")>;
using closed_atom = caf::atom_constant<caf::atom("sclosed")>;
using pace_atom = caf::atom_constant<caf::atom("space")>;
using watch_atom = caf::atom_constant<caf::atom("swatch")>;
using age_atom = caf::atom_constant<caf::atom("sage")>;
using settle_atom = caf::atom_constant<caf::atom("ssettle")>;
using backfill_atom = caf::atom_constant<caf::atom("sbackfill")>;

/// Events gathered while the link to the normalizer is full; beyond this
/// market events are dropped (statuses never are).
constexpr size_t max_pending_events = 100'000;
/// How long after a reconnect the missed range is closed at the latest when
/// no data arrives sooner (a quiet feed).
constexpr auto settle_delay = std::chrono::seconds{2};
/// Added to the end of a reconnect gap: the provider's clock may run behind
/// ours. Overlap costs nothing: already passed events are dropped.
constexpr int64_t clock_margin_ns = 2'000'000'000;
/// Attempts per backfill before the gap is reported as lost.
constexpr int backfill_attempts = 3;
/// Text frames posted to the actor and not yet handled, beyond which the
/// transport's thread waits before reading on (TCP backpressure): without
/// it a pipeline that falls behind grows this actor's mailbox without
/// bound (200 MB in a minute at 20,000 frames/s, tests/chaos). A wait ends
/// after inbox_wait_limit at the latest, so closing a connection never
/// waits on the actor.
constexpr int64_t max_inbox_frames = 10'000;
constexpr auto inbox_wait_limit = std::chrono::milliseconds{250};
/// Pages of one gap asked at most (a gap longer than this many full
/// answers is recovered in part, and the rest reported).
constexpr int backfill_max_pages = 200;
constexpr auto backfill_timeout = std::chrono::seconds{30};

stream_kind kind_of(stream_topic_kind k) {
  switch (k) {
    case stream_topic_kind::trades:
      return stream_kind::trades;
    case stream_topic_kind::agg_trades:
      return stream_kind::agg_trades;
    case stream_topic_kind::quotes:
      return stream_kind::quotes;
    case stream_topic_kind::bars:
      return stream_kind::bars;
  }
  return stream_kind::trades;
}

stream_subscription subscription_of(const stream_topic& t) {
  return stream_subscription{t.instrument, kind_of(t.kind), t.span};
}

stream_topic topic_of(const stream_subscription& s) {
  stream_topic t;
  t.instrument = s.instrument;
  t.span = s.span;
  switch (s.kind) {
    case stream_kind::trades:
      t.kind = stream_topic_kind::trades;
      break;
    case stream_kind::agg_trades:
      t.kind = stream_topic_kind::agg_trades;
      break;
    case stream_kind::quotes:
      t.kind = stream_topic_kind::quotes;
      break;
    case stream_kind::bars:
      t.kind = stream_topic_kind::bars;
      break;
  }
  return t;
}

adapter_options options_for(const topology& topo, const std::string& provider) {
  adapter_options opts;
  if (auto i = topo.rest_providers.find(provider); i != topo.rest_providers.end())
    opts.symbol_overrides = i->second.symbol_overrides;
  return opts;
}

std::string seconds_text(int64_t ns) {
  return std::to_string(ns / 1'000'000'000) + "."
         + std::to_string((ns / 100'000'000) % 10) + "s";
}

void append(event_batch& into, event_batch&& from) {
  auto move_all = [](auto& dst, auto& src) {
    if (dst.empty())
      dst = std::move(src);
    else
      for (auto& x : src)
        dst.push_back(std::move(x));
  };
  move_all(into.trades, from.trades);
  move_all(into.quotes, from.quotes);
  move_all(into.bars, from.bars);
  move_all(into.statuses, from.statuses);
}

/// Keeps what falls inside the gap: a REST answer may reach further back
/// (Binance /api/v3/trades returns the newest trades), and what came before
/// the subscription is no part of this feed.
void clip_to_gap(event_batch& b, int64_t from_ns, int64_t to_ns) {
  auto outside = [&](int64_t t) { return t < from_ns || t > to_ns; };
  b.trades.erase(std::remove_if(b.trades.begin(), b.trades.end(),
                                [&](const trade& x) { return outside(x.ts_event_ns); }),
                 b.trades.end());
  b.quotes.erase(std::remove_if(b.quotes.begin(), b.quotes.end(),
                                [&](const quote& x) { return outside(x.ts_event_ns); }),
                 b.quotes.end());
  b.bars.erase(std::remove_if(b.bars.begin(), b.bars.end(),
                              [&](const bar& x) { return outside(x.open_time_ns); }),
               b.bars.end());
}

// -- the connection actor --------------------------------------------------------

enum class phase : uint8_t { idle, connecting, up, waiting };

struct stream_state {
  stream_connection_spec spec;
  provider id{};
  std::unique_ptr<stream_protocol> proto;
  credentials cred;
  std::vector<std::string> secrets;
  std::vector<stream_subscription> subs;
  caf::actor rest;
  caf::actor capture;
  /// When set, backfills ask it for a permit ((fetch_atom, sched_fetch) with
  /// via = rest), so they draw on the provider's budget like every REST call.
  caf::actor scheduler;

  // The connection.
  std::unique_ptr<ws_transport> ws;
  /// Text frames posted by transports and not yet handled (see max_inbox_frames).
  std::shared_ptr<std::atomic<int64_t>> inbox = std::make_shared<std::atomic<int64_t>>(0);
  uint64_t generation = 0; ///< of `ws`, or of the connect attempt scheduled
  phase now = phase::idle;
  bool ever_connected = false;
  bool planned = false;       ///< closing on purpose: reconnect at once
  bool data_since_open = false;
  int64_t down_since_ns = 0;  ///< gap start: last sign of life before the loss
  bool gap_open = false;      ///< a reconnect gap waits for data to close it
  std::optional<jitter_backoff> backoff;
  std::optional<feed_watchdog> watchdog;
  bool degraded = false;
  bool refused = false; ///< the provider refused the key: shown until it accepts

  // Outgoing frames, paced.
  std::optional<send_pacer> pacer;
  std::deque<std::string> outbox;
  int64_t head_slot_ns = 0; ///< reserved send time of outbox.front(); 0: none
  bool pace_armed = false;
  uint64_t next_id = 1;

  // Downstream.
  feed_continuity continuity;
  flow_link out;
  event_batch pending;

  stream_health health;
  stage_stats stats;
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("stream");
  static inline const char* name = "provider.stream";

  const std::string& conn() const { return spec.connection; }

  feed_status status(feed_state s, int64_t gap_start, int64_t gap_end,
                     std::string reason) const {
    feed_status x;
    x.source = id;
    x.connection = spec.connection;
    x.state = s;
    x.gap_start_ns = gap_start;
    x.gap_end_ns = gap_end;
    x.reason = std::move(reason);
    x.ts_ns = now_ns();
    return x;
  }
};

using stream_ptr = caf::stateful_actor<stream_state>*;

/// Sends what is pending if the link has credit; bounds it otherwise.
void flush(stream_ptr self) {
  auto& st = self->state;
  if (st.pending.empty())
    return;
  if (st.out.has_credit()) {
    st.stats.events_out += st.pending.size();
    st.out.send(self, std::move(st.pending));
    st.pending = event_batch{};
    return;
  }
  auto n = st.pending.size();
  if (n > max_pending_events) {
    // Drop the newest beyond the bound, keep order and statuses.
    auto excess = n - max_pending_events;
    auto cut = [&](auto& xs) {
      auto k = std::min(excess, xs.size());
      xs.resize(xs.size() - k);
      excess -= k;
    };
    cut(st.pending.quotes);
    cut(st.pending.bars);
    cut(st.pending.trades);
    auto dropped = n - st.pending.size();
    st.stats.dropped += dropped;
    st.health.dropped += dropped;
    uint64_t suppressed = 0;
    if (st.throttle.allow(suppressed))
      st.log->warn("{}: the pipeline is behind: {} event(s) dropped, {} in all ({} "
                   "similar suppressed)",
                   st.conn(), dropped, st.health.dropped, suppressed);
  }
}

void emit(stream_ptr self, feed_status s) {
  auto& st = self->state;
  st.log->info("{}: {} {}", st.conn(), to_string(s.state), s.reason);
  st.pending.statuses.push_back(std::move(s));
  flush(self);
}

void request_backfill(stream_ptr self, feed_gap gap, int attempt, int page = 1);

/// Where the next page of a gap starts when an answer was a full page that
/// ended inside the gap (a provider caps each answer: Binance 1000 rows), or
/// nullopt when the gap is covered. Only answers that honour the start time
/// can be continued: Binance /api/v3/trades always serves the newest trades.
std::optional<int64_t> next_page_start(const stream_state& st, const fetch_request& req,
                                       const fetch_result& page, int64_t to_ns) {
  if (req.limit == 0 || !st.proto->backfill_pages(req))
    return std::nullopt;
  size_t rows = page.trades.size() + page.quotes.size() + page.bars.size();
  if (rows < req.limit)
    return std::nullopt;
  int64_t newest = 0;
  for (auto& x : page.trades)
    newest = std::max(newest, x.ts_event_ns);
  for (auto& x : page.quotes)
    newest = std::max(newest, x.ts_event_ns);
  for (auto& x : page.bars)
    newest = std::max(newest, x.open_time_ns);
  // No progress (a page of one instant) or past the gap: stop.
  if (newest <= req.start_ns || newest >= to_ns)
    return std::nullopt;
  return newest;
}

/// Counts the gaps and asks the REST actor for each.
void on_gaps(stream_ptr self, std::vector<feed_gap> gaps) {
  auto& st = self->state;
  for (auto& g : gaps) {
    st.health.gaps += 1;
    if (!st.rest || !st.spec.settings.backfill) {
      uint64_t suppressed = 0;
      if (st.throttle.allow(suppressed))
        st.log->warn("{}: gap in {} {} not recovered ({}): no backfill",
                     st.conn(), g.sub.instrument, to_string(g.sub.kind), g.why);
      continue;
    }
    request_backfill(self, std::move(g), 1);
  }
}

void request_backfill(stream_ptr self, feed_gap gap, int attempt, int page) {
  auto& st = self->state;
  auto req = st.proto->backfill(gap.sub, gap.from_ns, gap.to_ns);
  if (!req) {
    st.log->warn("{}: gap in {} {} not recoverable over REST ({})", st.conn(),
                 gap.sub.instrument, to_string(gap.sub.kind), gap.why);
    return;
  }
  st.health.backfill_requests += 1;
  auto failed = [=](const std::string& why, int64_t retry_after_ns) {
    auto& st = self->state;
    st.health.backfill_failures += 1;
    st.log->warn("{}: backfill of {} {} failed (attempt {}): {}", st.conn(),
                 gap.sub.instrument, to_string(gap.sub.kind), attempt, why);
    if (attempt < backfill_attempts) {
      auto delay = std::max<int64_t>(retry_after_ns, int64_t{1'000'000'000} * attempt);
      self->delayed_send(self, std::chrono::nanoseconds{delay}, backfill_atom::value,
                         gap.sub.instrument, static_cast<uint8_t>(gap.sub.kind),
                         static_cast<uint8_t>(gap.sub.span), gap.from_ns, gap.to_ns,
                         gap.why, attempt + 1, page);
    }
  };
  auto asked = st.scheduler
                 ? self->request(st.scheduler, backfill_timeout, fetch_atom::value,
                                 sched_fetch{std::string{to_string(st.id)}, *req,
                                             priority::high, true, st.rest})
                 : self->request(st.rest, backfill_timeout, fetch_atom::value, *req);
  asked.then(
      [=](fetch_reply& r) {
        auto& st = self->state;
        if (!r.ok)
          return failed(std::string{to_string(r.failure.code)} + ": " + r.failure.message,
                        r.failure.retry_after_ns);
        auto next = next_page_start(st, *req, r.data, gap.to_ns);
        event_batch b;
        b.trades = std::move(r.data.trades);
        b.quotes = std::move(r.data.quotes);
        b.bars = std::move(r.data.bars);
        clip_to_gap(b, gap.from_ns, gap.to_ns);
        st.continuity.on_backfill(b);
        st.health.backfilled += b.size();
        st.stats.events_in += b.size();
        b.statuses.push_back(st.status(
          feed_state::backfilled, gap.from_ns, gap.to_ns,
          gap.sub.instrument + " " + std::string{to_string(gap.sub.kind)} + ": "
            + std::to_string(b.size()) + " event(s) recovered (" + gap.why + ")"));
        st.log->info("{}: {}", st.conn(), b.statuses.back().reason);
        append(st.pending, std::move(b));
        flush(self);
        if (!next)
          return;
        // A full page that ended inside the gap: ask for the rest.
        if (page >= backfill_max_pages) {
          st.log->warn("{}: gap in {} {} recovered in part: {} pages, the rest from {} "
                       "on is lost",
                       st.conn(), gap.sub.instrument, to_string(gap.sub.kind), page, *next);
          return;
        }
        auto rest = gap;
        rest.from_ns = *next;
        request_backfill(self, std::move(rest), 1, page + 1);
      },
      [=](caf::error& e) { failed(self->system().render(e), 0); });
}

/// Sends queued frames as the pacer allows.
void pump(stream_ptr self) {
  auto& st = self->state;
  while (!st.outbox.empty()) {
    if (!st.ws || st.now != phase::up)
      return;
    auto now = now_ns();
    if (st.head_slot_ns == 0)
      st.head_slot_ns = st.pacer->when(now);
    if (st.head_slot_ns > now) {
      if (!st.pace_armed) {
        st.pace_armed = true;
        self->delayed_send(self, std::chrono::nanoseconds{st.head_slot_ns - now},
                           pace_atom::value);
      }
      return;
    }
    st.ws->send(std::move(st.outbox.front()));
    st.outbox.pop_front();
    st.head_slot_ns = 0;
    st.health.sent += 1;
  }
}

/// Opens a new transport; its callbacks only post to this actor.
void connect(stream_ptr self) {
  auto& st = self->state;
  auto gen = ++st.generation;
  st.now = phase::connecting;
  if (!st.refused)
    st.health.state = "connecting";
  st.secrets.clear();
  if (!st.cred.api_key.empty())
    st.secrets.push_back(st.cred.api_key);
  auto path = st.proto->path(st.cred, st.secrets);
  ws_transport_options opts;
  opts.url = st.spec.settings.url + path;
  opts.max_frame_bytes = st.spec.settings.max_frame_bytes;
  opts.ca_file = st.spec.settings.ca_file;
  opts.user_agent = "tickflow/" TICKFLOW_VERSION;
  // Weak: the transport lives in this actor's state and must not keep it alive.
  auto me = caf::actor_cast<caf::weak_actor_ptr>(self);
  auto post = [me](auto&&... xs) {
    if (auto strong = me.lock())
      caf::anon_send(caf::actor_cast<caf::actor>(strong), std::forward<decltype(xs)>(xs)...);
  };
  ws_transport_callbacks cbs;
  cbs.on_open = [post, gen] { post(opened_atom::value, gen); };
  cbs.on_text = [post, gen, inbox = st.inbox](std::string frame, int64_t recv_ns) {
    auto until = std::chrono::steady_clock::now() + inbox_wait_limit;
    while (inbox->load(std::memory_order_relaxed) >= max_inbox_frames
           && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds{1});
    inbox->fetch_add(1, std::memory_order_relaxed);
    post(frame_atom::value, gen, std::move(frame), recv_ns);
  };
  cbs.on_binary = [post, gen](size_t n) {
    post(binary_atom::value, gen, static_cast<uint64_t>(n));
  };
  cbs.on_oversize = [post, gen](size_t n) {
    post(oversize_atom::value, gen, static_cast<uint64_t>(n));
  };
  cbs.on_heartbeat = [post, gen](int64_t t) { post(alive_atom::value, gen, t); };
  cbs.on_closed = [post, gen](std::string why) {
    post(closed_atom::value, gen, std::move(why));
  };
  st.log->debug("{}: connecting to {}", st.conn(),
                redact_secrets(opts.url, st.secrets));
  st.ws.reset(); // joins the previous connection's thread first
  st.ws = std::make_unique<ws_transport>(std::move(opts), std::move(cbs), st.secrets);
}

/// The connection is gone: report it and schedule the next attempt.
void on_lost(stream_ptr self, const std::string& why) {
  auto& st = self->state;
  bool was_up = st.now == phase::up;
  st.now = phase::waiting;
  st.ws.reset();
  st.outbox.clear();
  st.head_slot_ns = 0;
  st.health.connected_since_ns = 0;
  if (!st.refused) {
    st.health.last_error = why;
    st.health.state = "down";
  }
  if (was_up) {
    // The gap starts at the last sign of life on this connection, unless
    // the previous gap was still open (no data since the last reconnect).
    if (!st.gap_open) {
      auto last = st.watchdog->last_seen_ns();
      st.down_since_ns = last > 0 ? last : now_ns();
    }
    emit(self, st.status(feed_state::disconnected, st.down_since_ns, 0, why));
  } else if (st.down_since_ns == 0) {
    st.down_since_ns = now_ns();
  }
  int64_t delay = st.backoff->next();
  if (st.planned) {
    st.planned = false;
    st.backoff->reset();
    delay = 0;
  }
  st.log->warn("{}: connection lost ({}): reconnect #{} in {} ms", st.conn(), why,
               st.backoff->attempts(), delay / 1'000'000);
  self->delayed_send(self, std::chrono::nanoseconds{delay}, connect_atom::value,
                     st.generation);
}

/// Closes a reconnect gap: from the last sign of life to `up_ns` (plus a
/// margin for clock skew), once per subscription that had data.
void close_reconnect_gap(stream_ptr self, int64_t up_ns) {
  auto& st = self->state;
  if (!st.gap_open)
    return;
  st.gap_open = false;
  on_gaps(self, st.continuity.on_reconnect(st.subs, st.down_since_ns,
                                           up_ns + clock_margin_ns));
}

void on_frame(stream_ptr self, std::string& frame, int64_t recv_ns) {
  auto& st = self->state;
  st.health.frames += 1;
  if (st.capture)
    self->send(st.capture, capture_atom::value, recv_ns, st.spec.connection, frame);
  stream_frame out;
  auto ok = st.proto->parse(frame, recv_ns, out);
  if (!ok) {
    st.health.malformed += 1;
    st.stats.rejected += 1;
    uint64_t suppressed = 0;
    if (st.throttle.allow(suppressed))
      st.log->warn("{}: skipped frame: {} ({} similar suppressed)", st.conn(),
                   ok.err().message(), suppressed);
  }
  for (auto& reply : out.replies)
    st.outbox.push_back(std::move(reply));
  if (!out.replies.empty())
    pump(self);
  if (out.auth_failed) {
    st.refused = true;
    st.health.state = "auth_failed";
    st.health.last_error = "auth failed: " + out.control;
    st.log->error("{}: the provider refused the credentials ({})", st.conn(),
                  out.control);
    if (st.ws)
      st.ws->close(1000, "auth failed");
    return;
  }
  if (!out.control.empty())
    st.log->debug("{}: {}", st.conn(), out.control);
  // Accepted now: data flows, or the provider said so (Polygon auth_success).
  if (st.refused && (!out.events.empty()
                     || out.control.find("auth_success") != std::string::npos)) {
    st.refused = false;
    st.health.state = "up";
  }
  auto n = out.events.size();
  if (n == 0) {
    st.watchdog->on_heartbeat(recv_ns);
    return;
  }
  st.watchdog->on_message(recv_ns);
  if (!st.data_since_open) {
    st.data_since_open = true;
    st.backoff->reset(); // the connection delivers: the next loss starts over
  }
  if (st.degraded) {
    st.degraded = false;
    st.health.state = "up";
  }
  close_reconnect_gap(self, recv_ns);
  st.stats.batches_in += 1;
  st.stats.events_in += n;
  auto gaps = st.continuity.on_live(st.subs, out.events);
  st.health.events += out.events.size();
  if (!gaps.empty())
    on_gaps(self, std::move(gaps));
  append(st.pending, std::move(out.events));
  flush(self);
}

/// Adds or removes subscriptions; sends the method messages when connected.
caf::result<uint64_t> change_subscriptions(stream_ptr self, const std::string& topics,
                                           bool add) {
  auto& st = self->state;
  auto parsed = parse_stream_topics(topics);
  if (!parsed)
    return caf::make_error(caf::sec::invalid_argument, parsed.err().context);
  std::vector<stream_subscription> changed;
  for (auto& t : *parsed) {
    auto sub = subscription_of(t);
    auto at = std::find(st.subs.begin(), st.subs.end(), sub);
    if (add == (at != st.subs.end()))
      continue; // already (un)subscribed
    changed.push_back(sub);
  }
  if (changed.empty())
    return static_cast<uint64_t>(st.subs.size());
  if (add && st.subs.size() + changed.size() > st.proto->max_streams_per_connection())
    return caf::make_error(caf::sec::invalid_argument,
                           st.conn() + ": at most "
                             + std::to_string(st.proto->max_streams_per_connection())
                             + " streams per connection");
  auto frames = add ? st.proto->subscribe(changed, st.next_id)
                    : st.proto->unsubscribe(changed, st.next_id);
  if (!frames)
    return caf::make_error(caf::sec::invalid_argument, frames.err().message());
  for (auto& sub : changed) {
    if (add)
      st.subs.push_back(sub);
    else
      st.subs.erase(std::find(st.subs.begin(), st.subs.end(), sub));
  }
  st.health.subscriptions = st.subs.size();
  if (st.now == phase::up) { // otherwise the next open subscribes to st.subs
    for (auto& f : *frames)
      st.outbox.push_back(std::move(f));
    pump(self);
  }
  st.log->info("{}: {} {} subscription(s), {} now", st.conn(), add ? "added" : "removed",
               changed.size(), st.subs.size());
  return static_cast<uint64_t>(st.subs.size());
}

caf::behavior stream_provider(stream_ptr self, topology topo,
                              stream_connection_spec spec, caf::actor intake,
                              caf::actor rest, caf::actor capture) {
  auto& st = self->state;
  auto id = provider_from_string(spec.settings.name);
  st.proto = id ? make_stream_protocol(*id, options_for(topo, spec.settings.name))
                : nullptr;
  if (!st.proto) {
    st.log->error("no stream dialect for provider {}", spec.settings.name);
    self->quit(caf::make_error(caf::sec::invalid_argument, spec.settings.name));
    return {};
  }
  st.id = *id;
  if (!spec.settings.api_key_env.empty())
    if (auto* key = std::getenv(spec.settings.api_key_env.c_str()))
      st.cred.api_key = key;
  for (auto& t : spec.topics)
    st.subs.push_back(subscription_of(t));
  auto& s = spec.settings;
  st.backoff.emplace(s.reconnect_min_ns, s.reconnect_max_ns, spec.seed);
  st.watchdog.emplace(s.stale_after_ns);
  st.out = flow_link{std::move(intake), topo.pipeline.queue_bound};
  st.rest = std::move(rest);
  st.capture = std::move(capture);
  st.health.provider = s.name;
  st.health.connection = spec.connection;
  st.health.subscriptions = st.subs.size();
  st.stats.name = "stream." + spec.connection;
  st.spec = std::move(spec);
  st.log->info("{}: {} subscription(s), backfill {}, capture {}", st.conn(),
               st.subs.size(), st.rest && s.backfill ? "on" : "off",
               st.capture ? "on" : "off");
  // The watchdog looks a few times per stale period.
  if (s.stale_after_ns > 0)
    self->delayed_send(self, std::chrono::nanoseconds{std::max<int64_t>(
                               s.stale_after_ns / 4, 10'000'000)},
                       watch_atom::value);
  connect(self);
  return {
    [=](connect_atom, uint64_t gen) {
      auto& st = self->state;
      if (gen == st.generation && st.now == phase::waiting)
        connect(self);
    },
    [=](opened_atom, uint64_t gen) {
      auto& st = self->state;
      if (gen != st.generation)
        return;
      auto now = now_ns();
      st.now = phase::up;
      if (!st.refused)
        st.health.state = "up";
      st.health.connected_since_ns = now;
      st.data_since_open = false;
      st.degraded = false;
      st.watchdog->on_connect(now);
      st.pacer.emplace(st.proto->max_outgoing_per_second());
      st.outbox.clear();
      st.head_slot_ns = 0;
      for (auto& f : st.proto->on_open(st.cred))
        st.outbox.push_back(std::move(f));
      if (auto subs = st.proto->subscribe(st.subs, st.next_id))
        for (auto& f : *subs)
          st.outbox.push_back(std::move(f));
      else
        st.log->error("{}: cannot subscribe: {}", st.conn(), subs.err().message());
      pump(self);
      if (st.ever_connected) {
        st.health.reconnects += 1;
        st.gap_open = true;
        self->delayed_send(self, settle_delay, settle_atom::value, gen);
        emit(self, st.status(feed_state::reconnected, st.down_since_ns, now,
                             std::to_string(st.subs.size())
                               + " subscription(s) restored"));
      } else {
        emit(self, st.status(feed_state::connected, 0, 0,
                             std::to_string(st.subs.size()) + " subscription(s)"));
      }
      st.ever_connected = true;
      if (auto age = st.spec.settings.max_connection_age_ns; age > 0)
        self->delayed_send(self, std::chrono::nanoseconds{age}, age_atom::value, gen);
    },
    [=](frame_atom, uint64_t gen, std::string& frame, int64_t recv_ns) {
      self->state.inbox->fetch_sub(1, std::memory_order_relaxed);
      if (gen == self->state.generation)
        on_frame(self, frame, recv_ns);
    },
    [=](binary_atom, uint64_t gen, uint64_t bytes) {
      auto& st = self->state;
      if (gen != st.generation)
        return;
      st.health.binary += 1;
      st.watchdog->on_heartbeat(now_ns());
      uint64_t suppressed = 0;
      if (st.throttle.allow(suppressed))
        st.log->warn("{}: skipped a binary frame of {} bytes ({} similar suppressed)",
                     st.conn(), bytes, suppressed);
    },
    [=](oversize_atom, uint64_t gen, uint64_t bytes) {
      auto& st = self->state;
      if (gen != st.generation)
        return;
      st.health.oversize += 1;
      st.watchdog->on_heartbeat(now_ns());
      uint64_t suppressed = 0;
      if (st.throttle.allow(suppressed))
        st.log->warn("{}: skipped a frame of {} bytes over max-frame-bytes {} ({} "
                     "similar suppressed)",
                     st.conn(), bytes, st.spec.settings.max_frame_bytes, suppressed);
    },
    [=](alive_atom, uint64_t gen, int64_t t) {
      if (gen == self->state.generation)
        self->state.watchdog->on_heartbeat(t);
    },
    [=](closed_atom, uint64_t gen, std::string& why) {
      if (gen == self->state.generation)
        on_lost(self, why);
    },
    [=](pace_atom) {
      self->state.pace_armed = false;
      pump(self);
    },
    [=](watch_atom) {
      auto& st = self->state;
      auto period = std::max<int64_t>(st.spec.settings.stale_after_ns / 4, 10'000'000);
      self->delayed_send(self, std::chrono::nanoseconds{period}, watch_atom::value);
      auto now = now_ns();
      if (st.now != phase::up || st.degraded || st.subs.empty()
          || !st.watchdog->stale(now))
        return;
      st.degraded = true;
      st.health.state = "degraded";
      auto last = st.watchdog->last_seen_ns();
      emit(self, st.status(feed_state::degraded, last, 0,
                           "no message for " + seconds_text(now - last)));
      // Reconnect at once: a silent subscribed feed is presumed dead.
      st.planned = true;
      if (st.ws)
        st.ws->close(1000, "stale");
    },
    [=](age_atom, uint64_t gen) {
      auto& st = self->state;
      if (gen != st.generation || st.now != phase::up)
        return;
      st.log->info("{}: max connection age reached: reconnecting", st.conn());
      st.planned = true;
      if (st.ws)
        st.ws->close(1000, "max connection age");
    },
    [=](settle_atom, uint64_t gen) {
      if (gen == self->state.generation && self->state.now == phase::up)
        close_reconnect_gap(self, now_ns());
    },
    [=](backfill_atom, std::string& instrument, uint8_t kind, uint8_t span,
        int64_t from_ns, int64_t to_ns, std::string& why, int attempt, int page) {
      feed_gap g;
      g.sub.instrument = std::move(instrument);
      g.sub.kind = static_cast<stream_kind>(kind);
      g.sub.span = static_cast<interval>(span);
      g.from_ns = from_ns;
      g.to_ns = to_ns;
      g.why = std::move(why);
      request_backfill(self, std::move(g), attempt, page);
    },
    [=](subscribe_atom, const std::string& topics) -> caf::result<uint64_t> {
      return change_subscriptions(self, topics, true);
    },
    [=](unsubscribe_atom, const std::string& topics) -> caf::result<uint64_t> {
      return change_subscriptions(self, topics, false);
    },
    [=](ack_atom) {
      self->state.out.acked();
      flush(self);
    },
    [=](scheduler_atom, caf::actor s) { self->state.scheduler = std::move(s); },
    [=](stats_atom) { return self->state.stats; },
    [=](health_atom) {
      auto& st = self->state;
      st.health.duplicates = st.continuity.dropped();
      st.health.last_message_ns = st.watchdog->last_seen_ns();
      return st.health;
    },
  };
}

// -- the capture writer -----------------------------------------------------------

struct capture_state {
  std::unique_ptr<capture_writer> writer;
  uint64_t unflushed = 0;
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("stream");
  static inline const char* name = "stream.capture";
};

caf::behavior capture_actor(caf::stateful_actor<capture_state>* self, std::string dir,
                            std::string provider) {
  self->state.writer = std::make_unique<capture_writer>(dir, provider);
  self->state.log->info("capturing {} frames under {}", provider, dir);
  return {
    [=](capture_atom, int64_t recv_ns, std::string& connection, std::string& frame) {
      auto& st = self->state;
      auto ok = st.writer->write(captured_frame{recv_ns, std::move(connection),
                                                std::move(frame)});
      if (!ok) {
        uint64_t suppressed = 0;
        if (st.throttle.allow(suppressed))
          st.log->error("capture write failed: {} ({} similar suppressed)",
                        ok.err().message(), suppressed);
      }
      if (++st.unflushed >= 256) {
        st.writer->flush();
        st.unflushed = 0;
      }
    },
    [=](flush_atom) {
      self->state.writer->flush();
      self->state.unflushed = 0;
      return true;
    },
  };
}

} // namespace

std::vector<stream_connection_spec> plan_stream_connections(const topology& topo) {
  std::vector<stream_connection_spec> out;
  uint64_t seed = 0x7ea1f10e;
  for (auto& feed : topo.streams.enabled_feeds()) {
    auto id = provider_from_string(feed.name);
    auto proto = id ? make_stream_protocol(*id, options_for(topo, feed.name)) : nullptr;
    if (!proto)
      continue;
    std::vector<stream_subscription> subs;
    for (auto& t : feed.subscriptions)
      subs.push_back(subscription_of(t));
    auto groups = spread_subscriptions(subs, proto->max_streams_per_connection());
    for (size_t i = 0; i < groups.size(); ++i) {
      stream_connection_spec spec;
      spec.settings = feed;
      spec.connection = feed.name + "#" + std::to_string(i);
      for (auto& s : groups[i])
        spec.topics.push_back(topic_of(s));
      spec.seed = ++seed;
      out.push_back(std::move(spec));
    }
  }
  return out;
}

caf::actor spawn_stream_provider(caf::actor_system& sys, const topology& topo,
                                 stream_connection_spec spec, caf::actor intake,
                                 caf::actor rest, caf::actor capture) {
  return sys.spawn<caf::detached>(stream_provider, topo, std::move(spec),
                                  std::move(intake), std::move(rest),
                                  std::move(capture));
}

caf::actor spawn_capture_writer(caf::actor_system& sys, std::string dir,
                                std::string provider) {
  return sys.spawn<caf::detached>(capture_actor, std::move(dir), std::move(provider));
}

} // namespace tickflow
