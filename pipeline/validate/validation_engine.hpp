#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/events.hpp"
#include "pipeline/validate/event_rules.hpp"
#include "pipeline/validate/finding.hpp"
#include "pipeline/validate/quality_report.hpp"
#include "pipeline/validate/quarantine.hpp"
#include "pipeline/validate/symbol_state.hpp"
#include "pipeline/validate/validation_settings.hpp"

namespace tickflow {

/// An instrument that did not update within its cadence.
struct stale_symbol {
  std::string instrument;
  /// Provider of the last accepted event; nullopt when there was none (only
  /// watched, or every event dropped).
  std::optional<provider> last_source;
  /// `now` of its last accepted event, else of its first sight / watch().
  int64_t last_update_ns = 0;
  int64_t cadence_ns = 0;     ///< the bound it broke
  int64_t silent_ns = 0;      ///< now - last_update_ns
};

/// The high-severity rule::stale_symbol finding for an alert_limiter.
finding to_finding(const stale_symbol& s);

/// Validates the events of one validator actor (one shard of instruments).
/// Pure and single-threaded: time is a parameter, results are returned.
///
/// check() applies the enabled rules in enum order:
///   1. instrument_id, positive_price, positive_size, ohlc_consistency,
///      non_negative_volume, crossed_quote (sanity, event_rules.hpp);
///   2. future_timestamp: event time > now + max_future_skew_ns (bars: open
///      time);
///   3. stale_event: event time < now - freshness_bound_ns (bars: close time
///      = open + interval; backfilled events are exempt);
///   4. duplicate: trades by (provider, instrument, trade id; an empty id is
///      never a duplicate); closed bars by (provider, instrument, interval,
///      open time). An update of an open bar is not a duplicate. Quotes have
///      no identity and are never duplicates;
///   5. out_of_order: event time < the newest of its series (provider,
///      instrument, kind[, interval]); for bars also an open-bar update after
///      that bar closed. Not applied to duplicates or backfilled events;
///   6. outlier_zscore, 7. outlier_mad: the log return ln(price / reference)
///      against the series' window of recent log returns (prices: trade
///      price, quote mid, bar close). Only for events that would advance
///      their series (sane, in order, not future, not duplicate);
///   8. divergence: the event's price against the latest prices of the other
///      providers of the instrument whose time is within window_ns; when
///      (max - min) / median > max_spread, the event is divergent. The
///      provider strictly farthest from the median (3 providers or more) is
///      named as suspect; the finding is high on that provider's own events,
///      low on the others'. Events already passed on cannot be flagged
///      after the fact: every event checked while the spread lasts is.
/// Statistical rules (6-8) skip events with a sanity finding, non-positive
/// prices and non-canonical instruments (which get no per-instrument state).
///
/// The first finding whose action is drop stops the evaluation: the event
/// is rejected and changes no series state. Flag findings set the rule's
/// quality bit on the event (sanity rules have none); pass findings only
/// report. Dropped and flagged events are copied to the quarantine.
///
/// Score: 100 - sum of the findings' weights (severity low: weight / 2),
/// clamped to 0..100; folded into the rolling quality of the instrument, the
/// provider and the engine (quality_report).
///
/// Per-instrument state is bounded: at most settings.max_instruments
/// instruments, the least recently seen (an event or watch()) forgotten
/// first to make room for a new one (counted in evicted()). A forgotten
/// instrument starts over when it comes back: no duplicate memory, no
/// outlier window, no divergence peers, a fresh quality score, and for
/// stale_symbols() it is unknown until then.
///
/// State is committed only for accepted events: ids and closed bar times
/// are remembered, the series' newest time advances (not for future
/// events), normal returns enter the window (outliers do not; after
/// rebase_after outliers in a row the series re-bases on the new level), and
/// the provider's latest price is updated.
class validation_engine {
 public:
  explicit validation_engine(validation_settings settings = {});

  /// Validates x at now_ns; sets x.flags for flag findings.
  verdict check(trade& x, int64_t now_ns);
  verdict check(quote& x, int64_t now_ns);
  verdict check(bar& x, int64_t now_ns);

  /// Checks every event of a batch at now_ns (trades, then quotes, then
  /// bars, each in order) and removes the dropped ones, keeping the order of
  /// the others.
  batch_verdict check(event_batch& batch, int64_t now_ns);

  /// Starts watching an instrument for stale_symbols() before its first
  /// event arrives, as if it updated at now_ns. No-op for a known or a
  /// non-canonical instrument.
  void watch(std::string_view instrument, int64_t now_ns);

  /// Instruments (seen or watched) without an accepted event for longer
  /// than their cadence at now_ns (an instrument that only ever sent
  /// dropped events counts from its first sight), by instrument id. Empty
  /// when rule::stale_symbol is disabled.
  std::vector<stale_symbol> stale_symbols(int64_t now_ns) const;

  /// Rolling quality of one instrument (a default report when unknown).
  quality_report quality_of_instrument(std::string_view id) const;

  /// Rolling quality of one provider (a default report when unknown).
  quality_report quality_of_provider(provider p) const;

  /// Rolling quality of everything this engine checked.
  const quality_report& overall() const noexcept { return overall_; }

  /// The dropped and flagged events.
  const quarantine& quarantined() const noexcept { return quarantine_; }

  /// The settings in use.
  const validation_settings& settings() const noexcept { return settings_; }

  /// Instruments with state.
  size_t instruments() const noexcept { return symbols_.size(); }

  /// Instruments forgotten so far to stay within max_instruments.
  uint64_t evicted() const noexcept { return evicted_; }

 private:
  template <class Event>
  verdict run(Event& x, int64_t now_ns);

  template <class Event>
  void keep_accepted(std::vector<Event>& xs, int64_t now_ns,
                     batch_verdict& out);

  symbol_state* state_for(std::string_view instrument);
  series_state& series_for(symbol_state& st, const series_key& key);

  /// One instrument's state and its place in the recency list.
  struct instrument_entry {
    symbol_state state;
    std::list<const std::string*>::iterator recency;
  };

  validation_settings settings_;
  /// By id: stale_symbols() reports in id order.
  std::map<std::string, instrument_entry, std::less<>> symbols_;
  /// The keys of symbols_, most recently seen first.
  std::list<const std::string*> recency_;
  uint64_t evicted_ = 0;
  std::map<provider, quality_report> providers_;
  quality_report overall_;
  quarantine quarantine_;
  std::vector<rejection> sanity_;     // scratch, reused by every check
  std::vector<provider_price> peers_; // scratch, reused by every check
};

} // namespace tickflow
