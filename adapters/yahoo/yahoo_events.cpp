#include "adapters/yahoo/yahoo_events.hpp"

#include <string>
#include <utility>

#include "adapters/common/json_number.hpp"
#include "adapters/yahoo/yahoo_parse.hpp"
#include "adapters/yahoo/yahoo_provider.hpp"
#include "pipeline/model/session_date.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::yahoo {

namespace {

// Same bound as the chart parsers: |Unix s| whose ns and a day of offset fit.
constexpr int64_t max_s = 9'000'000'000;

} // namespace

result<std::vector<corporate_action>> parse_chart_events(const rapidjson::Value& doc,
                                                         action_kind kind,
                                                         std::string_view instrument,
                                                         std::string_view provider_symbol,
                                                         int64_t recv_ns) {
  auto r = first_result(doc, provider_symbol);
  if (!r)
    return std::move(r).err();
  auto& res = **r;
  std::vector<corporate_action> out;
  auto* events = json::member(res, "events");
  if (events == nullptr || events->IsNull())
    return out;
  if (!events->IsObject())
    return error{errc::malformed, "chart.result[0].events: not an object"};
  const char* name = kind == action_kind::split ? "splits" : "dividends";
  auto* list = json::member(*events, name);
  if (list == nullptr || list->IsNull())
    return out;
  auto where = "chart.result[0].events." + std::string{name};
  if (!list->IsObject())
    return error{errc::malformed, where + ": not an object"};
  json::number_reader m{res["meta"], "chart.result[0].meta"};
  auto offset_s = m.has("gmtoffset") ? m.int64("gmtoffset") : 0;
  std::string currency;
  if (kind == action_kind::dividend && m.has("currency") && res["meta"]["currency"].IsString())
    currency = std::string{m.string("currency")};
  if (!m)
    return m.err();
  if (offset_s < -86'400 || offset_s > 86'400)
    return error{errc::out_of_range, "chart.result[0].meta.gmtoffset: more than a day"};
  out.reserve(list->MemberCount());
  for (auto i = list->MemberBegin(); i != list->MemberEnd(); ++i) {
    auto at = where + "." + std::string{json::text_of(i->name)};
    json::number_reader e{i->value, at};
    auto date_s = e.int64("date");
    corporate_action x;
    x.instrument = std::string{instrument};
    x.source = providers::yahoo;
    x.kind = kind;
    if (kind == action_kind::split) {
      x.split_to = e.decimal("numerator");
      x.split_from = e.decimal("denominator");
    } else {
      x.amount = e.decimal("amount");
      x.currency = currency;
    }
    if (!e)
      return e.err();
    if (date_s < -max_s || date_s > max_s)
      return error{errc::out_of_range, at + ".date: out of range"};
    if (kind == action_kind::split && (!x.split_to.is_positive() || !x.split_from.is_positive()))
      return error{errc::malformed, at + ": numerator and denominator must be positive"};
    if (kind == action_kind::dividend && x.amount.is_negative())
      return error{errc::malformed, at + ".amount: negative"};
    x.ex_date_ns = sessions::local_day_ns(date_s * ns_per_s, offset_s * ns_per_s);
    x.ts_recv_ns = recv_ns;
    out.push_back(std::move(x));
  }
  return out;
}

} // namespace tickflow::yahoo
