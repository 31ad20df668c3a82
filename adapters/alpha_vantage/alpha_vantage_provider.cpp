#include "adapters/alpha_vantage/alpha_vantage_provider.hpp"

#include "adapters/alpha_vantage/alpha_vantage_adapter.hpp"
#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

provider_info info() {
  provider_info x;
  x.id = providers::alpha_vantage;
  x.name = "alpha_vantage";
  x.asset_classes = {asset_class::equity};
  x.data_types = {fetch_kind::price, fetch_kind::bars, fetch_kind::profile};
  x.intervals = {interval::m1,  interval::m5, interval::m15,
                 interval::m30, interval::h1, interval::d1};
  x.needs_key = true;
  x.key_env = "ALPHAVANTAGE_API_KEY";
  // Free plan: 25 a day (and no more than 5 a minute).
  provider_limits l;
  l.per_day = 25;
  l.per_minute = 5;
  x.limits = l;
  x.failover = {{asset_class::equity, 30}};
  x.examples = {"IBM", "AZN.LON", "MSFT", "EUR-USD"};
  return x;
}

} // namespace

const provider_descriptor& alpha_vantage_descriptor() {
  static const provider_descriptor d = describe(
    info(), [](const adapter_options& o) { return make_alpha_vantage_adapter(o); });
  return d;
}

} // namespace tickflow
