#include "adapters/polygon/polygon_actions.hpp"

#include <string>
#include <utility>

#include "adapters/common/corporate_actions.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/polygon/polygon_request.hpp"

namespace tickflow::polygon {

namespace {

outbound_request action_request(std::string path, std::string_view field,
                                std::string_view ticker, int64_t start_ns,
                                int64_t end_ns, std::string_view api_key) {
  outbound_request out;
  out.path = std::move(path);
  out.query.emplace_back("ticker", std::string{ticker});
  if (start_ns > 0)
    out.query.emplace_back(std::string{field} + ".gte", action_date_text(start_ns));
  if (end_ns > 0)
    out.query.emplace_back(std::string{field} + ".lte", action_date_text(end_ns));
  out.query.emplace_back("limit", std::to_string(max_action_rows));
  add_api_key(out, api_key);
  return out;
}

// The date field `name` of `in` as 00:00Z.
int64_t read_date(json::exact_reader& in, const char* name) {
  auto text = in.string(name);
  if (!in)
    return 0;
  auto day = parse_action_date(text);
  if (!day) {
    in.fail(errc::malformed, name, "expected YYYY-MM-DD");
    return 0;
  }
  return *day;
}

// Every row of `results` (absent: none), each a corporate action of
// `instrument` and `kind` filled by `read_row`; the first bad row fails all.
template <typename ReadRow>
result<std::vector<corporate_action>> parse_rows(const json::exact_document& doc,
                                                 std::string_view instrument,
                                                 std::string_view ticker, action_kind kind,
                                                 int64_t recv_ns, ReadRow read_row) {
  json::exact_reader top{doc, doc.root()};
  auto* results = top.has_value("results") ? top.array("results") : nullptr;
  if (!top)
    return top.err();
  std::vector<corporate_action> out;
  if (results == nullptr)
    return out;
  out.reserve(results->Size());
  for (rapidjson::SizeType i = 0; i < results->Size(); ++i) {
    json::exact_reader in{doc, (*results)[i], json::element_name("results", i) + "."};
    in.check_optional_string("ticker", ticker);
    corporate_action x;
    x.instrument = std::string{instrument};
    x.source = providers::polygon;
    x.kind = kind;
    x.ts_recv_ns = recv_ns;
    read_row(in, x);
    if (!in)
      return in.err();
    out.push_back(std::move(x));
  }
  return out;
}

} // namespace

outbound_request splits_request(std::string_view ticker, int64_t start_ns, int64_t end_ns,
                                std::string_view api_key) {
  return action_request("/v3/reference/splits", "execution_date", ticker, start_ns, end_ns,
                        api_key);
}

outbound_request dividends_request(std::string_view ticker, int64_t start_ns,
                                   int64_t end_ns, std::string_view api_key) {
  return action_request("/stocks/v1/dividends", "ex_dividend_date", ticker, start_ns, end_ns,
                        api_key);
}

result<std::vector<corporate_action>> parse_splits(const json::exact_document& doc,
                                                   std::string_view instrument,
                                                   std::string_view ticker,
                                                   int64_t recv_ns) {
  return parse_rows(doc, instrument, ticker, action_kind::split, recv_ns,
                    [](json::exact_reader& in, corporate_action& x) {
                      x.ex_date_ns = read_date(in, "execution_date");
                      x.split_from = in.number("split_from");
                      x.split_to = in.number("split_to");
                      if (in && (!x.split_from.is_positive() || !x.split_to.is_positive()))
                        in.fail(errc::out_of_range, "split_from",
                                "split_from and split_to must be positive");
                    });
}

result<std::vector<corporate_action>> parse_dividends(const json::exact_document& doc,
                                                      std::string_view instrument,
                                                      std::string_view ticker,
                                                      int64_t recv_ns) {
  return parse_rows(doc, instrument, ticker, action_kind::dividend, recv_ns,
                    [](json::exact_reader& in, corporate_action& x) {
                      x.ex_date_ns = read_date(in, "ex_dividend_date");
                      x.amount = in.number("cash_amount");
                      x.currency = std::string{in.optional_string("currency")};
                      if (in.has_value("pay_date"))
                        x.pay_date_ns = read_date(in, "pay_date");
                      if (in && x.amount.is_negative())
                        in.fail(errc::out_of_range, "cash_amount", "negative");
                    });
}

} // namespace tickflow::polygon
