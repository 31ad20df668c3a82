#pragma once

// Splits and dividends, as the providers that publish them report them
// (GET /api/v1/corporate-actions, docs/API.md), so a consumer can adjust a
// series itself.

#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/model/decimal.hpp"
#include "pipeline/model/provider.hpp"

namespace tickflow {

/// What happened.
enum class action_kind : uint8_t { split, dividend };

/// "split", "dividend".
std::string_view to_string(action_kind k) noexcept;

/// One split or cash dividend of an instrument.
struct corporate_action {
  std::string instrument; ///< canonical id ("AAPL")
  provider source{};
  action_kind kind = action_kind::split;
  /// The day it takes effect, 00:00Z: a split's execution date, a
  /// dividend's ex-date (the first session without it).
  int64_t ex_date_ns = 0;
  /// split: `to` new shares for `from` old (4-for-1: to 4, from 1).
  decimal split_to;
  decimal split_from; ///< see split_to
  /// dividend: cash per share as paid (not split-adjusted).
  decimal amount;
  std::string currency;  ///< dividend: ISO code ("USD"); "" when not said
  int64_t pay_date_ns = 0; ///< dividend: payment date, 00:00Z; 0 when not said
  int64_t ts_recv_ns = 0;
};

} // namespace tickflow
