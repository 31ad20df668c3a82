// Fetching from providers: the failover chain of the symbol's asset class,
// each step asked through the rate-limit scheduler.

#include <algorithm>
#include <initializer_list>
#include <memory>

#include "actors/gateway_state.hpp"
#include "pipeline/schedule/failover.hpp"

namespace tickflow {

namespace {

/// The reply for a provider's failure; the message always names the provider.
api::http_response provider_failure(const std::string& name, const fetch_error& e,
                                    const std::string& instrument) {
  // Adapters often name themselves already; say it once.
  auto msg = e.message.rfind(name + ":", 0) == 0 ? e.message : name + ": " + e.message;
  switch (e.code) {
    case errc::unknown_symbol:
      return fail(404, "unknown_symbol",
                  name + " does not know " + instrument, "symbol");
    case errc::not_found:
      return fail(404, "no_data", msg, "symbol");
    case errc::invalid_argument:
      return fail(400, "invalid_parameter", msg);
    case errc::rate_limited: {
      auto r = fail(503, "provider_rate_limited", msg);
      auto secs = std::max<int64_t>(1, (e.retry_after_ns + 999'999'999) / 1'000'000'000);
      r.headers.emplace_back("Retry-After", std::to_string(secs));
      return r;
    }
    case errc::unauthorized:
      return fail(502, "provider_unauthorized", msg);
    case errc::malformed:
    case errc::missing_field:
    case errc::bad_number:
      return fail(502, "provider_malformed", "malformed payload from " + msg);
    case errc::unavailable:
      return fail(502, "provider_unavailable", msg);
    default:
      return fail(502, "provider_error", msg);
  }
}

/// A failure that says nothing about the provider's health: it just does
/// not serve this instrument or request.
bool is_no_service(errc code) {
  return code == errc::unknown_symbol || code == errc::invalid_argument;
}

/// Why a reply was passed over, for chain_outcome::passed.
std::string reason_of(const fetch_reply& r) {
  auto msg = r.failure.message;
  auto own = r.provider + ": ";
  if (msg.rfind(own, 0) == 0)
    msg.erase(0, own.size());
  return std::string{to_string(r.failure.code)} + (msg.empty() ? "" : ": " + msg);
}

/// The newest price of a price reply is older than the class allows.
bool is_stale(const gateway_state& st, const resolved_chain& chain,
              const fetch_request& req, const fetch_reply& r, int64_t& age_ns) {
  auto bound = stale_after_ns(st.topo.scheduler.failover, chain.symbol.cls);
  if (bound <= 0 || req.kind != fetch_kind::price || r.data.prices.empty())
    return false;
  int64_t newest = 0;
  for (auto& p : r.data.prices)
    newest = std::max(newest, p.ts_event_ns);
  age_ns = now_ns() - newest;
  return age_ns > bound;
}

/// The walk down one chain.
struct walk {
  resolved_chain chain;
  fetch_request req;
  priority prio = priority::high;
  chain_outcome out;
  fetch_done done;
  std::optional<fetch_reply> stale;      ///< a stale answer, served if no one has better
  std::optional<fetch_reply> first_real; ///< the first failure that was not "unknown"
};

/// How long to wait for the scheduler: its longest wait plus every retry.
std::chrono::nanoseconds scheduler_timeout(const gateway_state& st) {
  auto& s = st.topo.scheduler;
  auto tries = static_cast<int64_t>(s.retry.max_retries) + 1;
  return std::chrono::nanoseconds{s.max_wait_ns + tries * st.fetch_timeout.count()
                                  + (tries - 1) * s.retry.backoff_max_ns};
}

void step(gateway_ptr self, std::shared_ptr<walk> w, size_t i);

/// Step `i` answered `r`.
void on_answer(gateway_ptr self, std::shared_ptr<walk> w, size_t i, fetch_reply r) {
  auto& st = self->state;
  auto& name = w->chain.steps[i].provider;
  bool last = i + 1 >= w->chain.steps.size();
  int64_t age = 0;
  if (r.ok && !is_stale(st, w->chain, w->req, r, age)) {
    w->out.ok = true;
    w->out.reply = std::move(r);
    return w->done(std::move(w->out));
  }
  if (r.ok) { // stale: keep it in case no one has better
    if (!w->stale)
      w->stale = r;
    if (!last) {
      w->out.passed.push_back(name + ": stale (newest price " + std::to_string(age / 1'000'000'000)
                              + " s old)");
      if (st.scheduler)
        self->send(st.scheduler, failover_atom::value, name);
      return step(self, w, i + 1);
    }
  } else {
    if (!is_no_service(r.failure.code) && !w->first_real)
      w->first_real = r;
    if (!last) {
      w->out.passed.push_back(name + ": " + reason_of(r));
      if (st.scheduler && !is_no_service(r.failure.code))
        self->send(st.scheduler, failover_atom::value, name);
      return step(self, w, i + 1);
    }
  }
  // The end of the chain.
  if (w->stale) {
    w->out.ok = true;
    w->out.reply = *w->stale;
    return w->done(std::move(w->out));
  }
  if (w->chain.steps.size() == 1)
    w->out.error = provider_failure(r.provider, r.failure, w->req.instrument);
  else if (w->first_real)
    w->out.error = provider_failure(w->first_real->provider, w->first_real->failure,
                                    w->req.instrument);
  else
    w->out.error = fail(404, "unknown_symbol", "no provider serves " + w->req.instrument,
                        "symbol");
  w->done(std::move(w->out));
}

void step(gateway_ptr self, std::shared_ptr<walk> w, size_t i) {
  auto& st = self->state;
  auto& s = w->chain.steps[i];
  auto req = w->req;
  req.instrument = s.instrument;
  auto answer = [self, w, i](fetch_reply r) { on_answer(self, w, i, std::move(r)); };
  auto lost = [self, w, i](caf::error& e) {
    fetch_reply r;
    r.provider = w->chain.steps[i].provider;
    r.failure = fetch_error{errc::unavailable,
                            "did not answer: " + self->system().render(e), 0};
    on_answer(self, w, i, std::move(r));
  };
  if (st.scheduler) {
    sched_fetch f{s.provider, req, w->prio, i + 1 >= w->chain.steps.size(), {}};
    self->request(st.scheduler, scheduler_timeout(st), fetch_atom::value, std::move(f))
      .then(answer, lost);
    return;
  }
  // No scheduler (a gateway spawned alone, in tests): ask the provider.
  for (auto& [name, actor] : st.rest_chain(s.provider))
    if (name == s.provider) {
      self->request(actor, st.fetch_timeout, fetch_atom::value, req).then(answer, lost);
      return;
    }
  fetch_reply gone;
  gone.provider = s.provider;
  gone.failure = fetch_error{errc::unavailable, "provider is restarting", 0};
  on_answer(self, w, i, std::move(gone));
}

/// True if `name`'s adapter lists one of `kinds` in its data types (any
/// provider when `kinds` is empty).
bool serves(const gateway_state& st, const std::string& name,
            std::initializer_list<fetch_kind> kinds) {
  if (kinds.size() == 0)
    return true;
  for (auto& a : st.catalog)
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

void fetch_from_providers(gateway_ptr self, fetch_request req, std::string only,
                          priority prio, fetch_done done) {
  auto& st = self->state;
  auto w = std::make_shared<walk>();
  // A provider named by the caller answers for itself (its adapter refuses
  // what it does not serve); the failover chain holds only those that serve.
  if (req.instrument.empty()) {
    // About no instrument (market news): no symbol to detect, the named
    // provider is asked as is.
    auto all = enabled_rest(st);
    if (!only.empty() && std::find(all.begin(), all.end(), only) != all.end())
      w->chain.steps.push_back(chain_step{only, {}});
  } else {
    w->chain = only.empty() ? resolve_chain(st.topo.scheduler.failover, req.instrument,
                                             enabled_rest(st, {req.kind}))
                            : resolve_chain(st.topo.scheduler.failover, req.instrument,
                                            enabled_rest(st), only);
  }
  w->req = std::move(req);
  w->prio = prio;
  w->done = std::move(done);
  if (w->chain.steps.empty()) {
    w->out.error = only.empty()
                     ? fail(404, "unknown_symbol", "no provider serves " + w->req.instrument,
                            "symbol")
                     : fail(400, "invalid_parameter", "provider " + only + " is not enabled",
                            "provider");
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
