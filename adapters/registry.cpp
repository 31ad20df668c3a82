#include "adapters/registry.hpp"

#include "adapters/alpha_vantage/alpha_vantage_adapter.hpp"
#include "adapters/binance/binance_adapter.hpp"
#include "adapters/coingecko/coingecko_adapter.hpp"
#include "adapters/coinmarketcap/coinmarketcap_adapter.hpp"
#include "adapters/eodhd/eodhd_adapter.hpp"
#include "adapters/finnhub/finnhub_adapter.hpp"
#include "adapters/massive_futures/massive_futures_adapter.hpp"
#include "adapters/newsapi/newsapi_adapter.hpp"
#include "adapters/polygon/polygon_adapter.hpp"
#include "adapters/yahoo/yahoo_adapter.hpp"

namespace tickflow {

std::unique_ptr<rest_adapter> make_rest_adapter(provider p,
                                                const adapter_options& opts) {
  switch (p) {
    case provider::binance: return make_binance_adapter(opts);
    case provider::polygon: return make_polygon_adapter(opts);
    case provider::coingecko: return make_coingecko_adapter(opts);
    case provider::coinmarketcap: return make_coinmarketcap_adapter(opts);
    case provider::alpha_vantage: return make_alpha_vantage_adapter(opts);
    case provider::eodhd: return make_eodhd_adapter(opts);
    case provider::finnhub: return make_finnhub_adapter(opts);
    case provider::yahoo: return make_yahoo_adapter(opts);
    case provider::massive_futures: return make_massive_futures_adapter(opts);
    case provider::newsapi: return make_newsapi_adapter(opts);
    case provider::simulator:
    case provider::replay: return nullptr;
  }
  return nullptr;
}

std::vector<provider> rest_providers() noexcept {
  return {provider::binance,       provider::polygon, provider::coingecko,
          provider::coinmarketcap, provider::alpha_vantage, provider::eodhd,
          provider::finnhub,       provider::yahoo,   provider::massive_futures,
          provider::newsapi};
}

} // namespace tickflow
