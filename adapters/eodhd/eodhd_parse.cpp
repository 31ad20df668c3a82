#include "adapters/eodhd/eodhd_parse.hpp"

#include <string>

#include "adapters/common/bar_window.hpp"
#include "adapters/common/json_number.hpp"
#include "adapters/eodhd/eodhd_provider.hpp"
#include "pipeline/model/session_date.hpp"
#include "pipeline/normalize/price_adjust.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::eodhd {

namespace {

std::string_view trimmed(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n'
                        || s.front() == '\r' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n'
                        || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

} // namespace

std::optional<fetch_error> parse_error_reply(const http_reply& reply,
                                             int64_t recv_ns) {
  if (reply.status == 404
      && reply.body.find("Ticker Not Found") != std::string::npos)
    return fetch_error{errc::unknown_symbol,
                       std::string{trimmed(reply.body).substr(0, 200)}, 0};
  fetch_error out;
  if (classify_http_status(reply, recv_ns, out))
    return out;
  return std::nullopt;
}

result<std::vector<bar>> parse_eod(const rapidjson::Value& doc, interval span,
                                   std::string_view instrument,
                                   std::string_view provider_symbol,
                                   int64_t recv_ns, bool adjusted) {
  if (!doc.IsArray())
    return error{errc::malformed, "eod: expected an array of bars"};
  std::vector<bar> out;
  out.reserve(doc.Size());
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    json::number_reader row{doc[i], "eod[" + std::to_string(i) + "]"};
    auto date = row.string("date");
    bar b;
    b.instrument = std::string{instrument};
    b.provider_symbol = std::string{provider_symbol};
    b.source = providers::eodhd;
    b.span = span;
    b.open = row.decimal("open");
    b.high = row.decimal("high");
    b.low = row.decimal("low");
    b.close = row.decimal("close");
    b.volume = row.decimal("volume");
    decimal adjusted_close;
    if (adjusted)
      adjusted_close = row.decimal("adjusted_close");
    if (!row)
      return row.err();
    auto day = date.size() == 10 && date[4] == '-' && date[7] == '-'
                 ? parse_timestamp(date)
                 : result<int64_t>{errc::invalid_argument,
                                   "expected YYYY-MM-DD"};
    if (!day)
      return error{errc::malformed, "eod[" + std::to_string(i) + "].date: "
                                      + day.err().context};
    b.open_time_ns = sessions::period_open_ns(span, *day);
    b.closed = b.open_time_ns + interval_ns(span) <= recv_ns;
    b.ts_recv_ns = recv_ns;
    if (adjusted) {
      auto a = adjust_bar(std::move(b), adjusted_close);
      if (!a)
        return error{errc::malformed, "eod[" + std::to_string(i) + "]: "
                                        + a.err().context};
      b = std::move(*a);
    }
    out.push_back(std::move(b));
  }
  sort_by_open_time(out);
  for (size_t i = 1; i < out.size(); ++i)
    if (out[i].open_time_ns == out[i - 1].open_time_ns)
      return error{errc::malformed, "eod: two bars open at "
                                      + format_iso8601(out[i].open_time_ns)};
  return out;
}

} // namespace tickflow::eodhd
