#include "adapters/reference_lists.hpp"

#include "adapters/binance/binance_instruments.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/binance/binance_request.hpp"
#include "adapters/massive_futures/massive_futures_instruments.hpp"
#include "adapters/massive_futures/massive_futures_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/polygon/polygon_tickers.hpp"

namespace tickflow {

namespace {

result<outbound_request> binance_spot(std::string_view page, std::string_view api_key) {
  if (!page.empty()) // exchangeInfo is one page
    return error{errc::invalid_argument, "binance: exchangeInfo has no pages"};
  return binance::build_exchange_info_request(credentials{std::string{api_key}});
}

} // namespace

const reference_list_source* reference_list_of(provider p) noexcept {
  static const reference_list_source binance_source{binance_spot,
                                                    binance::parse_reference_list};
  static const reference_list_source polygon_source{polygon::reference_list_request,
                                                    polygon::parse_reference_list};
  static const reference_list_source futures_source{
    massive_futures::reference_list_request, massive_futures::parse_reference_list};
  if (p == providers::binance)
    return &binance_source;
  if (p == providers::polygon)
    return &polygon_source;
  if (p == providers::massive_futures)
    return &futures_source;
  return nullptr;
}

} // namespace tickflow
