#include "adapters/newsapi/newsapi_parse.hpp"

#include <utility>

#include "adapters/common/provider_errors.hpp"
#include "adapters/newsapi/newsapi_provider.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/normalize/asset_class.hpp"
#include "pipeline/reference/news_merge.hpp"

namespace tickflow::newsapi {

std::string search_terms(std::string_view query, std::string_view instrument) {
  if (!query.empty())
    return std::string{query};
  std::string_view base, quote;
  if (split_pair(instrument, base, quote))
    return std::string{base};
  return std::string{instrument};
}

result<outbound_request> everything_request(std::string_view terms, size_t limit,
                                            std::string_view api_key) {
  if (terms.empty())
    return error{errc::invalid_argument, "newsapi: needs a query or a symbol"};
  if (limit > max_page_size)
    return error{errc::invalid_argument,
                 "newsapi: pageSize above " + std::to_string(max_page_size)};
  outbound_request out;
  out.method = "GET";
  out.path = "/v2/everything";
  out.query = {{"q", std::string{terms}},
               {"pageSize", std::to_string(limit == 0 ? default_page_size : limit)},
               {"sortBy", "publishedAt"}};
  out.headers.emplace_back(std::string{key_header}, std::string{api_key});
  out.secrets.emplace_back(api_key);
  return out;
}

result<std::vector<news_item>> parse_everything(const json::exact_document& doc,
                                                std::string_view instrument, size_t limit,
                                                int64_t recv_ns) {
  json::exact_reader top{doc, doc.root()};
  auto status = top.string("status");
  auto* articles = top.array("articles");
  if (top && status != "ok")
    top.fail(errc::malformed, "status", "expected \"ok\", got \"" + std::string{status} + "\"");
  if (!top)
    return top.err();
  std::vector<news_item> out;
  out.reserve(articles->Size());
  for (rapidjson::SizeType i = 0; i < articles->Size(); ++i) {
    auto where = json::element_name("articles", i) + ".";
    auto& a = (*articles)[i];
    json::exact_reader in{doc, a, where};
    news_item x;
    x.source = providers::newsapi;
    x.title = in.string("title");
    x.url = in.string("url");
    auto published = in.string("publishedAt");
    if (in) {
      auto ts = parse_timestamp(published);
      if (!ts || *ts < 0)
        in.fail(errc::malformed, "publishedAt", "expected an ISO 8601 UTC time");
      else
        x.published_ns = *ts;
    }
    x.summary = in.optional_string("description");
    x.image = in.optional_string("urlToImage");
    if (in.has_value("source")) {
      auto& src = a["source"];
      if (!src.IsObject()) {
        in.fail(errc::malformed, "source", "expected an object");
      } else {
        json::exact_reader s{doc, src, where + "source."};
        x.publisher = s.optional_string("name");
        if (!s)
          return s.err();
      }
    }
    if (!instrument.empty())
      x.instruments.emplace_back(instrument);
    x.ts_recv_ns = recv_ns;
    if (!in)
      return in.err();
    if (x.title == "[Removed]")
      continue;
    out.push_back(std::move(x));
  }
  reference::keep_newest(out, limit);
  return out;
}

result<std::vector<news_item>> parse_everything(std::string_view body,
                                                std::string_view instrument, size_t limit,
                                                int64_t recv_ns) {
  return json::with_exact_document(body, [&](const auto& doc) {
    return parse_everything(doc, instrument, limit, recv_ns);
  });
}

std::optional<fetch_error> classify_error(const http_reply& reply,
                                          const json::exact_document* doc,
                                          int64_t now_ns) {
  std::string_view status, code, message;
  if (doc != nullptr) {
    status = doc->string_member(doc->root(), "status");
    code = doc->string_member(doc->root(), "code");
    message = doc->string_member(doc->root(), "message");
  }
  auto e = classify_error_reply(reply, status == "error", message,
                                "newsapi: " + std::string{code.empty() ? "error" : code},
                                now_ns);
  if (!e || code.empty())
    return e;
  if (code == "apiKeyMissing" || code == "apiKeyInvalid" || code == "apiKeyDisabled") {
    e->code = errc::unauthorized;
  } else if (code == "apiKeyExhausted" || code == "rateLimited") {
    e->code = errc::rate_limited;
    if (e->retry_after_ns <= 0)
      e->retry_after_ns = code == "rateLimited" ? 60 * ns_per_s
                                                : ns_until_next_utc_midnight(now_ns);
  } else if (e->code != errc::rate_limited && e->code != errc::unauthorized) {
    e->code = errc::provider_error;
  }
  return e;
}

} // namespace tickflow::newsapi
