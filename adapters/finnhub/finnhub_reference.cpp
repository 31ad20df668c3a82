#include "adapters/finnhub/finnhub_reference.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "adapters/finnhub/finnhub_provider.hpp"
#include "adapters/finnhub/finnhub_request.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/reference/news_merge.hpp"

namespace tickflow::finnhub {

namespace {

constexpr int64_t max_s = std::numeric_limits<int64_t>::max() / ns_per_s;

outbound_request get(std::string path, std::string_view api_key) {
  outbound_request out;
  out.method = "GET";
  out.path = std::move(path);
  out.headers.emplace_back(std::string{token_header}, std::string{api_key});
  out.secrets.emplace_back(api_key);
  return out;
}

std::string utc_date(int64_t ts_ns) {
  return format_iso8601(ts_ns).substr(0, 10);
}

// An optional number field: unset when absent or null.
decimal optional_number(json::exact_reader& in, const char* name) {
  return in.has_value(name) ? in.number(name) : decimal{};
}

// An optional count in millions, as a whole count ("4375.48" -> 4375480000).
decimal millions(json::exact_reader& in, const char* name) {
  auto x = optional_number(in, name);
  if (!in || x.is_zero())
    return x;
  auto scaled = decimal::mul(x, decimal::from_parts(1'000'000, 0));
  if (!scaled) {
    in.fail(errc::out_of_range, name, "does not fit once scaled from millions");
    return {};
  }
  return *scaled;
}

// "AAPL,MSFT" -> the canonical ids of the known ones, each once.
void add_related(std::string_view related, std::vector<std::string>& out) {
  while (!related.empty()) {
    auto comma = related.find(',');
    auto item = related.substr(0, comma);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    auto id = from_finnhub_symbol(item);
    if (!id.empty() && std::find(out.begin(), out.end(), id) == out.end())
      out.push_back(std::move(id));
    if (comma == std::string_view::npos)
      break;
    related.remove_prefix(comma + 1);
  }
}

} // namespace

// -- requests -----------------------------------------------------------------

outbound_request profile_request(std::string_view symbol, std::string_view api_key) {
  auto out = get("/api/v1/stock/profile2", api_key);
  out.query.emplace(out.query.begin(), "symbol", std::string{symbol});
  return out;
}

result<outbound_request> company_news_request(std::string_view symbol, int64_t start_ns,
                                              int64_t end_ns, std::string_view api_key) {
  if (end_ns <= 0 || start_ns < 0 || start_ns > end_ns)
    return error{errc::invalid_argument,
                 "finnhub: company news needs a range (0 <= start <= end, end > 0)"};
  auto out = get("/api/v1/company-news", api_key);
  out.query = {{"symbol", std::string{symbol}},
               {"from", utc_date(start_ns)},
               {"to", utc_date(end_ns)}};
  return out;
}

outbound_request market_news_request(std::string_view api_key) {
  auto out = get("/api/v1/news", api_key);
  out.query = {{"category", "general"}};
  return out;
}

// -- parsers ------------------------------------------------------------------

result<asset_profile> parse_profile(const json::exact_document& doc,
                                    std::string_view instrument,
                                    std::string_view symbol, int64_t recv_ns) {
  json::exact_reader in{doc, doc.root()};
  if (!in)
    return in.err();
  if (doc.root().MemberCount() == 0)
    return error{errc::unknown_symbol, std::string{symbol}};
  asset_profile x;
  x.instrument = std::string{instrument};
  x.provider_symbol = std::string{symbol};
  x.source = providers::finnhub;
  x.asset_type = "equity";
  x.name = in.optional_string("name");
  x.exchange = in.optional_string("exchange");
  x.currency = in.optional_string("currency");
  x.country = in.optional_string("country");
  x.industry = in.optional_string("finnhubIndustry");
  x.homepage = in.optional_string("weburl");
  x.logo = in.optional_string("logo");
  x.ipo_date = in.optional_string("ipo");
  x.market_cap = millions(in, "marketCapitalization");
  x.shares_outstanding = millions(in, "shareOutstanding");
  x.ts_recv_ns = recv_ns;
  if (!in)
    return in.err();
  // An echoed ticker names the instrument we asked for, or the reply is not ours.
  in.check_optional_string("ticker", symbol);
  if (!in)
    return in.err();
  return x;
}

result<asset_profile> parse_profile(std::string_view body, std::string_view instrument,
                                    std::string_view symbol, int64_t recv_ns) {
  return json::with_exact_document(body, [&](const auto& doc) {
    return parse_profile(doc, instrument, symbol, recv_ns);
  });
}

result<std::vector<news_item>> parse_news(const json::exact_document& doc,
                                          std::string_view instrument, size_t limit,
                                          int64_t recv_ns) {
  auto& root = doc.root();
  if (!root.IsArray())
    return error{errc::malformed, "expected an array of articles"};
  std::vector<news_item> out;
  out.reserve(root.Size());
  for (rapidjson::SizeType i = 0; i < root.Size(); ++i) {
    json::exact_reader in{doc, root[i], json::element_name("", i) + "."};
    news_item x;
    x.source = providers::finnhub;
    x.title = in.string("headline");
    x.url = in.string("url");
    auto s = in.integer("datetime");
    if (in && (s < 0 || s > max_s))
      in.fail(errc::out_of_range, "datetime", "timestamp out of range");
    x.published_ns = in ? s * ns_per_s : 0;
    if (in.has_value("id"))
      x.id = std::to_string(in.integer("id"));
    x.summary = in.optional_string("summary");
    x.publisher = in.optional_string("source");
    x.image = in.optional_string("image");
    if (!instrument.empty())
      x.instruments.emplace_back(instrument);
    add_related(in.optional_string("related"), x.instruments);
    x.ts_recv_ns = recv_ns;
    if (!in)
      return in.err();
    out.push_back(std::move(x));
  }
  reference::keep_newest(out, limit);
  return out;
}

result<std::vector<news_item>> parse_news(std::string_view body, std::string_view instrument,
                                          size_t limit, int64_t recv_ns) {
  return json::with_exact_document(body, [&](const auto& doc) {
    return parse_news(doc, instrument, limit, recv_ns);
  });
}

} // namespace tickflow::finnhub
