#include "actors/scheduler_actor.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <random>

#include "actors/logging.hpp"
#include "actors/redis_options.hpp"
#include "adapters/redis/redis_budget.hpp"
#include "adapters/registry.hpp"
#include "pipeline/ratelimit/batch_merge.hpp"
#include "pipeline/ratelimit/circuit_breaker.hpp"
#include "pipeline/ratelimit/coalesce.hpp"
#include "pipeline/ratelimit/rate_limiter.hpp"
#include "pipeline/ratelimit/retry_policy.hpp"
#include "pipeline/ratelimit/wait_queue.hpp"

namespace tickflow::sched_detail {

/// A grant asked of the shared budget.
struct budget_ask {
  redis::budget_owner owner;
  uint64_t weight = 0;
  int64_t hold_ms = 0;
  std::vector<redis::budget_window> windows;
};

/// Its answer; `failed` when Redis could not be asked (local limits hold).
struct budget_answer {
  redis::budget_grant grant;
  bool failed = false;
};

} // namespace tickflow::sched_detail

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tickflow::sched_detail::budget_ask)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tickflow::sched_detail::budget_answer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tickflow::redis::budget_owner)

namespace tickflow {

namespace {

using sched_detail::budget_ask;
using sched_detail::budget_answer;

using grant_atom = caf::atom_constant<caf::atom("grant")>;
using release_atom = caf::atom_constant<caf::atom("release")>;
using ban_atom = caf::atom_constant<caf::atom("ban")>;
using weight_atom = caf::atom_constant<caf::atom("weight")>;

constexpr int64_t ms_ns = 1'000'000;
/// How long shared mode waits out failing Redis calls before it falls back
/// to the local limits alone.
constexpr int64_t shared_fallback_after_ns = 2'000 * ms_ns;
constexpr int64_t minute_window_ns = 60'000'000'000;

/// Monotonic ns: budgets must not jump with the wall clock.
int64_t mono_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

// -- shared budgets (a detached actor: hiredis blocks) ----------------------------

struct budget_state {
  std::unique_ptr<redis::redis_budget> budget;
  std::shared_ptr<spdlog::logger> log = logger("scheduler");
  int64_t last_warn_ns = 0;
  static inline const char* name = "scheduler.budget";

  void warn(const error& e) {
    auto now = mono_ns();
    if (now - last_warn_ns < 10'000 * ms_ns)
      return; // one line per 10 s while Redis is away
    last_warn_ns = now;
    log->warn("shared budget unavailable, local limits only: {}", e.message());
  }
};

/// The shared budget keeper's messages (the scheduler's own helper).
using budget_actor = caf::typed_actor<
  caf::replies_to<grant_atom, budget_ask>::with<budget_answer>,
  caf::reacts_to<release_atom, redis::budget_owner, uint64_t, uint64_t>,
  caf::reacts_to<ban_atom, redis::budget_owner, int64_t>,
  caf::reacts_to<weight_atom, redis::budget_owner, int64_t, uint64_t>>;

budget_actor::behavior_type
budget_keeper(budget_actor::stateful_pointer<budget_state> self,
              redis::client_options opts, std::string prefix) {
  self->state.budget = std::make_unique<redis::redis_budget>(std::move(opts),
                                                             std::move(prefix));
  return {
    [=](grant_atom, const budget_ask& a) {
      budget_answer out;
      auto g = self->state.budget->grant(a.owner, a.weight, a.hold_ms, a.windows);
      if (g) {
        out.grant = *g;
      } else {
        out.failed = true;
        self->state.warn(g.err());
      }
      return out;
    },
    [=](release_atom, const redis::budget_owner& who, uint64_t id, uint64_t weight) {
      if (auto ok = self->state.budget->complete(who, id, weight); !ok)
        self->state.warn(ok.err());
    },
    [=](ban_atom, const redis::budget_owner& who, int64_t ms) {
      if (auto ok = self->state.budget->ban(who, ms); !ok)
        self->state.warn(ok.err());
    },
    [=](weight_atom, const redis::budget_owner& who, int64_t window_ms, uint64_t used) {
      if (auto ok = self->state.budget->observe_used(who, window_ms, used); !ok)
        self->state.warn(ok.err());
    },
  };
}

// -- the scheduler ----------------------------------------------------------------

/// Someone waiting for a call's answer.
struct waiter {
  caf::typed_response_promise<fetch_reply> promise;
  int64_t deadline_ns = 0; ///< answered with a refusal if not granted by then
  bool may_retry = false;  ///< last choice: failures are retried for it
};

/// One upstream call (maybe shared by many waiters).
struct call {
  uint64_t id = 0;
  std::string provider;
  std::string key;
  fetch_request request;
  priority prio = priority::high;
  fetch_actor via; ///< asked instead of the provider's actor, when set
  std::vector<waiter> waiters;
  uint32_t attempt = 0;   ///< retries done
  bool in_flight = false;
};

/// Everything about one provider.
struct lane {
  std::string name;
  rest_provider_actor actor;
  int64_t shared_failing_since = 0; ///< first of the current run of shared-budget failures
  provider_limits limits;
  rate_limiter limiter;
  circuit_breaker breaker;
  wait_queue<uint64_t> queue;
  std::unique_ptr<rest_adapter> adapter; ///< static facts: what merges
  std::chrono::nanoseconds call_timeout{std::chrono::seconds{12}};
  int64_t banned_until = 0;  ///< mono ns; 0: no ban
  int64_t wake_at = 0;       ///< a tick is armed for then (0: none)
  bool asking_budget = false; ///< a shared grant is being asked
  redis::budget_owner owner;
  provider_schedule_stats stats;
};

struct scheduler_state {
  scheduler_settings settings;
  std::map<std::string, lane> lanes;
  std::map<uint64_t, call> calls;
  std::map<std::string, uint64_t> by_key; ///< key -> call still queued or in flight
  fresh_answers<fetch_reply> fresh;
  uint64_t next_id = 1;
  budget_actor budget; ///< shared mode only
  uint64_t shared_errors = 0;
  std::mt19937_64 rng{std::random_device{}()};
  stage_stats stats{"scheduler"};
  std::shared_ptr<spdlog::logger> log = logger("scheduler");
  static inline const char* name = "scheduler";
};

using sched_ptr = scheduler_actor::stateful_pointer<scheduler_state>;

std::string key_of(const std::string& provider, const fetch_request& r) {
  return coalescing_key({provider, to_string(r.kind), r.instrument, to_string(r.span),
                         std::to_string(r.start_ns), std::to_string(r.end_ns),
                         std::to_string(r.limit), r.aggregated ? "agg" : "raw", r.query,
                         r.adjusted ? "adjusted" : "as-traded", r.page});
}

/// Calls of this shape may ride in one merged request.
std::string merge_group(const lane& l, const fetch_request& r) {
  bool latest = r.start_ns == 0 && r.end_ns == 0 && r.limit == 0;
  if (!latest || !l.adapter || l.adapter->max_batch(r.kind) <= 1)
    return {};
  return l.name + "/" + std::string{to_string(r.kind)};
}

fetch_reply refusal(const std::string& provider, errc code, std::string message,
                    int64_t retry_after_ns = 0) {
  fetch_reply r;
  r.provider = provider;
  r.ok = false;
  r.failure = fetch_error{code, std::move(message), std::max<int64_t>(0, retry_after_ns)};
  return r;
}

std::string in_ms(int64_t ns) {
  return std::to_string((ns + ms_ns - 1) / ms_ns) + " ms";
}

void pump(sched_ptr self, lane& l);

/// Wakes `l` at `at` (mono ns) unless an earlier wake is armed.
void arm(sched_ptr self, lane& l, int64_t at) {
  if (at == never_ns)
    return;
  auto now = mono_ns();
  if (l.wake_at != 0 && l.wake_at <= at && l.wake_at > now)
    return;
  l.wake_at = at;
  self->delayed_send(self, std::chrono::nanoseconds{std::max<int64_t>(at - now, 0)},
                     tick_atom::value, l.name);
}

/// Answers every waiter of call `id` with `r` and forgets the call.
void finish(sched_ptr self, uint64_t id, const fetch_reply& r) {
  auto& st = self->state;
  auto i = st.calls.find(id);
  if (i == st.calls.end())
    return;
  for (auto& w : i->second.waiters)
    w.promise.deliver(r);
  st.stats.events_out += i->second.waiters.size();
  if (auto k = st.by_key.find(i->second.key); k != st.by_key.end() && k->second == id)
    st.by_key.erase(k);
  st.calls.erase(i);
}

/// Refuses call `id` (still queued) for all its waiters.
void refuse(sched_ptr self, lane& l, uint64_t id, const fetch_reply& r) {
  auto i = self->state.calls.find(id);
  if (i == self->state.calls.end())
    return;
  l.stats.denied += i->second.waiters.size();
  finish(self, id, r);
}

/// Refuses every queued call of `l` (circuit open, provider gone).
void refuse_queued(sched_ptr self, lane& l, const fetch_reply& r) {
  while (auto id = l.queue.pop())
    refuse(self, l, *id, r);
}

/// Queues call `id`; a call pushed out of a full queue is refused.
bool enqueue(sched_ptr self, lane& l, uint64_t id, priority p) {
  auto pushed = l.queue.push(p, id);
  if (pushed.evicted)
    refuse(self, l, *pushed.evicted,
           refusal(l.name, errc::rate_limited, l.name + ": queue full", 1'000 * ms_ns));
  return pushed.accepted;
}

/// Refuses the waiters whose deadline passed; returns the earliest deadline
/// still ahead (never_ns when none).
int64_t expire_waiters(sched_ptr self, lane& l, int64_t now) {
  auto& st = self->state;
  int64_t earliest = never_ns;
  std::vector<uint64_t> empty;
  auto next = l.limiter.next_grant(now, 1);
  auto retry_after = next == never_ns ? 1'000 * ms_ns : std::max<int64_t>(next - now, ms_ns);
  l.queue.take_if([&](uint64_t id) {
    auto i = st.calls.find(id);
    if (i == st.calls.end())
      return true;
    auto& ws = i->second.waiters;
    auto msg = l.name + ": no grant within the wait allowed (budget spent)";
    for (auto w = ws.begin(); w != ws.end();) {
      if (w->deadline_ns <= now) {
        w->promise.deliver(refusal(l.name, errc::rate_limited, msg, retry_after));
        l.stats.denied += 1;
        w = ws.erase(w);
      } else {
        earliest = std::min(earliest, w->deadline_ns);
        ++w;
      }
    }
    if (ws.empty()) {
      empty.push_back(id);
      return true;
    }
    return false;
  }, [](uint64_t) {});
  for (auto id : empty)
    finish(self, id, {});
  return earliest;
}

void dispatch(sched_ptr self, lane& l, std::vector<uint64_t> ids, uint64_t weight,
              limiter_ticket ticket, uint64_t shared_id);

/// Sends granted calls upstream, after the shared budget agreed (shared mode).
void grant(sched_ptr self, lane& l, std::vector<uint64_t> ids, uint64_t weight) {
  auto& st = self->state;
  auto now = mono_ns();
  auto ticket = l.limiter.acquire(now, weight);
  if (!st.budget)
    return dispatch(self, l, std::move(ids), weight, ticket, 0);
  budget_ask ask;
  ask.owner = l.owner;
  ask.weight = weight;
  ask.hold_ms = l.call_timeout.count() / ms_ns + 5'000;
  for (auto& w : l.limits.limiter().windows)
    ask.windows.push_back(redis::budget_window{w.window_ns / ms_ns, w.limit});
  l.asking_budget = true;
  auto name = l.name;
  self->request(st.budget, std::chrono::seconds{5}, grant_atom::value, ask)
    .then(
      [=](const budget_answer& a) mutable {
        auto& l = self->state.lanes.at(name);
        l.asking_budget = false;
        auto now = mono_ns();
        if (a.failed) {
          self->state.shared_errors += 1;
          // Fail closed while Redis hiccups (a call on the local budget alone
          // could overrun the shared window); fall back to local limits only
          // once it has failed for shared_fallback_after.
          if (l.shared_failing_since == 0)
            l.shared_failing_since = now;
          if (now - l.shared_failing_since < shared_fallback_after_ns) {
            l.limiter.cancel(ticket);
            for (auto id = ids.rbegin(); id != ids.rend(); ++id)
              if (auto c = self->state.calls.find(*id); c != self->state.calls.end())
                l.queue.push_front(c->second.prio, *id);
            return arm(self, l, now + 50 * ms_ns);
          }
        } else {
          l.shared_failing_since = 0;
        }
        if (a.failed || a.grant.granted)
          return dispatch(self, l, ids, weight, ticket, a.grant.id);
        // Refused: the calls go back to the front and wait.
        l.limiter.cancel(ticket);
        for (auto id = ids.rbegin(); id != ids.rend(); ++id)
          if (auto c = self->state.calls.find(*id); c != self->state.calls.end())
            l.queue.push_front(c->second.prio, *id);
        auto wait = a.grant.wait_ms * ms_ns;
        if (a.grant.held) // in-flight calls elsewhere may finish sooner
          wait = std::min<int64_t>(wait, 20 * ms_ns);
        if (a.grant.banned)
          l.limiter.pause_until(mono_ns() + wait);
        arm(self, l, mono_ns() + wait);
      },
      [=](caf::error&) mutable {
        auto& l = self->state.lanes.at(name);
        l.asking_budget = false;
        self->state.shared_errors += 1;
        dispatch(self, l, ids, weight, ticket, 0);
      });
}

void on_reply(sched_ptr self, const std::string& name, std::vector<uint64_t> ids,
              uint64_t weight, limiter_ticket ticket, uint64_t shared_id,
              fetch_reply r);

void dispatch(sched_ptr self, lane& l, std::vector<uint64_t> ids, uint64_t weight,
              limiter_ticket ticket, uint64_t shared_id) {
  auto& st = self->state;
  std::vector<uint64_t> live;
  for (auto id : ids)
    if (auto c = st.calls.find(id); c != st.calls.end()) {
      c->second.in_flight = true;
      live.push_back(id);
    }
  auto name = l.name;
  if (live.empty() || !l.actor) { // nothing left to ask, or no one to ask
    l.limiter.cancel(ticket);
    if (st.budget && shared_id != 0)
      self->send(st.budget, release_atom::value, l.owner, shared_id, weight);
    for (auto id : live)
      refuse(self, l, id, refusal(name, errc::unavailable, name + ": provider is restarting"));
    return;
  }
  l.stats.calls += 1;
  auto handle = [=](fetch_reply r) {
    on_reply(self, name, live, weight, ticket, shared_id, std::move(r));
  };
  auto lost = [=](caf::error& e) {
    on_reply(self, name, live, weight, ticket, shared_id,
             refusal(name, errc::unavailable,
                     name + ": did not answer: " + self->system().render(e)));
  };
  auto& first = st.calls.at(live.front());
  if (live.size() == 1) {
    self->request(first.via ? first.via : fetch_actor{l.actor}, l.call_timeout,
                  fetch_atom::value, first.request)
      .then(handle, lost);
    return;
  }
  fetch_batch b;
  b.kind = first.request.kind;
  for (auto id : live)
    b.instruments.push_back(st.calls.at(id).request.instrument);
  l.stats.saved_merged += live.size() - 1;
  self->request(l.actor, l.call_timeout, fetch_atom::value, std::move(b))
    .then(handle, lost);
}

/// The part of a merged answer that belongs to `instrument`.
fetch_reply part_for(const fetch_reply& all, const std::string& instrument) {
  auto out = all;
  out.data = {};
  for (auto& p : all.data.prices)
    if (p.instrument == instrument)
      out.data.prices.push_back(p);
  for (auto& q : all.data.quotes)
    if (q.instrument == instrument)
      out.data.quotes.push_back(q);
  if (out.data.prices.empty() && out.data.quotes.empty()) {
    out.ok = false;
    out.failure = fetch_error{errc::not_found,
                              all.provider + ": no price for " + instrument, 0};
  }
  return out;
}

void on_reply(sched_ptr self, const std::string& name, std::vector<uint64_t> ids,
              uint64_t weight, limiter_ticket ticket, uint64_t shared_id,
              fetch_reply r) {
  auto& st = self->state;
  auto& l = st.lanes.at(name);
  auto now = mono_ns();
  l.limiter.release(ticket, now);
  if (st.budget && shared_id != 0)
    self->send(st.budget, release_atom::value, l.owner, shared_id, weight);
  if (r.used_weight >= 0) {
    l.limiter.observe_used(minute_window_ns, static_cast<uint64_t>(r.used_weight), now);
    if (st.budget)
      self->send(st.budget, weight_atom::value, l.owner, int64_t{60'000},
                 static_cast<uint64_t>(r.used_weight));
  }
  if (r.ok) {
    l.breaker.on_success(now);
    for (auto id : ids) {
      auto c = st.calls.find(id);
      if (c == st.calls.end())
        continue;
      auto part = ids.size() == 1 ? r : part_for(r, c->second.request.instrument);
      if (part.ok)
        st.fresh.put(c->second.key, part, now);
      finish(self, id, part);
    }
    return pump(self, l);
  }
  // A failure: pause the provider if it asked, count it, retry or answer.
  l.stats.failures += 1;
  auto kind = classify_failure(r.failure.code, r.http_status);
  auto& retry = st.settings.retry;
  if (auto pause = pause_ns(retry, kind, r.failure.retry_after_ns); pause > 0) {
    // The callers' Retry-After is the time tickflow really stays away (a 418
    // without Retry-After: ban-pause, 120 s), not what the provider sent.
    r.failure.retry_after_ns = std::max(r.failure.retry_after_ns, pause);
    l.limiter.pause_until(now + pause);
    if (kind == failure_kind::banned) {
      l.banned_until = std::max(l.banned_until, now + pause);
      st.log->warn("{} banned us (HTTP 418): no call for {} s", name, pause / 1'000'000'000);
      if (st.budget)
        self->send(st.budget, ban_atom::value, l.owner, pause / ms_ns);
    }
  }
  if (kind == failure_kind::transient)
    l.breaker.on_failure(now);
  for (auto id : ids) {
    auto c = st.calls.find(id);
    if (c == st.calls.end())
      continue;
    auto& x = c->second;
    x.in_flight = false;
    bool retryable = kind != failure_kind::final && kind != failure_kind::banned
                     && x.attempt < retry.max_retries;
    std::uniform_real_distribution<double> unit{0.0, 1.0};
    auto delay = retry_delay_ns(retry, x.attempt + 1, r.failure.retry_after_ns,
                                unit(st.rng));
    // Waiters that cannot wait for the retry get the failure now.
    auto& ws = x.waiters;
    for (auto w = ws.begin(); w != ws.end();) {
      if (retryable && w->may_retry && now + delay < w->deadline_ns) {
        ++w;
      } else {
        w->promise.deliver(r);
        st.stats.events_out += 1;
        w = ws.erase(w);
      }
    }
    if (ws.empty()) {
      finish(self, id, r);
      continue;
    }
    x.attempt += 1;
    l.stats.retried += 1;
    self->delayed_send(self, std::chrono::nanoseconds{delay}, retry_atom::value, id);
  }
  pump(self, l);
}

/// Grants what the budget allows, highest priority first.
void pump(sched_ptr self, lane& l) {
  auto& st = self->state;
  auto now = mono_ns();
  auto earliest_deadline = expire_waiters(self, l, now);
  arm(self, l, earliest_deadline);
  if (!l.actor && !l.queue.empty())
    return refuse_queued(self, l, refusal(l.name, errc::unavailable,
                                          l.name + ": provider is restarting"));
  while (!l.queue.empty() && !l.asking_budget) {
    auto state = l.breaker.state(now);
    if (state == circuit_state::open)
      return refuse_queued(self, l, refusal(l.name, errc::unavailable,
                                            l.name + ": circuit open",
                                            l.breaker.probe_at() - now));
    if (!l.breaker.would_allow(now))
      return; // half-open: the probe is out, the others wait for its answer
    auto id = *l.queue.front();
    auto prio = l.queue.front_priority();
    auto hi = st.calls.find(id);
    if (hi == st.calls.end()) { // answered meanwhile
      l.queue.pop();
      continue;
    }
    auto& head = hi->second;
    auto group = prio == priority::batch && !head.via ? merge_group(l, head.request)
                                                      : std::string{};
    auto weight = l.limits.weight_of(to_string(head.request.kind));
    auto batch_weight = l.limits.batch_weight > 0 ? l.limits.batch_weight : weight;
    // A merged request may weigh more: wait for its weight when there is
    // something to merge with. The calls are taken out, and put back in
    // their order if they cannot go yet.
    l.queue.take_if([&](uint64_t x) { return x == id; }, [](uint64_t) {}, 1);
    std::vector<uint64_t> ids{id};
    if (!group.empty()) {
      batch_builder b{group, std::min(l.limits.max_batch, l.adapter->max_batch(head.request.kind))};
      b.offer(prio, group, head.request.instrument);
      size_t others = 0;
      l.queue.take_if(
        [&](uint64_t other) {
          auto c = st.calls.find(other);
          if (other == id || c == st.calls.end() || c->second.via)
            return false;
          return b.offer(c->second.prio, merge_group(l, c->second.request),
                         c->second.request.instrument);
        },
        [&](uint64_t other) {
          ids.push_back(other);
          ++others;
        });
      if (others > 0)
        weight = batch_weight;
    }
    auto at = l.limiter.next_grant(now, weight);
    if (at > now) {
      for (size_t i = ids.size(); i-- > 1;)
        l.queue.push_front(priority::batch, ids[i]);
      l.queue.push_front(prio, id);
      return arm(self, l, at);
    }
    l.breaker.allow(now); // takes the probe when half-open
    grant(self, l, std::move(ids), weight);
  }
}

/// A caller arrived: answer from the fresh answers, join an identical
/// call, refuse, or queue.
caf::result<fetch_reply> submit(sched_ptr self, const sched_fetch& f) {
  auto& st = self->state;
  st.stats.events_in += 1;
  auto li = st.lanes.find(f.provider);
  if (li == st.lanes.end())
    return refusal(f.provider, errc::unavailable, f.provider + ": not a scheduled provider");
  auto& l = li->second;
  auto now = mono_ns();
  auto key = key_of(f.provider, f.request);
  if (f.via) // its answer goes elsewhere: never shared with the provider's own calls
    key += "|via";
  if (auto hit = st.fresh.get(key, now)) {
    l.stats.saved_cache += 1;
    st.stats.events_out += 1;
    return *hit;
  }
  auto wait = f.last_choice ? st.settings.max_wait_ns : st.settings.failover_wait_ns;
  // (Made only when the answer comes later: a promise takes over the reply.)
  auto later = [&] {
    return waiter{self->make_response_promise<fetch_reply>(), now + wait, f.last_choice};
  };
  if (auto k = st.by_key.find(key); k != st.by_key.end()) {
    auto& c = st.calls.at(k->second);
    l.stats.saved_coalesced += 1;
    c.waiters.push_back(later());
    auto promise = c.waiters.back().promise;
    // A more urgent caller lifts a queued call to its priority.
    if (f.prio < c.prio && !c.in_flight) {
      c.prio = f.prio;
      if (l.queue.take_if([&](uint64_t x) { return x == c.id; }, [](uint64_t) {}, 1) > 0)
        enqueue(self, l, c.id, c.prio);
      pump(self, l);
    }
    return promise;
  }
  // Refuse at once what could not go out in time anyway.
  auto deny = [&](errc code, std::string msg, int64_t retry_after) -> caf::result<fetch_reply> {
    l.stats.denied += 1;
    st.stats.events_out += 1;
    return refusal(f.provider, code, std::move(msg), retry_after);
  };
  if (!l.actor)
    return deny(errc::unavailable, f.provider + ": provider is restarting", 0);
  if (auto paused = l.limiter.paused_until(); paused > now + wait) {
    auto banned = l.banned_until >= paused;
    return deny(errc::rate_limited,
                f.provider + (banned ? ": banned (HTTP 418) for " : ": paused (Retry-After) for ")
                  + in_ms(paused - now),
                paused - now);
  }
  if (!l.breaker.would_allow(now) && l.breaker.state(now) == circuit_state::open)
    return deny(errc::unavailable, f.provider + ": circuit open", l.breaker.probe_at() - now);
  if (!l.limiter.can_ever(l.limits.weight_of(to_string(f.request.kind))))
    return deny(errc::rate_limited, f.provider + ": a call weighs more than the budget", 0);
  auto id = st.next_id++;
  auto& c = st.calls[id];
  c.id = id;
  c.provider = f.provider;
  c.key = key;
  c.request = f.request;
  c.prio = f.prio;
  c.via = f.via;
  c.waiters.push_back(later());
  auto promise = c.waiters.back().promise;
  st.by_key[key] = id;
  if (!enqueue(self, l, id, f.prio)) {
    refuse(self, l, id, refusal(f.provider, errc::rate_limited, f.provider + ": queue full",
                                1'000 * ms_ns));
    return promise;
  }
  pump(self, l);
  return promise;
}

scheduler_stats report(sched_ptr self) {
  auto& st = self->state;
  scheduler_stats out;
  out.shared = st.settings.shared;
  out.shared_errors = st.shared_errors;
  auto now = mono_ns();
  for (auto& [name, l] : st.lanes) {
    auto s = l.stats;
    s.provider = name;
    s.in_flight = l.limiter.in_flight();
    s.queued = l.queue.size();
    s.circuit = std::string{to_string(l.breaker.state(now))};
    s.circuit_opened = l.breaker.opened_count();
    auto paused = l.limiter.paused_until();
    s.paused_for_ms = paused > now ? (paused - now + ms_ns - 1) / ms_ns : 0;
    s.banned = l.banned_until > now;
    for (auto& w : l.limits.limiter().windows) {
      auto label = w.window_ns == 1'000'000'000  ? "second"
                   : w.window_ns == minute_window_ns ? "minute"
                                                     : "day";
      s.windows.emplace_back(label, std::make_pair(l.limiter.used(w.window_ns, now), w.limit));
    }
    out.providers.push_back(std::move(s));
    for (size_t p = 0; p < priority_count; ++p)
      out.queue_depth[p] += l.queue.depth(static_cast<priority>(p));
  }
  return out;
}

/// The budget lane of one REST provider, from its [provider.x] and [limits.x].
void add_lane(scheduler_state& st, const std::string& name,
              const rest_provider_settings& cfg) {
  auto& l = st.lanes[name];
  l.name = name;
  auto lim = st.settings.limits.find(name);
  l.limits = lim != st.settings.limits.end() ? lim->second : default_limits(name);
  l.limiter = rate_limiter{l.limits.limiter()};
  l.breaker = circuit_breaker{l.limits.breaker};
  l.queue = wait_queue<uint64_t>{st.settings.queue_bound};
  if (auto id = provider_from_string(name))
    l.adapter = make_rest_adapter(*id, {});
  // The provider actor is serial: a call may wait behind the others.
  l.call_timeout = std::chrono::nanoseconds{
    (cfg.timeout_ns + 2'000'000'000) * std::max<int64_t>(1, l.limits.concurrency)};
  l.owner = redis::budget_owner{name, cfg.api_key_env.empty() ? "public" : cfg.api_key_env};
  l.stats.provider = name;
}

scheduler_actor::behavior_type scheduler(sched_ptr self, topology topo) {
  auto& st = self->state;
  st.settings = topo.scheduler;
  st.fresh = fresh_answers<fetch_reply>{st.settings.fresh_for_ns, st.settings.fresh_entries};
  for (auto& [name, cfg] : topo.rest_providers)
    if (is_rest_provider(name))
      add_lane(st, name, cfg);
  if (st.settings.shared) {
    auto opts = redis_options(topo.redis);
    opts.io_timeout_ms = 2000;
    st.budget = self->system().spawn<caf::detached>(budget_keeper, opts,
                                                    st.settings.key_prefix);
    self->link_to(st.budget);
  }
  st.log->info("scheduler: {} provider budget(s){}", st.lanes.size(),
               st.settings.shared ? ", shared in Redis at " + redis_where(topo.redis)
                                  : std::string{});
  return {
    [=](fetch_atom, const sched_fetch& f) { return submit(self, f); },
    [=](provider_handles& h) {
      auto& st = self->state;
      for (auto& [name, l] : st.lanes)
        l.actor = nullptr;
      for (size_t i = 0; i < h.names.size() && i < h.actors.size(); ++i)
        if (auto l = st.lanes.find(h.names[i]); l != st.lanes.end())
          // Lanes exist for REST providers only: their actors are REST actors.
          l->second.actor = caf::actor_cast<rest_provider_actor>(h.actors[i]);
      for (auto& [name, l] : st.lanes)
        pump(self, l);
    },
    [=](tick_atom, const std::string& name) {
      auto l = self->state.lanes.find(name);
      if (l == self->state.lanes.end())
        return;
      l->second.wake_at = 0;
      pump(self, l->second);
    },
    [=](retry_atom, uint64_t id) {
      auto& st = self->state;
      auto c = st.calls.find(id);
      if (c == st.calls.end())
        return;
      auto& l = st.lanes.at(c->second.provider);
      if (!enqueue(self, l, id, c->second.prio))
        return refuse(self, l, id, refusal(l.name, errc::rate_limited, l.name + ": queue full"));
      pump(self, l);
    },
    [=](failover_atom, const std::string& provider) {
      if (auto l = self->state.lanes.find(provider); l != self->state.lanes.end())
        l->second.stats.failed_over += 1;
    },
    [=](reload_atom, const topology& next) {
      // SIGHUP: providers configured since the start get a lane. Existing
      // lanes keep their windows and circuits (a new [limits.x] waits for a
      // restart: resetting a window could overrun the provider's).
      auto& st = self->state;
      for (auto& [name, cfg] : next.rest_providers)
        if (is_rest_provider(name) && st.lanes.count(name) == 0) {
          st.settings.limits = next.scheduler.limits;
          add_lane(st, name, cfg);
          st.log->info("scheduler: budget added for {}", name);
        }
    },
    [=](sched_stats_atom) { return report(self); },
    [=](stats_atom) { return self->state.stats; },
  };
}

} // namespace

scheduler_actor spawn_scheduler(caf::actor_system& sys, const topology& topo) {
  return sys.spawn(scheduler, topo);
}

} // namespace tickflow
