#include "adapters/registry.hpp"

#include <cstdlib>
#include <cstdio>

#include "adapters/alpha_vantage/alpha_vantage_provider.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/coinmarketcap/coinmarketcap_provider.hpp"
#include "adapters/eodhd/eodhd_provider.hpp"
#include "adapters/finnhub/finnhub_provider.hpp"
#include "adapters/massive_futures/massive_futures_provider.hpp"
#include "adapters/newsapi/newsapi_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/replay/replay_provider.hpp"
#include "adapters/simulator/simulator_provider.hpp"
#include "adapters/yahoo/yahoo_provider.hpp"

namespace tickflow {

const std::vector<const provider_descriptor*>& provider_registry() {
  // One line per provider, in id order. The id is in the provider's own
  // header and never changes (journals, Redis and capture files store it):
  // a new provider takes the next free id and goes last.
  static const std::vector<const provider_descriptor*> all{
    &simulator_descriptor(),        // 0
    &replay_descriptor(),           // 1
    &binance_descriptor(),          // 2
    &polygon_descriptor(),          // 3
    &coingecko_descriptor(),        // 4
    &coinmarketcap_descriptor(),    // 5
    &alpha_vantage_descriptor(),    // 6
    &eodhd_descriptor(),            // 7
    &finnhub_descriptor(),          // 8
    &yahoo_descriptor(),            // 9
    &massive_futures_descriptor(),  // 10
    &newsapi_descriptor(),          // 11
  };
  return all;
}

const provider_descriptor* find_descriptor(provider p) noexcept {
  for (auto* d : provider_registry())
    if (d->info.id == p)
      return d;
  return nullptr;
}

void install_provider_registry() {
  std::vector<provider_info> infos;
  for (auto* d : provider_registry())
    infos.push_back(d->info);
  if (auto ok = install_providers(std::move(infos)); !ok) {
    // A broken table is a programming error every test catches first.
    std::fprintf(stderr, "provider registry: %s\n", ok.err().context.c_str());
    std::abort();
  }
}

std::unique_ptr<rest_adapter> make_rest_adapter(provider p,
                                                const adapter_options& opts) {
  auto* d = find_descriptor(p);
  return d != nullptr && d->make_rest != nullptr ? d->make_rest(opts) : nullptr;
}

std::vector<provider> rest_providers() noexcept {
  std::vector<provider> out;
  for (auto* d : provider_registry())
    if (d->make_rest != nullptr)
      out.push_back(d->info.id);
  return out;
}

std::unique_ptr<stream_protocol> make_stream_protocol(provider p,
                                                      const adapter_options& opts) {
  auto* d = find_descriptor(p);
  return d != nullptr && d->make_stream != nullptr ? d->make_stream(opts) : nullptr;
}

} // namespace tickflow
