#include "adapters/coingecko/coingecko_provider.hpp"

#include "adapters/coingecko/coingecko_adapter.hpp"
#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

provider_info info() {
  provider_info x;
  x.id = providers::coingecko;
  x.name = "coingecko";
  x.asset_classes = {asset_class::crypto};
  x.data_types = {fetch_kind::price, fetch_kind::bars, fetch_kind::profile};
  x.intervals = {interval::m30, interval::h4};
  x.key_env = "COINGECKO_API_KEY";
  // Public API: about 5 to 15 calls a minute (Demo key: 30).
  provider_limits l;
  l.per_minute = 10;
  l.max_batch = 50;
  x.limits = l;
  x.failover = {{asset_class::crypto, 20}};
  x.examples = {"BTC-USD", "ETH-EUR", "WBTC-USD", "PEPE-USD"};
  return x;
}

} // namespace

const provider_descriptor& coingecko_descriptor() {
  static const provider_descriptor d = describe(
    info(), [](const adapter_options& o) { return make_coingecko_adapter(o); });
  return d;
}

} // namespace tickflow
