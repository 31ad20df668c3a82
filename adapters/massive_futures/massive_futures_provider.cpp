#include "adapters/massive_futures/massive_futures_provider.hpp"

#include "adapters/massive_futures/massive_futures_adapter.hpp"
#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

provider_info info() {
  provider_info x;
  x.id = providers::massive_futures;
  x.name = "massive_futures";
  x.asset_classes = {asset_class::futures};
  x.data_types = {fetch_kind::price, fetch_kind::bars, fetch_kind::quote};
  x.intervals = {interval::s1,  interval::m1, interval::m5, interval::m15,
                 interval::m30, interval::h1, interval::h4, interval::d1,
                 interval::w1,  interval::mo1};
  x.needs_key = true;
  x.key_env = "MASSIVE_API_KEY";
  // Free plan: 5 calls a minute.
  provider_limits l;
  l.per_minute = 5;
  x.limits = l;
  x.failover = {{asset_class::futures, 10}};
  x.examples = {"GCJ5", "ESZ4", "ES-FRONT", "AAPL"};
  return x;
}

} // namespace

const provider_descriptor& massive_futures_descriptor() {
  static const provider_descriptor d = describe(
    info(), [](const adapter_options& o) { return make_massive_futures_adapter(o); });
  return d;
}

} // namespace tickflow
