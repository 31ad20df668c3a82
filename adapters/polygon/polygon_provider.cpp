#include "adapters/polygon/polygon_provider.hpp"

#include "adapters/polygon/polygon_adapter.hpp"
#include "adapters/polygon/polygon_stream.hpp"
#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

provider_info info() {
  provider_info x;
  x.id = providers::polygon;
  x.name = "polygon";
  x.asset_classes = {asset_class::equity, asset_class::crypto, asset_class::forex};
  x.data_types = {fetch_kind::price, fetch_kind::bars, fetch_kind::quote,
                  fetch_kind::profile, fetch_kind::news, fetch_kind::splits,
                  fetch_kind::dividends};
  x.intervals = {interval::m1,  interval::m3, interval::m5,  interval::m15,
                 interval::m30, interval::h1, interval::h2,  interval::h4,
                 interval::h6,  interval::h8, interval::h12, interval::d1,
                 interval::d3,  interval::w1, interval::mo1};
  x.needs_key = true;
  x.key_env = "POLYGON_API_KEY";
  x.webhook = true;
  // Free plan: 5 calls a minute.
  provider_limits l;
  l.per_minute = 5;
  x.limits = l;
  x.failover = {{asset_class::crypto, 40}, {asset_class::equity, 10},
                {asset_class::forex, 10}};
  // One connection per key by default, no documented cap on its
  // subscriptions; the pace of subscription bursts is not documented.
  x.streams.max_streams_per_connection = 10'000;
  x.streams.max_outgoing_per_second = 10;
  x.examples = {"AAPL", "BTC-USD", "EUR-USD", "MSFT"};
  return x;
}

} // namespace

const provider_descriptor& polygon_descriptor() {
  static const provider_descriptor d = describe(
    info(), [](const adapter_options& o) { return make_polygon_adapter(o); },
    [](const adapter_options& o) {
      return make_polygon_stream(o, polygon_market::stocks);
    });
  return d;
}

} // namespace tickflow
