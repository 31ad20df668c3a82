#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Configures every logger: level and format (readable text, or one JSON
/// object per line) from [log]. Safe to call again (hot reload).
void setup_logging(const log_settings& settings);

/// The named component logger ("gateway", "pipeline", ...), created on first
/// use with the current settings; never null.
std::shared_ptr<spdlog::logger> logger(const std::string& name);

/// Lets through at most `burst` messages per `period`; counts the rest, so a
/// flood of bad payloads logs a summary instead of drowning the log.
class log_throttle {
 public:
  explicit log_throttle(uint32_t burst = 10,
                        std::chrono::seconds period = std::chrono::seconds{10})
    : burst_(burst), period_(period) {}

  /// True if this message may be logged now. `suppressed` receives how many
  /// were swallowed since the last allowed one.
  bool allow(uint64_t& suppressed);

 private:
  uint32_t burst_;
  std::chrono::steady_clock::duration period_;
  std::chrono::steady_clock::time_point window_start_{};
  uint32_t used_ = 0;
  uint64_t suppressed_ = 0;
};

} // namespace tickflow
