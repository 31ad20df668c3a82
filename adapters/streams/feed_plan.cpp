#include "adapters/streams/feed_plan.hpp"

#include <utility>

namespace tickflow {

namespace {

stream_kind kind_of(stream_topic_kind k) {
  switch (k) {
    case stream_topic_kind::trades:
      return stream_kind::trades;
    case stream_topic_kind::agg_trades:
      return stream_kind::agg_trades;
    case stream_topic_kind::quotes:
      return stream_kind::quotes;
    case stream_topic_kind::bars:
      return stream_kind::bars;
  }
  return stream_kind::trades;
}

stream_topic topic_of(const stream_subscription& s) {
  stream_topic t;
  t.instrument = s.instrument;
  t.span = s.span;
  switch (s.kind) {
    case stream_kind::trades:
      t.kind = stream_topic_kind::trades;
      break;
    case stream_kind::agg_trades:
      t.kind = stream_topic_kind::agg_trades;
      break;
    case stream_kind::quotes:
      t.kind = stream_topic_kind::quotes;
      break;
    case stream_kind::bars:
      t.kind = stream_topic_kind::bars;
      break;
  }
  return t;
}

} // namespace

stream_subscription subscription_of(const stream_topic& t) {
  return stream_subscription{t.instrument, kind_of(t.kind), t.span};
}

std::unique_ptr<stream_protocol> stream_protocol_for(const topology& topo,
                                                     const std::string& provider) {
  auto id = provider_from_string(provider);
  if (!id)
    return nullptr;
  adapter_options opts;
  if (auto i = topo.rest_providers.find(provider); i != topo.rest_providers.end())
    opts.symbol_overrides = i->second.symbol_overrides;
  return make_stream_protocol(*id, opts);
}

std::vector<stream_connection_spec> plan_stream_connections(const topology& topo) {
  std::vector<stream_connection_spec> out;
  uint64_t seed = 0x7ea1f10e;
  for (auto& feed : topo.streams.enabled_feeds()) {
    auto proto = stream_protocol_for(topo, feed.name);
    if (!proto)
      continue;
    std::vector<stream_subscription> subs;
    for (auto& t : feed.subscriptions)
      subs.push_back(subscription_of(t));
    auto groups = spread_subscriptions(subs, proto->max_streams_per_connection());
    for (size_t i = 0; i < groups.size(); ++i) {
      stream_connection_spec spec;
      spec.settings = feed;
      spec.connection = feed.name + "#" + std::to_string(i);
      for (auto& s : groups[i])
        spec.topics.push_back(topic_of(s));
      spec.seed = ++seed;
      out.push_back(std::move(spec));
    }
  }
  return out;
}

} // namespace tickflow
