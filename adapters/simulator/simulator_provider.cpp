#include "adapters/simulator/simulator_provider.hpp"

#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

provider_info info() {
  provider_info x;
  x.id = providers::simulator;
  x.name = "simulator";
  x.asset_classes = {asset_class::crypto, asset_class::equity};
  x.data_types = {fetch_kind::trades, fetch_kind::bars, fetch_kind::price};
  // Its bar intervals are configured ([simulator] bar-intervals).
  x.enabled_by_default = true;
  x.examples = {"BTC-USDT", "AAPL"};
  return x;
}

} // namespace

const provider_descriptor& simulator_descriptor() {
  // No REST or stream dialect: actors/provider_actor runs the feed
  // (adapters/simulator/simulator_feed) in process.
  static const provider_descriptor d = describe(info(), nullptr);
  return d;
}

} // namespace tickflow
