#include "pipeline/normalize/market_calendars.hpp"

namespace tickflow {

calendar_rules calendar_rules_for(asset_class c) noexcept {
  switch (c) {
    case asset_class::crypto: return calendar_rules::always_open;
    case asset_class::forex: return calendar_rules::closed_saturday;
    case asset_class::futures: return calendar_rules::closed_saturday;
    case asset_class::equity: return calendar_rules::us_equity;
    case asset_class::index: return calendar_rules::us_equity;
  }
  return calendar_rules::always_open;
}

market_calendars::market_calendars() {
  for (size_t i = 0; i < classes; ++i)
    by_class_[i] = std::make_shared<const trading_calendar>(
      calendar_rules_for(static_cast<asset_class>(i)));
}

std::shared_ptr<const trading_calendar> market_calendars::of(asset_class c) const {
  auto i = static_cast<size_t>(c);
  return i < classes ? by_class_[i] : std::make_shared<const trading_calendar>();
}

void market_calendars::set_exceptions(asset_class c, std::vector<session_exception> xs) {
  auto i = static_cast<size_t>(c);
  if (i >= classes)
    return;
  auto cal = std::make_shared<trading_calendar>(calendar_rules_for(c));
  cal->set_exceptions(std::move(xs));
  by_class_[i] = std::move(cal);
}

} // namespace tickflow
