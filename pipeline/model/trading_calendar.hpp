#pragma once

// When a market trades: one session per date, in UTC. The rules are
// pure and work for any year (US equities: 09:30-16:00 New York time with
// the US daylight-saving rules, NYSE holidays and early closes by rule,
// pipeline/model/us_equity_holidays); a provider's published holidays,
// where one is configured, override the rules date by date. The read path
// asks it which bar slots exist: a closed date or an hour outside the
// session is no slot, so it is never a gap, never fetched, never missing.

#include <cstdint>
#include <vector>

#include "pipeline/model/interval.hpp"

namespace tickflow {

/// Which rules a calendar follows.
enum class calendar_rules : uint8_t {
  always_open,     ///< 24/7 (crypto; and what is not known to close)
  closed_saturday, ///< every day but Saturday (UTC), all day (forex, futures)
  us_equity,       ///< NYSE: weekdays 09:30-16:00 New York, holidays closed
};

/// One date's trading hours in UTC ns; closed when close_ns <= open_ns.
struct trading_session {
  int64_t open_ns = 0;
  int64_t close_ns = 0;

  /// True if the market trades at all that date.
  bool open() const noexcept { return close_ns > open_ns; }

  friend bool operator==(const trading_session& a, const trading_session& b) noexcept {
    return a.open_ns == b.open_ns && a.close_ns == b.close_ns;
  }
};

/// A provider's word on one date: its session (closed: open_ns ==
/// close_ns == 0), which replaces what the rules say.
struct session_exception {
  int64_t day = 0; ///< days since 1970-01-01 (the exchange's date)
  trading_session session;
};

/// The sessions of one market (see the file comment).
class trading_calendar {
public:
  /// A calendar of `rules` with no exceptions.
  explicit trading_calendar(calendar_rules rules = calendar_rules::always_open) noexcept
    : rules_(rules) {
    // nop
  }

  /// The rules it follows.
  calendar_rules rules() const noexcept { return rules_; }

  /// True if it never closes (always_open with no exception): every slot
  /// of every interval is a slot.
  bool always_open() const noexcept {
    return rules_ == calendar_rules::always_open && exceptions_.empty();
  }

  /// Replaces the provider's dates (any order; the last one of a date wins).
  void set_exceptions(std::vector<session_exception> xs);

  /// The provider's dates, by day.
  const std::vector<session_exception>& exceptions() const noexcept { return exceptions_; }

  /// The session of the date `day` (days since 1970-01-01): the
  /// provider's word for that date, else the rules'.
  trading_session session(int64_t day) const;

  /// True if the bar of `iv` opening at `open_ns` can hold trades: for
  /// intervals of a day or more, some date it covers has a session; for
  /// shorter ones, the bar overlaps a session.
  bool slot_open(interval iv, int64_t open_ns) const;

private:
  calendar_rules rules_;
  std::vector<session_exception> exceptions_; // sorted by day, unique
};

/// The session the rules of `rules` give the date `day`, ignoring any
/// provider's word.
trading_session rule_session(calendar_rules rules, int64_t day);

} // namespace tickflow
