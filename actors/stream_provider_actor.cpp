#include "actors/stream_provider_actor.hpp"
#include "actors/scheduler_actor.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <thread>
#include <variant>

#include "actors/clock.hpp"
#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/streams/ws_transport.hpp"

namespace tickflow {

namespace {


/// Text frames posted to the actor and not yet handled, beyond which the
/// transport's thread waits before reading on (TCP backpressure): without
/// it a pipeline that falls behind grows this actor's mailbox without
/// bound (200 MB in a minute at 20,000 frames/s, tests/chaos). A wait ends
/// after inbox_wait_limit at the latest, so closing a connection never
/// waits on the actor.
constexpr int64_t max_inbox_frames = 10'000;
constexpr auto inbox_wait_limit = std::chrono::milliseconds{250};
constexpr auto backfill_timeout = std::chrono::seconds{30};

// -- the connection actor --------------------------------------------------------

struct stream_state {
  std::unique_ptr<feed_session> session;
  fetch_actor rest;
  capture_writer_actor capture;
  /// When set, backfills ask it for a permit ((fetch_atom, sched_fetch) with
  /// via = rest), so they draw on the provider's budget like every REST call.
  sched_fetch_actor scheduler;
  std::unique_ptr<ws_transport> ws;
  /// Text frames posted by transports and not yet handled (see max_inbox_frames).
  std::shared_ptr<std::atomic<int64_t>> inbox = std::make_shared<std::atomic<int64_t>>(0);
  flow_link out;
  uint64_t events_out = 0;
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("stream");
  static inline const char* name = "provider.stream";

  const std::string& conn() const { return session->connection(); }
};

using stream_ptr = stream_provider_actor::stateful_pointer<stream_state>;

/// Sends what is pending if the link has credit; bounds it otherwise.
void flush(stream_ptr self) {
  auto& st = self->state;
  if (st.session->pending().empty())
    return;
  if (st.out.has_credit()) {
    auto batch = st.session->take_events();
    st.events_out += batch.size();
    st.out.send(self, std::move(batch));
    return;
  }
  if (auto dropped = st.session->trim_pending()) {
    uint64_t suppressed = 0;
    if (st.throttle.allow(suppressed))
      st.log->warn("{}: the pipeline is behind: {} event(s) dropped, {} in all ({} "
                   "similar suppressed)",
                   st.conn(), dropped, st.session->totals().dropped, suppressed);
  }
}

/// Opens a new transport; its callbacks only post to this actor.
void open(stream_ptr self, feed::open& x) {
  auto& st = self->state;
  auto gen = x.generation;
  auto& s = st.session->settings();
  ws_transport_options opts;
  opts.url = std::move(x.url);
  opts.max_frame_bytes = s.max_frame_bytes;
  opts.ca_file = s.ca_file;
  opts.user_agent = "tickflow/" TICKFLOW_VERSION;
  // Weak: the transport lives in this actor's state and must not keep it alive.
  auto me = caf::actor_cast<caf::weak_actor_ptr>(self);
  auto post = [me](auto&&... xs) {
    if (auto strong = me.lock())
      caf::anon_send(caf::actor_cast<stream_provider_actor>(strong),
                     std::forward<decltype(xs)>(xs)...);
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
  st.log->debug("{}: connecting to {}", st.conn(), redact_secrets(opts.url, x.secrets));
  st.ws.reset(); // joins the previous connection's thread first
  st.ws = std::make_unique<ws_transport>(std::move(opts), std::move(cbs),
                                         std::move(x.secrets));
}

void apply(stream_ptr self);

/// Asks for a backfill page: through the scheduler (the provider's budget)
/// when there is one, else of the REST actor directly.
void fetch(stream_ptr self, feed::fetch& x) {
  auto& st = self->state;
  auto ticket = x.ticket;
  auto asked = st.scheduler
                 ? self->request(st.scheduler, backfill_timeout, fetch_atom::value,
                                 sched_fetch{std::string{to_string(st.session->protocol().id())},
                                             std::move(x.request), priority::high, true,
                                             st.rest})
                 : self->request(st.rest, backfill_timeout, fetch_atom::value,
                                 std::move(x.request));
  asked.then(
    [=](fetch_reply& r) {
      auto& s = *self->state.session;
      if (r.ok)
        s.on_backfill_page(ticket, std::move(r.data), now_ns());
      else
        s.on_backfill_failed(ticket,
                             std::string{to_string(r.failure.code)} + ": " + r.failure.message,
                             r.failure.retry_after_ns);
      apply(self);
    },
    [=](caf::error& e) {
      self->state.session->on_backfill_failed(ticket, self->system().render(e), 0);
      apply(self);
    });
}

void wake(stream_ptr self, const feed::wake& x) {
  auto delay = std::chrono::nanoseconds{x.delay_ns};
  switch (x.what) {
    case feed::timer::connect:
      self->delayed_send(self, delay, connect_atom::value, x.generation);
      return;
    case feed::timer::pace:
      self->delayed_send(self, delay, pace_atom::value);
      return;
    case feed::timer::watch:
      self->delayed_send(self, delay, watch_atom::value);
      return;
    case feed::timer::age:
      self->delayed_send(self, delay, age_atom::value, x.generation);
      return;
    case feed::timer::settle:
      self->delayed_send(self, delay, settle_atom::value, x.generation);
      return;
    case feed::timer::retry:
      self->delayed_send(self, delay, backfill_atom::value, x.ticket);
      return;
  }
}

void note(stream_ptr self, const feed::note& x) {
  auto& st = self->state;
  if (x.throttled) {
    uint64_t suppressed = 0;
    if (st.throttle.allow(suppressed))
      st.log->warn("{}: {} ({} similar suppressed)", st.conn(), x.text, suppressed);
    return;
  }
  using level = feed::note::level;
  auto lvl = x.severity == level::debug  ? spdlog::level::debug
             : x.severity == level::info ? spdlog::level::info
             : x.severity == level::warn ? spdlog::level::warn
                                         : spdlog::level::err;
  st.log->log(lvl, "{}: {}", st.conn(), x.text);
}

/// Carries out what the session asked for, in order, then passes events on.
void apply(stream_ptr self) {
  auto& st = self->state;
  for (auto& action : st.session->take_actions()) {
    if (auto* x = std::get_if<feed::open>(&action))
      open(self, *x);
    else if (auto* x = std::get_if<feed::send>(&action)) {
      if (st.ws)
        st.ws->send(std::move(x->text));
    } else if (auto* x = std::get_if<feed::close>(&action)) {
      if (st.ws)
        st.ws->close(x->code, std::move(x->reason));
    } else if (std::holds_alternative<feed::drop>(action))
      st.ws.reset();
    else if (auto* x = std::get_if<feed::wake>(&action))
      wake(self, *x);
    else if (auto* x = std::get_if<feed::fetch>(&action))
      fetch(self, *x);
    else if (auto* x = std::get_if<feed::note>(&action))
      note(self, *x);
  }
  flush(self);
}

caf::result<uint64_t> change_subscriptions(stream_ptr self, const std::string& topics,
                                           bool add) {
  auto r = self->state.session->change_subscriptions(topics, add, now_ns());
  apply(self);
  if (!r)
    return caf::make_error(caf::sec::invalid_argument, r.err().context);
  return *r;
}

stream_provider_actor::behavior_type
stream_provider(stream_ptr self, topology topo, stream_connection_spec spec,
                batch_sink_actor intake, fetch_actor rest, capture_writer_actor capture) {
  auto& st = self->state;
  auto proto = stream_protocol_for(topo, spec.settings.name);
  if (!proto) {
    st.log->error("no stream dialect for provider {}", spec.settings.name);
    self->quit(caf::make_error(caf::sec::invalid_argument, spec.settings.name));
    return no_behavior<stream_provider_actor>();
  }
  credentials cred;
  if (!spec.settings.api_key_env.empty())
    if (auto* key = std::getenv(spec.settings.api_key_env.c_str()))
      cred.api_key = key;
  st.out = flow_link{std::move(intake), topo.pipeline.queue_bound};
  st.rest = std::move(rest);
  st.capture = std::move(capture);
  bool backfill = st.rest && spec.settings.backfill;
  auto subs = spec.topics.size();
  st.session = std::make_unique<feed_session>(std::move(proto), std::move(spec),
                                              std::move(cred), backfill);
  st.log->info("{}: {} subscription(s), backfill {}, capture {}", st.conn(), subs,
               backfill ? "on" : "off", st.capture ? "on" : "off");
  st.session->start();
  apply(self);
  return {
    [=](connect_atom, uint64_t gen) {
      self->state.session->on_connect_due(gen);
      apply(self);
    },
    [=](opened_atom, uint64_t gen) {
      self->state.session->on_opened(gen, now_ns());
      apply(self);
    },
    [=](frame_atom, uint64_t gen, std::string& frame, int64_t recv_ns) {
      auto& st = self->state;
      st.inbox->fetch_sub(1, std::memory_order_relaxed);
      if (!st.session->current(gen))
        return;
      if (st.capture)
        self->send(st.capture, capture_atom::value, recv_ns, st.conn(), frame);
      st.session->on_frame(gen, frame, recv_ns);
      apply(self);
    },
    [=](binary_atom, uint64_t gen, uint64_t bytes) {
      self->state.session->on_binary(gen, bytes, now_ns());
      apply(self);
    },
    [=](oversize_atom, uint64_t gen, uint64_t bytes) {
      self->state.session->on_oversize(gen, bytes, now_ns());
      apply(self);
    },
    [=](alive_atom, uint64_t gen, int64_t t) { self->state.session->on_alive(gen, t); },
    [=](closed_atom, uint64_t gen, std::string& why) {
      self->state.session->on_closed(gen, why, now_ns());
      apply(self);
    },
    [=](pace_atom) {
      self->state.session->on_pace(now_ns());
      apply(self);
    },
    [=](watch_atom) {
      self->state.session->on_watch(now_ns());
      apply(self);
    },
    [=](age_atom, uint64_t gen) {
      self->state.session->on_age(gen);
      apply(self);
    },
    [=](settle_atom, uint64_t gen) {
      self->state.session->on_settle(gen, now_ns());
      apply(self);
    },
    [=](backfill_atom, uint64_t ticket) {
      self->state.session->on_backfill_retry(ticket);
      apply(self);
    },
    [=](subscribe_atom, const std::string& topics) {
      return change_subscriptions(self, topics, true);
    },
    [=](unsubscribe_atom, const std::string& topics) {
      return change_subscriptions(self, topics, false);
    },
    [=](ack_atom) {
      self->state.out.acked();
      flush(self);
    },
    [=](scheduler_atom, sched_fetch_actor s) { self->state.scheduler = std::move(s); },
    [=](stats_atom) {
      auto& st = self->state;
      auto& t = st.session->totals();
      stage_stats s;
      s.name = "stream." + st.conn();
      s.batches_in = t.batches_in;
      s.events_in = t.events_in;
      s.events_out = st.events_out;
      s.rejected = t.rejected;
      s.dropped = t.dropped;
      return s;
    },
    [=](health_atom) { return self->state.session->health(); },
  };
}

} // namespace

stream_provider_actor spawn_stream_provider(caf::actor_system& sys, const topology& topo,
                                            stream_connection_spec spec,
                                            batch_sink_actor intake, fetch_actor rest,
                                            capture_writer_actor capture) {
  return sys.spawn<caf::detached>(stream_provider, topo, std::move(spec),
                                  std::move(intake), std::move(rest),
                                  std::move(capture));
}

} // namespace tickflow
