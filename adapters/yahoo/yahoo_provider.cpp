#include "adapters/yahoo/yahoo_provider.hpp"

#include "adapters/provider_descriptor.hpp"
#include "adapters/yahoo/yahoo_adapter.hpp"

namespace tickflow {

namespace {

provider_info info() {
  provider_info x;
  x.id = providers::yahoo;
  x.name = "yahoo";
  x.asset_classes = {asset_class::equity, asset_class::forex, asset_class::crypto};
  x.data_types = {fetch_kind::price, fetch_kind::bars, fetch_kind::splits,
                  fetch_kind::dividends};
  x.intervals = {interval::m1, interval::m5, interval::m15, interval::m30,
                 interval::h1, interval::d1, interval::w1,  interval::mo1};
  // Its OHLC are split-adjusted already (yahoo_parse.hpp): no raw bars of
  // equities.
  x.raw_bars = false;
  // Unofficial: stay well below the informal ~2000 an hour.
  provider_limits l;
  l.per_minute = 30;
  l.per_second = 2;
  x.limits = l;
  x.failover = {{asset_class::crypto, 50}, {asset_class::equity, 40},
                {asset_class::forex, 20},  {asset_class::futures, 20},
                {asset_class::index, 10}};
  x.examples = {"AAPL", "QQQ", "EUR-USD", "BTC-USD"};
  return x;
}

} // namespace

const provider_descriptor& yahoo_descriptor() {
  static const provider_descriptor d = describe(
    info(), [](const adapter_options& o) { return make_yahoo_adapter(o); });
  return d;
}

} // namespace tickflow
