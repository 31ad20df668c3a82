// Fetching from providers: the failover chain of the symbol's asset class,
// each step asked through the rate-limit scheduler.

#include <algorithm>
#include <memory>
#include <optional>

#include "actors/gateway_state.hpp"
#include "adapters/common/paging.hpp"
#include "api/routes/fetch.hpp"
#include "pipeline/ratelimit/failover.hpp"

namespace tickflow {

namespace {

/// The walk down one chain.
struct walk {
  resolved_chain chain;
  fetch_request req;
  priority prio = priority::high;
  chain_outcome out;
  fetch_done done;
  std::optional<fetch_reply> stale;      ///< a stale answer, served if no one has better
  std::optional<fetch_reply> first_real; ///< the first failure that was not "unknown"
  std::optional<pager> pages; ///< the step being asked, page by page
};

/// How long to wait for the scheduler: its longest wait plus every retry.
std::chrono::nanoseconds scheduler_timeout(const gateway_state& st) {
  auto& s = st.topo.scheduler;
  auto tries = static_cast<int64_t>(s.retry.max_retries) + 1;
  return std::chrono::nanoseconds{s.max_wait_ns + tries * st.reads.fetch_timeout.count()
                                  + (tries - 1) * s.retry.backoff_max_ns};
}

api::http_response failure_of(const fetch_reply& r, const std::string& instrument) {
  auto& f = r.failure;
  return api::provider_failure(r.provider, f.code, f.message, f.retry_after_ns, instrument);
}

void step(gateway_ptr self, std::shared_ptr<walk> w, size_t i);

void ask(gateway_ptr self, std::shared_ptr<walk> w, size_t i, fetch_request req);

/// Step `i` answered `r`.
void on_answer(gateway_ptr self, std::shared_ptr<walk> w, size_t i, fetch_reply r) {
  auto& st = self->state;
  // A page of a longer range: the next page is asked of the same provider
  // (another scheduled call); a failed page fails the step as any answer.
  if (w->pages && !r.ok && r.failure.code == errc::not_found && w->pages->pages() > 0) {
    // No data past the pages already in: they are the answer.
    r.ok = true;
    r.data = std::move(*w->pages).result();
  } else if (r.ok && w->pages) {
    if (auto next = w->pages->take(std::move(r.data)))
      return ask(self, w, i, std::move(*next));
    r.data = std::move(*w->pages).result();
  }
  auto& name = w->chain.steps[i].provider;
  bool last = i + 1 >= w->chain.steps.size();
  // A price older than the class allows is kept in case no one has better.
  auto bound = stale_after_ns(st.topo.scheduler.failover, w->chain.symbol.cls);
  auto age = api::newest_age_ns(r.data.prices, now_ns());
  bool stale = r.ok && bound > 0 && w->req.kind == fetch_kind::price
               && !r.data.prices.empty() && age > bound;
  if (r.ok && !stale) {
    w->out.ok = true;
    w->out.reply = std::move(r);
    return w->done(std::move(w->out));
  }
  bool healthy = r.ok || api::is_no_service(r.failure.code);
  if (stale && !w->stale)
    w->stale = r;
  if (!r.ok && !healthy && !w->first_real)
    w->first_real = r;
  if (!last) {
    w->out.passed.push_back(
      stale ? api::stale_reason(name, age)
            : name + ": " + api::passed_reason(r.provider, r.failure.code, r.failure.message));
    if (st.reads.scheduler && (stale || !healthy))
      self->send(st.reads.scheduler, failover_atom::value, name);
    return step(self, w, i + 1);
  }
  // The end of the chain.
  if (w->stale) {
    w->out.ok = true;
    w->out.reply = *w->stale;
  } else if (w->chain.steps.size() == 1) {
    w->out.error = failure_of(r, w->req.instrument);
  } else if (w->first_real) {
    w->out.error = failure_of(*w->first_real, w->req.instrument);
  } else {
    w->out.error = api::no_provider_serves(w->req.instrument);
  }
  w->done(std::move(w->out));
}

/// The adapter of the REST provider `name` (null when not in the catalog).
const rest_adapter* adapter_of(const gateway_state& st, const std::string& name) {
  for (auto& a : st.reads.catalog)
    if (to_string(a->info().id) == name)
      return a.get();
  return nullptr;
}

void step(gateway_ptr self, std::shared_ptr<walk> w, size_t i) {
  auto& s = w->chain.steps[i];
  auto req = w->req;
  req.instrument = s.instrument;
  w->pages.emplace(adapter_of(self->state, s.provider), std::move(req));
  ask(self, w, i, w->pages->first());
}

/// Sends one call of step `i` (a whole request or one page).
void ask(gateway_ptr self, std::shared_ptr<walk> w, size_t i, fetch_request req) {
  auto& st = self->state;
  auto& s = w->chain.steps[i];
  auto answer = [self, w, i](fetch_reply r) { on_answer(self, w, i, std::move(r)); };
  auto lost = [self, w, i](caf::error& e) {
    fetch_reply r;
    r.provider = w->chain.steps[i].provider;
    r.failure = fetch_error{errc::unavailable,
                            "did not answer: " + self->system().render(e), 0};
    on_answer(self, w, i, std::move(r));
  };
  if (st.reads.scheduler) {
    sched_fetch f{s.provider, req, w->prio, i + 1 >= w->chain.steps.size(), {}};
    self->request(st.reads.scheduler, scheduler_timeout(st), fetch_atom::value, std::move(f))
      .then(answer, lost);
    return;
  }
  // No scheduler (a gateway spawned alone, in tests): ask the provider.
  for (auto& [name, actor] : st.rest_chain(s.provider))
    if (name == s.provider) {
      self->request(actor, st.reads.fetch_timeout, fetch_atom::value, req).then(answer, lost);
      return;
    }
  fetch_reply gone;
  gone.provider = s.provider;
  gone.failure = fetch_error{errc::unavailable, "provider is restarting", 0};
  on_answer(self, w, i, std::move(gone));
}

/// Drops the steps of `chain` whose bars cannot be of the asked kind
/// (adjusted or as traded), so one answer is one series; false when it
/// dropped any.
bool keep_bar_kind(resolved_chain& chain, bool adjusted) {
  std::vector<std::string> names;
  for (auto& s : chain.steps)
    names.push_back(s.provider);
  auto kept = serving_bars(names, adjusted, chain.symbol.cls);
  if (kept.size() == names.size())
    return true;
  auto& steps = chain.steps;
  steps.erase(std::remove_if(steps.begin(), steps.end(),
                             [&](const chain_step& s) {
                               return std::find(kept.begin(), kept.end(), s.provider)
                                      == kept.end();
                             }),
              steps.end());
  return false;
}

/// True if `name`'s adapter lists one of `kinds` in its data types (any
/// provider when `kinds` is empty).
bool serves(const gateway_state& st, const std::string& name,
            std::initializer_list<fetch_kind> kinds) {
  if (kinds.size() == 0)
    return true;
  for (auto& a : st.reads.catalog)
    if (to_string(a->info().id) == name) {
      auto& types = a->info().data_types;
      for (auto k : kinds)
        if (std::find(types.begin(), types.end(), k) != types.end())
          return true;
      return false;
    }
  return false;
}

/// The enabled REST providers that serve one of `kinds`, in config order
/// (a chain never asks a provider for what it does not serve, e.g. news
/// sources for prices).
std::vector<std::string> enabled_rest(const gateway_state& st,
                                      std::initializer_list<fetch_kind> kinds = {}) {
  std::vector<std::string> out;
  for (auto& p : st.topo.providers)
    if (is_rest_provider(p) && serves(st, p, kinds))
      out.push_back(p);
  return out;
}

} // namespace

std::vector<std::string> serving_providers(const gateway_state& st, fetch_kind kind) {
  return enabled_rest(st, {kind});
}

void fetch_from_providers(gateway_ptr self, fetch_request req, std::string only,
                          priority prio, fetch_done done) {
  auto& st = self->state;
  auto w = std::make_shared<walk>();
  // A provider named by the caller answers for itself (its adapter refuses
  // what it does not serve); the failover chain holds only those that serve.
  auto& failover = st.topo.scheduler.failover;
  if (req.instrument.empty()) {
    // About no instrument (market news): no symbol to detect, the named
    // provider is asked as is.
    auto all = enabled_rest(st);
    if (!only.empty() && std::find(all.begin(), all.end(), only) != all.end())
      w->chain.steps.push_back(chain_step{only, {}});
  } else {
    w->chain = only.empty() ? resolve_chain(failover, req.instrument, enabled_rest(st, {req.kind}))
                            : resolve_chain(failover, req.instrument, enabled_rest(st), only);
    if (req.kind == fetch_kind::bars && !keep_bar_kind(w->chain, req.adjusted)
        && (w->chain.steps.empty() || !only.empty())) {
      w->out.error = api::bar_kind_not_served(only, req.instrument, req.adjusted);
      return done(std::move(w->out));
    }
  }
  w->req = std::move(req);
  w->prio = prio;
  w->done = std::move(done);
  if (w->chain.steps.empty()) {
    w->out.error = only.empty() ? api::no_provider_serves(w->req.instrument)
                                : api::provider_not_enabled(only);
    return w->done(std::move(w->out));
  }
  step(self, w, 0);
}

bool can_fetch(gateway_ptr self, const std::string& instrument) {
  auto& st = self->state;
  return !resolve_chain(st.topo.scheduler.failover, instrument,
                        enabled_rest(st, {fetch_kind::price, fetch_kind::bars}))
            .steps.empty();
}

} // namespace tickflow
