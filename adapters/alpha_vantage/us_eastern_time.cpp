#include "adapters/alpha_vantage/us_eastern_time.hpp"

#include <string>

#include "pipeline/model/session_date.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::alpha_vantage {

// The US daylight saving rule lives in pipeline/model/session_date (the
// daily-bar convention uses it too).

bool us_dst_in_effect(int64_t wall_ns) noexcept {
  return sessions::us_dst_in_effect(wall_ns);
}

int64_t us_eastern_to_utc_ns(int64_t wall_ns) noexcept {
  return sessions::us_eastern_to_utc_ns(wall_ns);
}

result<int64_t> parse_zoned_time(std::string_view text,
                                 std::string_view zone) {
  // "YYYY-MM-DD HH:MM:SS" -> "YYYY-MM-DDTHH:MM:SSZ", which parse_timestamp
  // checks digit by digit (ranges, days per month).
  if (text.size() != 19 || text[10] != ' ')
    return error{errc::invalid_argument,
                 "expected \"YYYY-MM-DD HH:MM:SS\": \""
                   + std::string{text.substr(0, 32)} + "\""};
  std::string iso{text};
  iso[10] = 'T';
  iso.push_back('Z');
  auto wall = parse_timestamp(iso);
  if (!wall)
    return wall;
  if (zone == "US/Eastern" || zone == "America/New_York")
    return us_eastern_to_utc_ns(*wall);
  if (zone == "UTC")
    return *wall;
  return error{errc::invalid_argument,
               "unsupported time zone \"" + std::string{zone.substr(0, 32)}
                 + "\""};
}

} // namespace tickflow::alpha_vantage
