#include "adapters/polygon/polygon_reference.hpp"

#include <algorithm>
#include <utility>

#include "adapters/common/ascii.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/polygon/polygon_request.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/reference/news_merge.hpp"

namespace tickflow::polygon {

namespace {

// Exchange names of the primary-exchange MICs US listings use.
constexpr std::pair<std::string_view, std::string_view> exchange_names[] = {
  {"XNAS", "NASDAQ"},     {"XNYS", "NYSE"},       {"ARCX", "NYSE ARCA"},
  {"XASE", "NYSE AMERICAN"}, {"BATS", "CBOE BZX"}, {"IEXG", "IEX"},
};

std::string exchange_of(std::string_view mic) {
  for (auto& [code, name] : exchange_names)
    if (code == mic)
      return std::string{name};
  return std::string{mic};
}

std::string asset_type_of(std::string_view market, std::string_view type) {
  if (market == "crypto")
    return "crypto";
  if (market == "fx")
    return "forex";
  if (market == "indices")
    return "index";
  if (type.empty() || type == "CS")
    return "equity";
  if (type == "ETF" || type == "ETN" || type == "ETV")
    return "etf";
  if (type == "ADRC")
    return "adr";
  return ascii_lower(type);
}

// The object field `name` of `object`, nullptr when absent or null; a value
// of another type is recorded on `in` as malformed.
const rapidjson::Value* optional_object(json::exact_reader& in,
                                        const rapidjson::Value& object, const char* name) {
  if (!in || !in.has_value(name))
    return nullptr;
  auto& v = object[name];
  if (!v.IsObject()) {
    in.fail(errc::malformed, name, "expected an object");
    return nullptr;
  }
  return &v;
}

decimal optional_number(json::exact_reader& in, const char* name) {
  return in.has_value(name) ? in.number(name) : decimal{};
}

} // namespace

// -- requests -----------------------------------------------------------------

outbound_request ticker_details_request(std::string_view ticker, std::string_view api_key) {
  outbound_request out;
  out.method = "GET";
  out.path = "/v3/reference/tickers/" + escape_path_segment(ticker);
  add_api_key(out, api_key);
  return out;
}

result<outbound_request> news_request(std::string_view ticker, size_t limit,
                                      std::string_view api_key) {
  if (limit > max_news_limit)
    return error{errc::invalid_argument,
                 "polygon: news limit above " + std::to_string(max_news_limit)};
  outbound_request out;
  out.method = "GET";
  out.path = "/v2/reference/news";
  if (!ticker.empty())
    out.query.emplace_back("ticker", std::string{ticker});
  out.query.emplace_back("order", "desc");
  out.query.emplace_back("sort", "published_utc");
  out.query.emplace_back("limit", std::to_string(limit == 0 ? default_news_limit : limit));
  add_api_key(out, api_key);
  return out;
}

// -- parsers ------------------------------------------------------------------

result<asset_profile> parse_ticker_details(const json::exact_document& doc,
                                           std::string_view instrument,
                                           std::string_view ticker, int64_t recv_ns) {
  json::exact_reader top{doc, doc.root()};
  if (!top)
    return top.err();
  if (!top.has_value("results"))
    return error{errc::missing_field, "results"};
  auto* results = optional_object(top, doc.root(), "results");
  if (!top)
    return top.err();
  json::exact_reader in{doc, *results, "results."};
  in.check_optional_string("ticker", ticker);
  asset_profile x;
  x.instrument = std::string{instrument};
  x.provider_symbol = std::string{ticker};
  x.source = providers::polygon;
  x.name = in.optional_string("name");
  x.asset_type = asset_type_of(in.optional_string("market"), in.optional_string("type"));
  x.description = in.optional_string("description");
  x.exchange = exchange_of(in.optional_string("primary_exchange"));
  x.currency = ascii_upper(in.optional_string("currency_name"));
  x.country = ascii_upper(in.optional_string("locale"));
  x.industry = in.optional_string("sic_description");
  x.homepage = in.optional_string("homepage_url");
  x.ipo_date = in.optional_string("list_date");
  x.market_cap = optional_number(in, "market_cap");
  x.shares_outstanding = in.has_value("share_class_shares_outstanding")
                           ? in.number("share_class_shares_outstanding")
                           : optional_number(in, "weighted_shares_outstanding");
  if (auto* branding = optional_object(in, *results, "branding")) {
    json::exact_reader b{doc, *branding, "results.branding."};
    x.logo = b.optional_string("logo_url");
    if (!b)
      return b.err();
  }
  x.ts_recv_ns = recv_ns;
  if (!in)
    return in.err();
  return x;
}

result<asset_profile> parse_ticker_details(std::string_view body,
                                           std::string_view instrument,
                                           std::string_view ticker, int64_t recv_ns) {
  return json::with_exact_document(body, [&](const auto& doc) {
    return parse_ticker_details(doc, instrument, ticker, recv_ns);
  });
}

result<std::vector<news_item>> parse_news(const json::exact_document& doc,
                                          std::string_view instrument, size_t limit,
                                          int64_t recv_ns) {
  json::exact_reader top{doc, doc.root()};
  auto* results = top.array("results");
  if (!top)
    return top.err();
  std::vector<news_item> out;
  out.reserve(results->Size());
  for (rapidjson::SizeType i = 0; i < results->Size(); ++i) {
    auto where = json::element_name("results", i) + ".";
    json::exact_reader in{doc, (*results)[i], where};
    news_item x;
    x.source = providers::polygon;
    x.title = in.string("title");
    x.url = in.string("article_url");
    auto published = in.string("published_utc");
    if (in) {
      auto ts = parse_timestamp(published);
      if (!ts || *ts < 0)
        in.fail(errc::malformed, "published_utc", "expected an ISO 8601 UTC time");
      else
        x.published_ns = *ts;
    }
    if (in.has_value("id"))
      x.id = in.string("id");
    x.summary = in.optional_string("description");
    x.image = in.optional_string("image_url");
    if (auto* publisher = optional_object(in, (*results)[i], "publisher")) {
      json::exact_reader p{doc, *publisher, where + "publisher."};
      x.publisher = p.optional_string("name");
      if (!p)
        return p.err();
    }
    if (!instrument.empty())
      x.instruments.emplace_back(instrument);
    if (in.has_value("tickers")) {
      auto* tickers = in.array("tickers");
      for (rapidjson::SizeType j = 0; in && j < tickers->Size(); ++j) {
        auto& t = (*tickers)[j];
        if (!t.IsString() || doc.is_number(t)) {
          in.fail(errc::malformed, json::element_name("tickers", j), "expected a string");
          break;
        }
        auto id = from_polygon_ticker({t.GetString(), t.GetStringLength()});
        if (!id.empty()
            && std::find(x.instruments.begin(), x.instruments.end(), id)
                 == x.instruments.end())
          x.instruments.push_back(std::move(id));
      }
    }
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

} // namespace tickflow::polygon
