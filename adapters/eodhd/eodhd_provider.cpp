#include "adapters/eodhd/eodhd_provider.hpp"

#include "adapters/eodhd/eodhd_adapter.hpp"
#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

provider_info info() {
  provider_info x;
  x.id = providers::eodhd;
  x.name = "eodhd";
  x.asset_classes = {asset_class::equity, asset_class::forex, asset_class::crypto};
  x.data_types = {fetch_kind::bars, fetch_kind::splits, fetch_kind::dividends};
  x.intervals = {interval::d1, interval::w1, interval::mo1};
  x.needs_key = true;
  x.key_env = "EODHD_API_KEY";
  // Free plan: 20 calls a day; paid plans 1000 a minute.
  provider_limits l;
  l.per_day = 20;
  l.per_minute = 1000;
  x.limits = l;
  x.failover = {{asset_class::crypto, 60}, {asset_class::equity, 50},
                {asset_class::forex, 30}, {asset_class::index, 20}};
  x.examples = {"AAPL", "VOD.LSE", "EUR-USD", "BTC-USD"};
  return x;
}

} // namespace

const provider_descriptor& eodhd_descriptor() {
  static const provider_descriptor d = describe(
    info(), [](const adapter_options& o) { return make_eodhd_adapter(o); });
  return d;
}

} // namespace tickflow
