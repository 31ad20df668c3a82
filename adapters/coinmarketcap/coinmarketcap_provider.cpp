#include "adapters/coinmarketcap/coinmarketcap_provider.hpp"

#include "adapters/coinmarketcap/coinmarketcap_adapter.hpp"
#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

provider_info info() {
  provider_info x;
  x.id = providers::coinmarketcap;
  x.name = "coinmarketcap";
  x.asset_classes = {asset_class::crypto};
  x.data_types = {fetch_kind::price};
  x.needs_key = true;
  x.key_env = "CMC_API_KEY";
  // Basic plan: 30 a minute, 10,000 credits a month (about 333 a day).
  provider_limits l;
  l.per_minute = 30;
  l.per_day = 333;
  x.limits = l;
  x.failover = {{asset_class::crypto, 30}};
  x.examples = {"BTC-USD", "ETH-USD", "SOL-BTC", "BTC-EUR"};
  return x;
}

} // namespace

const provider_descriptor& coinmarketcap_descriptor() {
  static const provider_descriptor d = describe(
    info(), [](const adapter_options& o) { return make_coinmarketcap_adapter(o); });
  return d;
}

} // namespace tickflow
