#pragma once

// Adjusted bars from a provider's adjusted close (docs/API.md "Adjusted
// prices"). Alpha Vantage, EODHD and Yahoo publish the traded OHLC of a day
// and one adjusted close (for splits and dividends); the adjusted bar
// scales open, high and low by the day's factor adjusted_close / close,
// the way those providers' own adjusted charts do. Volume stays as traded.
// Exact decimal arithmetic in 128 bits, rounded half away from zero.

#include "pipeline/model/decimal.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow {

/// x * num / den, rounded half away from zero to the largest scale of the
/// three (fewer digits when the result would not fit 18 significant
/// digits). errc::invalid_argument when den is zero, errc::out_of_range
/// when even 0 decimals do not fit.
result<decimal> scale_by(decimal x, decimal num, decimal den);

/// `b` as adjusted: open, high and low times adjusted_close / b.close,
/// close = adjusted_close, volume and times unchanged. The same bar when the
/// two closes are equal (no event since). errc::invalid_argument for a
/// close that is not positive (no factor), errors of scale_by.
result<bar> adjust_bar(bar b, decimal adjusted_close);

} // namespace tickflow
