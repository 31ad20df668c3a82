#include "adapters/newsapi/newsapi_provider.hpp"

#include "adapters/newsapi/newsapi_adapter.hpp"
#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

provider_info info() {
  provider_info x;
  x.id = providers::newsapi;
  x.name = "newsapi";
  x.asset_classes = {asset_class::crypto, asset_class::equity, asset_class::forex,
                     asset_class::futures, asset_class::index};
  x.data_types = {fetch_kind::news};
  x.needs_key = true;
  x.key_env = "NEWSAPI_API_KEY";
  // No built-in limits: the generic default applies (configs/live.ini sets
  // the Developer plan's 100 a day), and news is in no failover chain.
  x.examples = {"AAPL", "BTC-USD", "MSFT", "EUR-USD"};
  return x;
}

} // namespace

const provider_descriptor& newsapi_descriptor() {
  static const provider_descriptor d = describe(
    info(), [](const adapter_options& o) { return make_newsapi_adapter(o); });
  return d;
}

} // namespace tickflow
