#include "adapters/newsapi/newsapi_adapter.hpp"

#include <string>
#include <utility>

#include "adapters/common/exact_json.hpp"
#include "adapters/common/provider_errors.hpp"
#include "adapters/newsapi/newsapi_parse.hpp"
#include "adapters/newsapi/newsapi_provider.hpp"
#include "adapters/provider_descriptor.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow {

namespace {

class newsapi_adapter final : public rest_adapter {
 public:
  explicit newsapi_adapter(const adapter_options& opts)
      : overrides_(opts.symbol_overrides) {
    // nop
  }

  const provider_info& info() const noexcept override {
    return newsapi_descriptor().info;
  }

  result<outbound_request> build(const fetch_request& req,
                                 const credentials& cred) const override {
    if (req.kind != fetch_kind::news)
      return error{errc::invalid_argument,
                   "newsapi: serves news only, not " + std::string{to_string(req.kind)}};
    auto out = newsapi::everything_request(
      newsapi::search_terms(req.query, to_provider_symbol(req.instrument)), req.limit,
      cred.api_key);
    if (!out)
      return out;
    if (cred.api_key.empty())
      return error{errc::unauthorized, "newsapi: no API key configured"};
    return out;
  }

  fetch_outcome parse(const fetch_request& req, const http_reply& reply,
                      int64_t recv_ns) const override {
    if (req.kind != fetch_kind::news)
      return fetch_error{errc::invalid_argument, "newsapi: serves news only", 0};
    json::exact_document doc;
    if (auto e = read_exact_reply(reply, recv_ns, newsapi::classify_error, doc))
      return *e;
    auto xs = newsapi::parse_everything(doc, req.instrument, req.limit, recv_ns);
    if (!xs)
      return fold_parse_error(xs.err());
    fetch_result out;
    out.news = std::move(*xs);
    return out;
  }

  /// The search term of a canonical id: an override, else the id itself.
  std::string to_provider_symbol(std::string_view canonical) const override {
    if (auto s = overridden_symbol(overrides_, canonical))
      return *s;
    return is_canonical_instrument(canonical) ? std::string{canonical} : std::string{};
  }

  std::string to_canonical(std::string_view provider_symbol) const override {
    if (auto c = overridden_canonical(overrides_, provider_symbol))
      return *c;
    return is_canonical_instrument(provider_symbol) ? std::string{provider_symbol}
                                                    : std::string{};
  }

 private:
  kv_list overrides_;
};

} // namespace

std::unique_ptr<rest_adapter> make_newsapi_adapter(const adapter_options& opts) {
  return std::make_unique<newsapi_adapter>(opts);
}

} // namespace tickflow
