#pragma once

// The daily-bar convention (docs/API.md "Bar convention"): a daily bar opens
// at its trading session's date, 00:00 UTC, whatever the provider stamps
// (Polygon and Finnhub: the US/Eastern midnight in UTC, 04:00Z or 05:00Z;
// Yahoo: the session's opening instant, 14:30Z; Binance: 00:00Z). A weekly
// bar opens on the Monday of its week, a monthly one on the 1st, both at
// 00:00 UTC. Pure date arithmetic: no clock, no time zone database.
//
// US/Eastern rule (Energy Policy Act of 2005, from 2007): daylight time
// from the second Sunday of March at 02:00 local standard time to the first
// Sunday of November at 02:00 local daylight time. Before 2007 (the
// 1987-2006 rule, also used for earlier years): first Sunday of April to
// last Sunday of October.

#include <cstdint>

#include "pipeline/model/interval.hpp"

namespace tickflow::sessions {

/// True when US daylight saving time is in effect at a US/Eastern wall-clock
/// time, given as the ns that wall clock would mean in UTC. Wall times that
/// do not exist or occur twice read like zoneinfo's fold=0: the skipped
/// 02:00-02:59 of the spring Sunday as standard time, the repeated
/// 01:00-01:59 of the autumn Sunday as daylight time.
bool us_dst_in_effect(int64_t wall_ns) noexcept;

/// UTC ns of a US/Eastern wall-clock time given like us_dst_in_effect's.
int64_t us_eastern_to_utc_ns(int64_t wall_ns) noexcept;

/// US/Eastern's offset from UTC at the instant `utc_ns`, in ns: -4 h under
/// daylight time, -5 h otherwise.
int64_t us_eastern_offset_ns(int64_t utc_ns) noexcept;

/// 00:00 UTC of the local date of the instant `ts_ns` in a zone `offset_ns`
/// from UTC (Yahoo's gmtoffset): floor((ts + offset) / day) * day.
int64_t local_day_ns(int64_t ts_ns, int64_t offset_ns) noexcept;

/// The session date (00:00 UTC) of a daily stamp from a US provider: a
/// US/Eastern midnight (04:00Z / 05:00Z) is that Eastern date; any other
/// stamp (00:00Z from a UTC-day crypto series) is its UTC date.
int64_t us_session_day_ns(int64_t ts_ns) noexcept;

/// Open time of the bar of `span` that holds the session day `day_ns`
/// (00:00 UTC): for w1 the Monday of its week, a Saturday or Sunday stamp
/// (a week stamped on the Sunday before its sessions) counting in the week
/// that follows; any other span bar_open_time(span, day_ns) (d1: the day,
/// mo1: the 1st of its month).
int64_t period_open_ns(interval span, int64_t day_ns) noexcept;

/// True for the spans the convention covers: 1d, 3d, 1w, 1M.
bool is_session_span(interval span) noexcept;

} // namespace tickflow::sessions
