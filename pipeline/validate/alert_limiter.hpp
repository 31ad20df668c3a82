#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "pipeline/model/provider.hpp"
#include "pipeline/validate/finding.hpp"
#include "pipeline/validate/validation_settings.hpp"

namespace tickflow {

/// What an alert is about.
enum class alert_kind : uint8_t {
  divergence,   ///< a provider is far off the others
  stale_symbol, ///< an instrument stopped updating
  reject_burst, ///< a provider sent more rejects than allowed in a window
  summary,      ///< alerts held back by the rate limit, counted
};

/// "divergence", "stale_symbol", "reject_burst", "summary".
std::string_view to_string(alert_kind k) noexcept;

/// Something an operator should look at, ready to send.
struct alert {
  severity level = severity::high;
  alert_kind kind = alert_kind::divergence;
  std::string instrument;         ///< empty for reject_burst and summary
  std::optional<provider> source; ///< the provider at fault, when one is
  std::string message;
  /// Findings behind it: 1, the rejects of a burst, or the alerts a summary
  /// stands for.
  uint64_t count = 1;
};

/// Decides which findings become alerts and rate-limits them. Pure: time is
/// a parameter and alerts are returned, not sent.
///
/// - A high-severity divergence or stale_symbol finding is an alert
///   candidate, keyed by (kind, instrument, blamed provider).
/// - Every finding whose action is drop is a reject of its source provider;
///   more than burst_rejects of them within burst_window_ns is a
///   reject_burst candidate (the provider's reject memory then restarts).
/// - A candidate whose key was a candidate less than repeat_after_ns ago
///   (alerted or suppressed) is a repeat: counted, not alerted.
/// - Other candidates are alerts, at most max_alerts per window (the window
///   opens with the first candidate and lasts window_ns); the rest are
///   suppressed and summed up in one summary alert ("N more alerts
///   suppressed: ...") returned by the first call at or after the window's
///   end.
class alert_limiter {
 public:
  /// Counters since construction; nothing is lost without being counted.
  struct counters {
    uint64_t findings = 0;   ///< on_finding calls
    uint64_t candidates = 0; ///< findings (or bursts) that could alert
    uint64_t repeats = 0;    ///< candidates held back by repeat_after_ns
    uint64_t emitted = 0;    ///< alerts returned, summaries excluded
    uint64_t suppressed = 0; ///< candidates over the window's limit
    uint64_t summaries = 0;  ///< summary alerts returned
  };

  explicit alert_limiter(alert_settings settings = {});

  /// Alerts caused by `f` at now_ns (plus the summary of a window that ended
  /// before now_ns, first).
  std::vector<alert> on_finding(const finding& f, int64_t now_ns);

  /// Closes a window that ended at or before now_ns: returns its summary
  /// when it suppressed anything. Call it on a timer.
  std::vector<alert> tick(int64_t now_ns);

  /// Counters (never reset).
  const counters& totals() const noexcept { return totals_; }

 private:
  using key = std::tuple<alert_kind, std::string, std::optional<provider>>;

  void roll(int64_t now_ns, std::vector<alert>& out);
  void offer(alert a, int64_t now_ns, std::vector<alert>& out);
  void count_reject(const finding& f, int64_t now_ns, std::vector<alert>& out);

  alert_settings settings_;
  bool window_open_ = false;
  int64_t window_end_ns_ = 0;
  size_t emitted_in_window_ = 0;
  std::map<key, uint64_t> suppressed_; // this window's, by key
  std::map<key, int64_t> last_raised_ns_;
  std::map<provider, std::deque<int64_t>> rejects_ns_;
  counters totals_;
};

} // namespace tickflow
