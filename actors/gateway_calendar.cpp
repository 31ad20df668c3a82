// Which trading calendar a bars read follows (pipeline/normalize/
// market_calendars): the instrument's asset class's, when a provider that
// would be asked for its bars serves that class. An instrument only
// providers of another class serve (a Binance pair whose id looks like a
// ticker) is taken as always open, so no slot is skipped on a guess.

#include <algorithm>

#include "actors/gateway_state.hpp"
#include "adapters/holiday_sources.hpp"
#include "adapters/registry.hpp"
#include "pipeline/ratelimit/failover.hpp"

namespace tickflow {

std::shared_ptr<const trading_calendar> calendar_of(const gateway_state& st,
                                                    const std::string& instrument) {
  auto& failover = st.topo.scheduler.failover;
  auto chain = resolve_chain(failover, instrument, serving_providers(st, fetch_kind::bars));
  auto cls = chain.symbol.cls;
  if (cls == asset_class::crypto)
    return nullptr;
  for (auto& step : chain.steps)
    for (auto& a : st.reads.catalog) {
      auto& info = a->info();
      if (to_string(info.id) == step.provider
          && std::find(info.asset_classes.begin(), info.asset_classes.end(), cls)
               != info.asset_classes.end())
        return st.calendars.of(cls);
    }
  return nullptr;
}

} // namespace tickflow

namespace tickflow {

namespace {

/// How often the holiday lists are asked again: they change a few times a
/// year, and a day's delay is harmless (the rules cover every regular date).
constexpr auto holiday_refresh = std::chrono::hours{12};

/// How long one provider may take to answer (its own timeout applies too).
constexpr auto holiday_wait = std::chrono::seconds{30};

} // namespace

void start_holiday_refresh(gateway_ptr self) {
  auto& st = self->state;
  if (st.holidays_started)
    return;
  st.holidays_started = true;
  self->send(self, holidays_atom::value);
}

void refresh_holidays(gateway_ptr self) {
  auto& st = self->state;
  for (auto& [name, actor] : st.rest_chain({})) {
    auto id = provider_from_string(name);
    auto* src = id ? holiday_source_of(*id) : nullptr;
    if (src == nullptr || !st.enabled(name))
      continue;
    auto cls = src->cls;
    self->request(actor, holiday_wait, holidays_atom::value)
      .then(
        [self, name = name, cls](std::vector<session_exception>& xs) {
          self->state.log->info("calendar: {} holidays from {}", xs.size(), name);
          self->state.calendars.set_exceptions(cls, std::move(xs));
        },
        [self, name = name](caf::error& e) {
          // The rules go on serving; the next refresh tries again.
          self->state.log->warn("calendar: no holidays from {}: {}", name,
                                self->system().render(e));
        });
  }
  self->delayed_send(self, holiday_refresh, holidays_atom::value);
}

} // namespace tickflow
