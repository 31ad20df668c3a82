#pragma once

// When a scheduled job runs: "every 5m", "daily 03:00" (UTC) or "off".

#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/model/error.hpp"

namespace tickflow {

class job_schedule {
 public:
  job_schedule() = default; ///< off

  /// "off", "every <duration>" (1s..7d; units s, m, h) or "daily HH:MM" (UTC).
  /// errc::config_invalid with the problem as context otherwise.
  static result<job_schedule> parse(std::string_view text);

  static job_schedule every(int64_t period_ns);
  static job_schedule daily(int minute_of_day);

  bool off() const noexcept { return kind_ == kind::off; }

  /// The first run strictly after `now_ns` (UTC ns); 0 when off. A periodic
  /// job runs `period` after `now_ns`; a daily one at the next HH:MM.
  int64_t next_after(int64_t now_ns) const noexcept;

  /// The text form ("every 5m", "daily 03:00", "off").
  std::string to_string() const;

 private:
  enum class kind : uint8_t { off, every, daily };
  kind kind_ = kind::off;
  int64_t period_ns_ = 0;
  int minute_of_day_ = 0;
};

} // namespace tickflow
