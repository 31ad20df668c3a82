#include "pipeline/jobs/job_schedule.hpp"

#include "pipeline/model/text.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {

namespace {

constexpr int64_t ns_per_min = 60 * ns_per_s;
constexpr int64_t ns_per_day = 24 * 60 * ns_per_min;

error bad(std::string_view text) {
  return error{errc::config_invalid,
               "must be \"off\", \"every <n><s|m|h>\" or \"daily HH:MM\" (UTC), got \""
                 + std::string{text} + "\""};
}

} // namespace

result<job_schedule> job_schedule::parse(std::string_view text) {
  auto t = trim_blanks(text);
  if (t == "off")
    return job_schedule{};
  if (t.rfind("every ", 0) == 0) {
    auto d = trim_blanks(t.substr(6));
    size_t digits = 0;
    int64_t n = 0;
    while (digits < d.size() && d[digits] >= '0' && d[digits] <= '9' && digits < 9)
      n = n * 10 + (d[digits++] - '0');
    auto unit = d.substr(digits);
    int64_t scale = unit == "s" ? ns_per_s
                    : unit == "m" ? ns_per_min
                    : unit == "h" ? 60 * ns_per_min
                                  : 0;
    auto period = n * scale;
    if (digits == 0 || scale == 0 || period < ns_per_s || period > 7 * ns_per_day)
      return bad(text);
    return every(period);
  }
  if (t.rfind("daily ", 0) == 0) {
    auto hm = trim_blanks(t.substr(6));
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (hm.size() != 5 || hm[2] != ':' || !digit(hm[0]) || !digit(hm[1]) || !digit(hm[3])
        || !digit(hm[4]))
      return bad(text);
    int h = (hm[0] - '0') * 10 + (hm[1] - '0');
    int m = (hm[3] - '0') * 10 + (hm[4] - '0');
    if (h > 23 || m > 59)
      return bad(text);
    return daily(h * 60 + m);
  }
  return bad(text);
}

job_schedule job_schedule::every(int64_t period_ns) {
  job_schedule s;
  s.kind_ = kind::every;
  s.period_ns_ = period_ns;
  return s;
}

job_schedule job_schedule::daily(int minute_of_day) {
  job_schedule s;
  s.kind_ = kind::daily;
  s.minute_of_day_ = minute_of_day;
  return s;
}

int64_t job_schedule::next_after(int64_t now_ns) const noexcept {
  switch (kind_) {
    case kind::off:
      return 0;
    case kind::every:
      return now_ns + period_ns_;
    case kind::daily: {
      auto day_start = now_ns - ((now_ns % ns_per_day) + ns_per_day) % ns_per_day;
      auto at = day_start + minute_of_day_ * ns_per_min;
      return at > now_ns ? at : at + ns_per_day;
    }
  }
  return 0;
}

std::string job_schedule::to_string() const {
  switch (kind_) {
    case kind::off:
      return "off";
    case kind::every: {
      auto s = period_ns_ / ns_per_s;
      if (s % 3600 == 0)
        return "every " + std::to_string(s / 3600) + "h";
      if (s % 60 == 0)
        return "every " + std::to_string(s / 60) + "m";
      return "every " + std::to_string(s) + "s";
    }
    case kind::daily: {
      auto two = [](int v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
      return "daily " + two(minute_of_day_ / 60) + ":" + two(minute_of_day_ % 60);
    }
  }
  return "off";
}

} // namespace tickflow
