#include "actors/logging.hpp"

#include <mutex>
#include <string>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "pipeline/model/json_string.hpp"

namespace tickflow {

namespace {

/// %j: the message as the body of a JSON string (escaped by the project's
/// one escaper, so invalid UTF-8 becomes U+FFFD), for JSON lines.
class json_escape_flag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    thread_local std::string escaped;
    escaped.clear();
    append_json_escaped(escaped, {msg.payload.data(), msg.payload.size()});
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<json_escape_flag>();
  }
};

std::mutex settings_mutex; // guards current_settings: logging is set up rarely
log_settings current_settings;

// UTC timestamps everywhere, like the data.
std::unique_ptr<spdlog::formatter> make_formatter(bool json) {
  auto f = std::make_unique<spdlog::pattern_formatter>(
    spdlog::pattern_time_type::utc);
  if (json) {
    f->add_flag<json_escape_flag>('j').set_pattern(
      R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","logger":"%n","msg":"%j"})");
  } else {
    f->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%-5l%$ [%n] %v");
  }
  return f;
}

void apply(spdlog::logger& l, const log_settings& s) {
  l.set_level(spdlog::level::from_str(s.level));
  l.set_formatter(make_formatter(s.json));
  l.flush_on(spdlog::level::warn);
}

} // namespace

void setup_logging(const log_settings& settings) {
  std::lock_guard<std::mutex> guard{settings_mutex};
  current_settings = settings;
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) {
    apply(*l, settings);
  });
}

std::shared_ptr<spdlog::logger> logger(const std::string& name) {
  if (auto l = spdlog::get(name))
    return l;
  std::lock_guard<std::mutex> guard{settings_mutex};
  if (auto l = spdlog::get(name)) // created meanwhile
    return l;
  auto l = spdlog::stderr_color_mt(name, spdlog::color_mode::automatic);
  apply(*l, current_settings);
  return l;
}

bool log_throttle::allow(uint64_t& suppressed) {
  auto now = std::chrono::steady_clock::now();
  if (now - window_start_ >= period_) {
    window_start_ = now;
    used_ = 0;
  }
  if (used_ < burst_) {
    ++used_;
    suppressed = suppressed_;
    suppressed_ = 0;
    return true;
  }
  ++suppressed_;
  return false;
}

} // namespace tickflow
