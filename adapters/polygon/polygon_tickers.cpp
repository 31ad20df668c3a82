#include "adapters/polygon/polygon_tickers.hpp"

#include "adapters/common/exact_json.hpp"
#include "adapters/polygon/polygon_paging.hpp"
#include "adapters/polygon/polygon_request.hpp"

namespace tickflow::polygon {

namespace {

/// The class of a Polygon market, or false for one tickflow does not serve.
bool class_of_market(std::string_view market, asset_class& out) {
  if (market == "stocks" || market == "otc")
    out = asset_class::equity;
  else if (market == "crypto")
    out = asset_class::crypto;
  else if (market == "fx")
    out = asset_class::forex;
  else if (market == "indices")
    out = asset_class::index;
  else
    return false;
  return true;
}

} // namespace

outbound_request reference_tickers_request(std::string_view api_key) {
  outbound_request out;
  out.path = std::string{reference_tickers_path};
  out.query.emplace_back("active", "true");
  out.query.emplace_back("limit", "1000");
  add_api_key(out, api_key);
  return out;
}

result<tickers_page> parse_reference_tickers(std::string_view body) {
  return json::with_exact_document(body, [](const json::exact_document& doc)
                                             -> result<tickers_page> {
    auto& root = doc.root();
    if (!root.IsObject())
      return error{errc::malformed, "reference/tickers: not an object"};
    json::exact_reader top{doc, root};
    tickers_page out;
    out.next_url = std::string{top.optional_string("next_url")};
    const rapidjson::Value* results = nullptr;
    if (top.has_value("results"))
      results = top.array("results");
    if (!top)
      return top.err();
    if (results == nullptr)
      return out; // an empty list has no results
    out.tickers.reserve(results->Size());
    size_t i = 0;
    for (auto& row : results->GetArray()) {
      json::exact_reader in{doc, row, json::element_name("results", i++) + "."};
      ticker_info x;
      x.ticker = std::string{in.string("ticker")};
      x.market = std::string{in.string("market")};
      x.name = std::string{in.optional_string("name")};
      x.locale = std::string{in.optional_string("locale")};
      x.currency = std::string{in.optional_string("currency_name")};
      if (in.has_value("active"))
        x.active = in.boolean("active");
      if (!in)
        return in.err();
      out.tickers.push_back(std::move(x));
    }
    return out;
  });
}

std::vector<reference_instrument> reference_rows(const tickers_page& page) {
  std::vector<reference_instrument> out;
  out.reserve(page.tickers.size());
  for (auto& t : page.tickers) {
    reference_instrument x;
    if (!t.active || t.ticker.empty() || !class_of_market(t.market, x.cls))
      continue;
    x.symbol = t.ticker;
    x.native = t.ticker;
    out.push_back(std::move(x));
  }
  return out;
}

result<reference_page> parse_reference_list(std::string_view body) {
  auto page = parse_reference_tickers(body);
  if (!page)
    return page.err();
  reference_page out;
  out.items = reference_rows(*page);
  out.next = page_of_next_url(page->next_url, reference_tickers_path);
  return out;
}

result<outbound_request> reference_list_request(std::string_view page,
                                                std::string_view api_key) {
  if (page.empty())
    return reference_tickers_request(api_key);
  return page_request(page, api_key);
}

} // namespace tickflow::polygon
