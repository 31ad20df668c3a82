#include "adapters/eodhd/eodhd_actions.hpp"

#include <string>
#include <utility>

#include "adapters/common/corporate_actions.hpp"
#include "adapters/common/json_number.hpp"
#include "adapters/eodhd/eodhd_provider.hpp"

namespace tickflow::eodhd {

namespace {

std::string where(const char* what, rapidjson::SizeType i) {
  return std::string{what} + "[" + std::to_string(i) + "]";
}

// 00:00Z of the date field `name` of `row`, or an error naming it.
result<int64_t> date_of(json::number_reader& row, const char* name, const std::string& at) {
  auto text = row.string(name);
  if (!row)
    return row.err();
  auto day = parse_action_date(text);
  if (!day)
    return error{errc::malformed, at + "." + name + ": expected YYYY-MM-DD"};
  return day;
}

} // namespace

result<std::vector<corporate_action>> parse_splits(const rapidjson::Value& doc,
                                                   std::string_view instrument,
                                                   int64_t recv_ns) {
  if (!doc.IsArray())
    return error{errc::malformed, "splits: expected an array"};
  std::vector<corporate_action> out;
  out.reserve(doc.Size());
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    auto at = where("splits", i);
    json::number_reader row{doc[i], at};
    auto day = date_of(row, "date", at);
    if (!day)
      return std::move(day).err();
    auto ratio = row.string("split");
    if (!row)
      return row.err();
    auto slash = ratio.find('/');
    auto to = decimal::parse(ratio.substr(0, slash));
    auto from = slash == std::string_view::npos ? to : decimal::parse(ratio.substr(slash + 1));
    if (slash == std::string_view::npos || !to || !from || !to->is_positive()
        || !from->is_positive())
      return error{errc::malformed, at + ".split: expected \"new/old\", got \""
                                      + std::string{ratio.substr(0, 40)} + "\""};
    corporate_action x;
    x.instrument = std::string{instrument};
    x.source = providers::eodhd;
    x.kind = action_kind::split;
    x.ex_date_ns = *day;
    x.split_to = *to;
    x.split_from = *from;
    x.ts_recv_ns = recv_ns;
    out.push_back(std::move(x));
  }
  return out;
}

result<std::vector<corporate_action>> parse_dividends(const rapidjson::Value& doc,
                                                      std::string_view instrument,
                                                      int64_t recv_ns) {
  if (!doc.IsArray())
    return error{errc::malformed, "dividends: expected an array"};
  std::vector<corporate_action> out;
  out.reserve(doc.Size());
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    auto at = where("dividends", i);
    json::number_reader row{doc[i], at};
    auto day = date_of(row, "date", at);
    if (!day)
      return std::move(day).err();
    corporate_action x;
    x.instrument = std::string{instrument};
    x.source = providers::eodhd;
    x.kind = action_kind::dividend;
    x.ex_date_ns = *day;
    x.amount = row.decimal(row.has("unadjustedValue") ? "unadjustedValue" : "value");
    if (row.has("currency") && doc[i]["currency"].IsString())
      x.currency = row.string("currency");
    if (!row)
      return row.err();
    if (x.amount.is_negative())
      return error{errc::malformed, at + ": negative amount"};
    if (row.has("paymentDate") && doc[i]["paymentDate"].IsString()) {
      auto pay = parse_action_date(row.string("paymentDate"));
      if (pay) // "0000-00-00" and the like: not said
        x.pay_date_ns = *pay;
    }
    x.ts_recv_ns = recv_ns;
    out.push_back(std::move(x));
  }
  return out;
}

} // namespace tickflow::eodhd
