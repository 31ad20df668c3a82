#include "adapters/polygon/polygon_calendar.hpp"

#include <string>

#include <rapidjson/document.h>

#include "adapters/common/json_reader.hpp"
#include "adapters/polygon/polygon_request.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::polygon {

namespace {

constexpr int64_t day_ns = 86'400 * ns_per_s;

/// A "YYYY-MM-DD" date as days since 1970-01-01.
result<int64_t> day_of(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-')
    return error{errc::invalid_argument, "date: " + std::string{date}};
  auto t = parse_timestamp(date);
  if (!t)
    return error{errc::invalid_argument, "date: " + std::string{date}};
  return *t / day_ns;
}

result<int64_t> time_of(const char* field, std::string_view text) {
  auto t = parse_timestamp(text);
  if (!t || text.find('T') == std::string_view::npos)
    return error{errc::invalid_argument, std::string{field} + ": " + std::string{text}};
  return *t;
}

} // namespace

outbound_request market_holidays_request(std::string_view api_key) {
  outbound_request out;
  out.path = std::string{market_holidays_path};
  add_api_key(out, api_key);
  return out;
}

result<std::vector<session_exception>> parse_market_holidays(std::string_view body,
                                                             std::string_view exchange) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsArray())
    return error{errc::malformed, "marketstatus/upcoming: not a JSON array"};
  std::vector<session_exception> out;
  for (auto& row : doc.GetArray()) {
    if (!row.IsObject())
      return error{errc::malformed, "marketstatus/upcoming: a row is not an object"};
    json::reader in{row};
    auto ex = in.string("exchange");
    auto status = in.string("status");
    auto date = in.string("date");
    if (!in)
      return in.err();
    if (ex != exchange || (status != "closed" && status != "early-close"))
      continue;
    auto day = day_of(date);
    if (!day)
      return day.err();
    session_exception x;
    x.day = *day;
    if (status == "early-close") {
      auto open_text = in.string("open");
      auto close_text = in.string("close");
      if (!in)
        return in.err();
      auto open = time_of("open", open_text);
      auto close = time_of("close", close_text);
      if (!open)
        return open.err();
      if (!close)
        return close.err();
      if (*close <= *open)
        return error{errc::invalid_argument, "close: not after open"};
      x.session = {*open, *close};
    }
    out.push_back(x);
  }
  return out;
}

} // namespace tickflow::polygon
