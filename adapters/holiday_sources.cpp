#include "adapters/holiday_sources.hpp"

#include "adapters/polygon/polygon_calendar.hpp"
#include "adapters/polygon/polygon_provider.hpp"

namespace tickflow {

namespace {

result<std::vector<session_exception>> polygon_nyse(std::string_view body) {
  return polygon::parse_market_holidays(body, "NYSE");
}

} // namespace

const holiday_source* holiday_source_of(provider p) noexcept {
  static const holiday_source polygon_source{asset_class::equity,
                                             polygon::market_holidays_request, polygon_nyse};
  if (p == providers::polygon)
    return &polygon_source;
  return nullptr;
}

} // namespace tickflow
