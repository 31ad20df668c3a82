#pragma once

// Which bar slots of a requested range storage does not hold: the read path
// asks the providers for these sub-ranges only. A slot is one bar open time
// of the interval (bar_open_time) in which the market trades: the
// overloads that take a trading_calendar skip closed dates (weekends,
// holidays) and, for intraday bars, the hours outside the session, so
// those are never missing, never fetched. The overloads without one know
// no closure (every slot of a 24/7 market).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "pipeline/model/interval.hpp"
#include "pipeline/model/trading_calendar.hpp"

namespace tickflow::cache {

/// Consecutive missing slots: open times first_ns..last_ns (inclusive).
struct slot_range {
  int64_t first_ns = 0; ///< open time of the first missing bar
  int64_t last_ns = 0;  ///< open time of the last missing bar
  size_t slots = 0;     ///< bar slots in [first_ns, last_ns]

  friend bool operator==(const slot_range& a, const slot_range& b) noexcept {
    return a.first_ns == b.first_ns && a.last_ns == b.last_ns
           && a.slots == b.slots;
  }
};

/// Open time of the first slot at or after ts_ns.
int64_t first_slot_at_or_after(interval iv, int64_t ts_ns) noexcept;

/// Open time of the slot after the slot that opens at open_ns (calendar
/// months included: after 2024-01-01 comes 2024-02-01).
int64_t next_slot(interval iv, int64_t open_ns) noexcept;

/// Open time of the slot before the slot that opens at open_ns.
int64_t previous_slot(interval iv, int64_t open_ns) noexcept;

/// Slots whose open times lie in [first_open_ns, last_open_ns] (both slot
/// open times); 0 when last < first.
size_t count_slots(interval iv, int64_t first_open_ns,
                   int64_t last_open_ns) noexcept;

/// The open time of the oldest of the newest `count` slots of [start_ns,
/// end_ns]: where a query for the newest `count` bars needs to begin.
/// Returns first_slot_at_or_after(start_ns) when the range holds fewer.
int64_t newest_slots_start(interval iv, int64_t start_ns, int64_t end_ns,
                           size_t count) noexcept;

/// The missing sub-ranges of the slots with open times in [start_ns,
/// end_ns] (start rounded up, end rounded down to slots), given the bar open
/// times storage holds (any order; duplicates and times outside the range
/// are ignored; an unaligned time counts for the slot that contains it).
/// Adjacent missing slots form one range. At most `max_ranges` (>= 1) are
/// returned: beyond that the ranges separated by the fewest held slots are
/// merged (those held slots are then fetched again), so the providers get a
/// bounded number of requests. Oldest first; empty when nothing is missing
/// or the range holds no slot.
std::vector<slot_range> missing_ranges(interval iv, int64_t start_ns,
                                       int64_t end_ns,
                                       std::vector<int64_t> held_open_ns,
                                       size_t max_ranges);

// -- with a trading calendar: only the slots in which `cal` trades --------

/// Slots of `cal` whose open times lie in [first_open_ns, last_open_ns].
size_t count_slots(interval iv, const trading_calendar& cal, int64_t first_open_ns,
                   int64_t last_open_ns);

/// True if [start_ns, end_ns] holds at least one slot of `cal`.
bool any_open_slot(interval iv, const trading_calendar& cal, int64_t start_ns,
                   int64_t end_ns);

/// newest_slots_start counting only the slots of `cal`: where the newest
/// `count` trading slots of [start_ns, end_ns] begin (the newest 5 daily
/// bars of an equity up to a Monday begin the Monday before).
int64_t newest_slots_start(interval iv, const trading_calendar& cal, int64_t start_ns,
                           int64_t end_ns, size_t count);

/// missing_ranges over the slots of `cal` only: a closed slot is never
/// missing. A range begins and ends on trading slots and may span closed
/// ones (Friday..Tuesday when both are missing over a weekend), whose
/// bars a provider does not have; `slots` counts trading slots only.
std::vector<slot_range> missing_ranges(interval iv, const trading_calendar& cal,
                                       int64_t start_ns, int64_t end_ns,
                                       std::vector<int64_t> held_open_ns,
                                       size_t max_ranges);

} // namespace tickflow::cache
