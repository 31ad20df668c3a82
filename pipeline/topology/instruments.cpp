#include "pipeline/topology/instruments.hpp"

#include <algorithm>
#include <map>

namespace tickflow {

std::vector<configured_instrument> configured_instruments(const topology& t) {
  std::map<std::string, std::vector<std::string>> by_id;
  auto add = [&](const std::string& id, const std::string& provider) {
    auto& ps = by_id[id];
    if (!provider.empty() && std::find(ps.begin(), ps.end(), provider) == ps.end())
      ps.push_back(provider);
  };
  if (std::find(t.providers.begin(), t.providers.end(), "simulator") != t.providers.end())
    for (auto& s : t.simulator.symbols)
      add(s.instrument, "simulator");
  for (auto& feed : t.streams.enabled_feeds())
    for (auto& topic : feed.subscriptions)
      add(topic.instrument, feed.name);
  for (auto* list : {&t.jobs.crypto, &t.jobs.stocks})
    for (auto& id : *list)
      add(id, {});
  std::vector<configured_instrument> out;
  out.reserve(by_id.size());
  for (auto& [id, ps] : by_id) {
    std::sort(ps.begin(), ps.end());
    out.push_back(configured_instrument{id, std::move(ps)});
  }
  return out;
}

std::vector<std::string> live_instruments(const topology& t) {
  std::vector<std::string> out;
  for (auto& x : configured_instruments(t))
    if (!x.providers.empty())
      out.push_back(x.id);
  return out;
}

std::vector<interval> live_bar_intervals(const topology& t) {
  std::vector<interval> out;
  auto add = [&](interval iv) {
    if (std::find(out.begin(), out.end(), iv) == out.end())
      out.push_back(iv);
  };
  if (std::find(t.providers.begin(), t.providers.end(), "simulator") != t.providers.end())
    for (auto iv : t.simulator.bar_intervals)
      add(iv);
  for (auto& feed : t.streams.enabled_feeds())
    for (auto& topic : feed.subscriptions)
      if (topic.kind == stream_topic_kind::bars)
        add(topic.span);
  std::sort(out.begin(), out.end());
  return out;
}

symbol_resolver make_symbol_resolver(const topology& t) {
  std::vector<std::string> known;
  for (auto& x : configured_instruments(t))
    known.push_back(x.id);
  auto& f = t.scheduler.failover;
  return symbol_resolver{std::move(known), f.default_quotes, f.overrides};
}

} // namespace tickflow
