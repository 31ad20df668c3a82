// GET /api/v1/instruments: the configured instruments, those the cache has
// seen and the providers' reference lists, searched and rendered by
// api/routes/instruments. The lists are asked of each enabled provider's
// REST actor at start and every [instruments] refresh, a page at a time,
// the pages spaced to use at most half the provider's [limits] budget; a
// failed list is logged and counted and the previous one kept.

#include <algorithm>
#include <chrono>
#include <iterator>

#include "actors/cache_actor.hpp"
#include "actors/gateway_state.hpp"
#include "adapters/reference_lists.hpp"
#include "api/routes/instruments.hpp"
#include "pipeline/ratelimit/provider_limits.hpp"
#include "pipeline/topology/instruments.hpp"

namespace tickflow {

namespace {

/// How long one page may take (the provider's own timeout applies too).
constexpr auto reflist_wait = std::chrono::seconds{60};

/// Pages beyond this end a list (what came is kept): a provider that keeps
/// sending continuations cannot page forever.
constexpr size_t reflist_max_pages = 500;

void answer_instruments(gateway_ptr self, const api::responder& reply,
                        const api::instruments_query& q,
                        const std::vector<std::string>& seen) {
  auto& st = self->state;
  auto& r = st.reflists;
  if (r.catalog_version != r.version || r.catalog_seen != seen) {
    r.catalog = api::instrument_catalog(configured_instruments(st.topo), seen,
                                        st.topo.scheduler.failover,
                                        serving_providers(st, fetch_kind::price),
                                        r.lists.merged());
    r.catalog_seen = seen;
    r.catalog_version = r.version;
  }
  reply(api::json(200, api::instruments_body(q, api::search_instruments(r.catalog, q,
                                                                        st.symbols))));
}

void handle_instruments(gateway_ptr self, const http_call& call) {
  auto q = api::parse_instruments_query(call.request);
  auto* iq = parsed(q, call);
  if (iq == nullptr)
    return;
  auto reply = call.reply;
  self->request(self->state.reads.cache, cache_timeout, instruments_atom::value)
    .then(
      [self, reply, q = *iq](const std::vector<std::string>& seen) {
        answer_instruments(self, reply, q, seen);
      },
      // Without the cache: the configured ones still answer.
      [self, reply, q = *iq](caf::error&) { answer_instruments(self, reply, q, {}); });
}

provider_limits limits_of(const gateway_state& st, const std::string& provider) {
  auto& table = st.topo.scheduler.limits;
  auto it = table.find(provider);
  return it != table.end() ? it->second : default_limits(provider);
}

/// The list of `provider` is complete: it replaces the previous one.
void finish_list(gateway_ptr self, const std::string& provider) {
  auto& st = self->state;
  auto it = st.reflists.paging.find(provider);
  if (it == st.reflists.paging.end())
    return;
  auto& f = it->second;
  st.reflists.lists.note_dropped(f.overflow);
  auto out = st.reflists.lists.set(provider, f.rows, st.symbols);
  st.reflists.refreshed += 1;
  st.reflists.version += 1;
  st.log->info("instruments: {} reference rows from {} in {} pages ({} dropped, {} "
               "unresolved)", out.kept, provider, f.pages, out.dropped + f.overflow,
               out.unresolved);
  st.reflists.paging.erase(it);
}

void fail_list(gateway_ptr self, const std::string& provider, const std::string& why) {
  auto& st = self->state;
  st.reflists.failures += 1;
  st.reflists.paging.erase(provider);
  // The previous list goes on serving; the next refresh tries again.
  st.log->warn("instruments: no reference list from {}: {}", provider, why);
}

} // namespace

void start_reference_refresh(gateway_ptr self) {
  auto& st = self->state;
  if (st.reflists.started || !st.topo.instruments.reference_lists)
    return;
  st.reflists.started = true;
  self->send(self, reflist_atom::value);
}

void refresh_reference_lists(gateway_ptr self) {
  auto& st = self->state;
  // A provider a reload disabled no longer lists anything.
  for (auto& name : st.reflists.lists.providers())
    if (!st.enabled(name)) {
      st.reflists.lists.remove(name);
      st.reflists.version += 1;
    }
  for (auto& [name, actor] : st.rest_chain({})) {
    auto id = provider_from_string(name);
    if (!id || reference_list_of(*id) == nullptr || !st.enabled(name)
        || st.reflists.paging.count(name) > 0)
      continue;
    auto& f = st.reflists.paging[name];
    f.actor = actor;
    next_reference_page(self, name);
  }
  self->delayed_send(self, std::chrono::nanoseconds{st.topo.instruments.refresh_ns},
                     reflist_atom::value);
}

void next_reference_page(gateway_ptr self, const std::string& provider) {
  auto& st = self->state;
  auto it = st.reflists.paging.find(provider);
  if (it == st.reflists.paging.end())
    return;
  self->request(it->second.actor, reflist_wait, reflist_atom::value, it->second.page)
    .then(
      [self, provider](reference_page& p) {
        auto& st = self->state;
        auto it = st.reflists.paging.find(provider);
        if (it == st.reflists.paging.end())
          return;
        auto& f = it->second;
        f.pages += 1;
        // Never hold more rows than the lists may keep.
        auto max = st.reflists.lists.max_entries();
        auto room = f.rows.size() >= max ? 0 : max - f.rows.size();
        auto take = std::min(room, p.items.size());
        f.overflow += p.items.size() - take;
        std::move(p.items.begin(), p.items.begin() + static_cast<ptrdiff_t>(take),
                  std::back_inserter(f.rows));
        // A page naming itself as the next one would repeat forever.
        if (p.next.empty() || p.next == f.page || f.pages >= reflist_max_pages
            || f.overflow > 0) {
          finish_list(self, provider);
          return;
        }
        f.page = std::move(p.next);
        auto gap = reference_page_gap_ns(limits_of(st, provider));
        self->delayed_send(self, std::chrono::nanoseconds{gap}, reflist_atom::value,
                           provider);
      },
      [self, provider](caf::error& e) {
        fail_list(self, provider, self->system().render(e));
      });
}

std::vector<route> instruments_routes() {
  return {
    {"GET", "/api/v1/instruments", handle_instruments, route_access::api},
  };
}

} // namespace tickflow
