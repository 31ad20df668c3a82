#pragma once

// The read path of the bars routes (docs/STORAGE.md "Read path"): the L1,
// then Redis, then Postgres, then the providers. A range Postgres holds only
// in part is completed by asking the providers for the missing sub-ranges
// alone; every answer from a later step fills the L1 (read-through). Pure:
// the gateway asks each step and hands its answer to a bars_read, which
// says what to do next and what to answer. Slots follow the instrument's
// trading calendar: a date or hour the market is closed is never a gap,
// never fetched (a range with no trading slot is answered empty at once).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/routes/data.hpp"
#include "pipeline/cache/range_gaps.hpp"
#include "pipeline/model/reports.hpp"

namespace tickflow::api {

/// known_from of an answer that says nothing about the slots before it.
inline constexpr int64_t none_before = std::numeric_limits<int64_t>::min();

/// Provider requests per partly stored range, at most.
inline constexpr size_t max_gap_requests = 4;

/// What comes after Postgres answered.
enum class next_step : uint8_t {
  answer,        ///< answer with the stored bars
  nothing_found, ///< nothing on the path, and no provider to ask
  fetch_whole,   ///< ask the providers for the whole query
  fill_gaps,     ///< ask the providers for the missing sub-ranges only
};

/// The decision after Postgres.
struct storage_decision {
  next_step next = next_step::nothing_found;
  int64_t known_from = none_before; ///< answer: complete from here
  bool fill = true;                 ///< answer: fill the L1 with it
  std::vector<cache::slot_range> gaps; ///< fill_gaps: newest last
};

/// One bars request on its way down the read path.
struct bars_read {
  ohlcv_query q;
  bool may_fetch = true;  ///< no provider= (the whole path may be used)
  bool fetchable = false; ///< and some REST provider can be asked
  bool end_given = false; ///< end= was given (else: up to now)
  int64_t end_ns = 0;     ///< end=, or now
  /// Checked against slots: a start was given, or providers can fill gaps.
  bool ranged = false;
  /// ranged: where the newest `limit` slots up to end_ns begin.
  int64_t window_start_ns = 0;
  lookup_status l1 = lookup_status::no_data; ///< what the L1 said
  /// The instrument's trading calendar; null: always open.
  std::shared_ptr<const trading_calendar> cal;

  /// provider= names a provider other than the simulator: only it is
  /// asked, for the whole query, and no step before.
  static bool direct(const ohlcv_query& q) noexcept;

  /// Starts a read of `q` at `now_ns`; `can_fetch`: some enabled REST
  /// provider serves the instrument (asked only when it matters); `cal`:
  /// the instrument's trading calendar (null: always open).
  template <class CanFetch>
  static bars_read start(ohlcv_query q, int64_t now_ns, CanFetch&& can_fetch,
                         std::shared_ptr<const trading_calendar> cal = nullptr) {
    bars_read r;
    r.q = std::move(q);
    r.cal = std::move(cal);
    r.may_fetch = r.q.provider.empty(); // provider=simulator: the live data only
    r.fetchable = r.may_fetch && !direct(r.q) && can_fetch(r.q.instrument);
    r.init(now_ns);
    return r;
  }

  /// The calendar its slots follow.
  const trading_calendar& calendar() const noexcept;

  /// Ranged, and the market trades in no slot of the range (a weekend, a
  /// holiday, a night): answered empty, and no provider is asked.
  bool closed() const;

  /// Where a fetch of the whole query starts: `start_ns`, moved up to the
  /// first trading slot when the market is closed there (2023-01-14, a
  /// Saturday before a holiday, asks from 2023-01-17).
  int64_t fetch_start(int64_t start_ns) const;

  /// The question for the L1: the query as the user asked it.
  bars_query l1_query() const;

  /// The question for Redis and Postgres: the window when ranged.
  bars_query step_query() const;

  /// The bars to answer with: those in the asked range (a provider may
  /// ignore the bounds), one per open time, the newest `limit`, oldest first.
  std::vector<bar> keep(std::vector<bar> bars) const;

  /// The L1 fill for an answer of `kept` bars from a step after the L1:
  /// complete from `known_from` (or the oldest bar when it holds `limit`
  /// bars) up to end= or up to now. nullopt when there is nothing to fill.
  std::optional<bars_fill> fill(const std::vector<bar>& kept,
                                int64_t known_from) const;

  /// Redis answered `bars`: its series are capped and may hold bars a
  /// provider returned for another range, so they count only when complete
  /// (no missing slot in the window when ranged, else not empty). The
  /// answer's known_from, or nullopt to go on to Postgres.
  std::optional<int64_t> redis_answer(const std::vector<bar>& bars) const;

  /// Postgres answered `stored` (empty when it had nothing or failed).
  storage_decision after_storage(const std::vector<bar>& stored) const;

  /// The data body of an answer.
  std::string body(const std::vector<bar>& kept, provenance from) const;

private:
  void init(int64_t now_ns);
};

/// What the gap fetches of one partly stored range gathered.
struct gap_merge {
  std::vector<bar> bars;           ///< stored, then fetched for missing slots
  std::set<std::string> providers; ///< who served a gap
  size_t pending = 0;
  size_t failed = 0;

  /// Adds what `provider` returned for gap `g`: the bars of its slots.
  void add(const cache::slot_range& g, interval span, const std::string& provider,
           std::vector<bar> fetched);

  /// "postgres" when no provider filled anything, else "postgres+a+b".
  std::string source() const;
};

} // namespace tickflow::api
