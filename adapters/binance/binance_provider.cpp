#include "adapters/binance/binance_provider.hpp"

#include "adapters/binance/binance_adapter.hpp"
#include "adapters/binance/binance_stream.hpp"
#include "adapters/provider_descriptor.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {

namespace {

provider_info info() {
  provider_info x;
  x.id = providers::binance;
  x.name = "binance";
  x.asset_classes = {asset_class::crypto};
  x.data_types = {fetch_kind::price, fetch_kind::bars, fetch_kind::quote};
  for (auto i = static_cast<int>(interval::s1);
       i <= static_cast<int>(interval::mo1); ++i)
    x.intervals.push_back(static_cast<interval>(i));
  x.key_env = "BINANCE_API_KEY";
  x.webhook = true;
  // REQUEST_WEIGHT 6000 per minute per IP; ticker/price weighs 2 (4 with
  // symbols=[...]), klines 2, ticker/24hr 2. Kept at 90%.
  provider_limits l;
  l.per_minute = 5400;
  l.per_second = 50;
  l.concurrency = 4;
  l.weights = {{"price", 2}, {"bars", 2}, {"quote", 2}};
  l.batch_weight = 4;
  l.max_batch = 100;
  x.limits = l;
  x.failover = {{asset_class::crypto, 10}};
  x.crypto_quote = "USDT";
  x.streams.max_streams_per_connection = binance::max_streams;
  x.streams.max_outgoing_per_second = binance::max_messages_per_second;
  // The server cuts every connection after 24 h: reconnect before.
  x.streams.max_connection_age_ns = 23 * 3600 * ns_per_s;
  // Trade and aggTrade ids are consecutive per symbol, a kline comes for
  // every interval.
  x.streams.consecutive_ids = true;
  x.examples = {"BTC-USDT", "BNB-BTC", "ETH-BTC", "ETH-USDT"};
  return x;
}

} // namespace

const provider_descriptor& binance_descriptor() {
  static const provider_descriptor d = describe(
    info(), [](const adapter_options& o) { return make_binance_adapter(o); },
    [](const adapter_options& o) { return make_binance_stream(o); });
  return d;
}

} // namespace tickflow
