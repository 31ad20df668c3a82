#include "adapters/finnhub/finnhub_provider.hpp"

#include "adapters/finnhub/finnhub_adapter.hpp"
#include "adapters/finnhub/finnhub_stream.hpp"
#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

provider_info info() {
  provider_info x;
  x.id = providers::finnhub;
  x.name = "finnhub";
  x.asset_classes = {asset_class::equity};
  x.data_types = {fetch_kind::price, fetch_kind::bars, fetch_kind::profile,
                  fetch_kind::news};
  x.intervals = {interval::m1, interval::m5, interval::m15, interval::m30,
                 interval::h1, interval::d1, interval::w1,  interval::mo1};
  // /stock/candle as asked (no adjusted=): the traded prices.
  x.adjusted_bars = false;
  x.needs_key = true;
  x.key_env = "FINNHUB_API_KEY";
  // Free plan: 60 a minute, and at most 30 a second.
  provider_limits l;
  l.per_minute = 60;
  l.per_second = 30;
  x.limits = l;
  x.failover = {{asset_class::equity, 20}};
  x.streams.max_streams_per_connection = finnhub::max_stream_symbols;
  // Not documented; a modest pace for subscription bursts.
  x.streams.max_outgoing_per_second = 10;
  x.examples = {"AAPL", "BTC-USDT", "MSFT", "EUR-USD"};
  return x;
}

} // namespace

const provider_descriptor& finnhub_descriptor() {
  static const provider_descriptor d = describe(
    info(), [](const adapter_options& o) { return make_finnhub_adapter(o); },
    [](const adapter_options& o) { return make_finnhub_stream(o); });
  return d;
}

} // namespace tickflow
