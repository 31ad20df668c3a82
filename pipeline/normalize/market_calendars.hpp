#pragma once

// Which trading calendar an instrument follows: its asset class's.
//   crypto            24/7
//   forex, futures    closed Saturday (UTC); a provider's futures schedule
//                     refines this where one is configured
//   equity, index     US equities (NYSE hours, holidays and early closes)
// A provider's published holidays replace the rules date by date.

#include <array>
#include <memory>
#include <vector>

#include "pipeline/model/trading_calendar.hpp"
#include "pipeline/normalize/asset_class.hpp"

namespace tickflow {

/// The rules of `c`'s market (see the file comment).
calendar_rules calendar_rules_for(asset_class c) noexcept;

/// One calendar per asset class, with the providers' dates. Calendars are
/// shared immutable values: a reader keeps the one it got while a newer
/// holiday list replaces it here.
class market_calendars {
public:
  /// Every class with its rules and no provider dates.
  market_calendars();

  /// The calendar of `c`.
  std::shared_ptr<const trading_calendar> of(asset_class c) const;

  /// Replaces the provider dates of `c`'s calendar.
  void set_exceptions(asset_class c, std::vector<session_exception> xs);

private:
  static constexpr size_t classes = 5;
  std::array<std::shared_ptr<const trading_calendar>, classes> by_class_;
};

} // namespace tickflow
