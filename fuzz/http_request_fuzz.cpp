// Fuzzes the whole inbound HTTP request path: Boost.Beast's request parser
// (the one api/http_server uses, with its header and body limits) on raw
// bytes, then what the server and the gateway do with a parsed request:
// the target split (api/url), the data route parameters (api/routes: data, reports),
// access decisions with keys and an admin token (api/access_policy), the
// webhook signature check (api/webhook_auth) and the webhook event body
// (api/webhook_events).
// Seeds: fuzz/seeds/http_request/ (hand-written requests).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "api/access_policy.hpp"
#include "api/api_keys.hpp"
#include "api/routes/data.hpp"
#include "api/routes/reports.hpp"
#include "api/digest.hpp"
#include "api/http_types.hpp"
#include "api/url.hpp"
#include "api/webhook_auth.hpp"
#include "api/webhook_events.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using namespace tickflow;
namespace http = boost::beast::http;

constexpr int64_t now_ns = 1'700'000'000'000'000'000;

const api::api_key_set& keys() {
  static const api::api_key_set xs = [] {
    auto text = "fuzz " + api::to_hex(api::sha256("fuzz-key")) + " 5 10\n";
    return *api::api_key_set::parse(text, "fuzz.keys");
  }();
  return xs;
}

/// Feeds `bytes` to a parser like the server's; true when a whole request
/// was read.
bool parse_request(std::string_view bytes, http::request_parser<http::string_body>& p) {
  p.header_limit(8192);
  p.body_limit(1 << 20);
  p.eager(true);
  boost::system::error_code ec;
  while (!bytes.empty() && !p.is_done()) {
    auto n = p.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    if (ec || n == 0)
      return false;
    bytes.remove_prefix(n);
  }
  if (!p.is_done()) {
    // End of input: a body delimited by the end of the stream ends here
    // (Beast asserts that something was read before an end of stream).
    if (!p.got_some())
      return false;
    p.put_eof(ec);
    return !ec && p.is_done();
  }
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static api::webhook_verifier verifier(300'000'000'000, 1 << 20, 64);
  http::request_parser<http::string_body> parser;
  if (!parse_request(fuzz::as_text(data, size), parser))
    return 0;
  auto& msg = parser.get();

  api::http_request req;
  req.target.assign(msg.target().data(), msg.target().size());
  auto method = msg.method_string();
  req.method.assign(method.data(), method.size());
  for (const auto& field : msg) {
    auto name = field.name_string();
    auto value = field.value();
    auto& kv = req.headers.emplace_back();
    kv.first.assign(name.data(), name.size());
    std::transform(kv.first.begin(), kv.first.end(), kv.first.begin(), [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    kv.second.assign(value.data(), value.size());
  }
  req.body = std::move(msg.body());
  req.remote = (size & 1) ? "127.0.0.1:40000" : "[2001:db8::1]:40000";
  if (!api::parse_target_into(req.target, req.path, req.query))
    return 0;

  (void) api::parse_price_query(req);
  (void) api::parse_ohlcv_query(req);
  (void) api::parse_quarantine_query(req);
  (void) api::parse_quality_query(req);

  api::access_rules with_keys{&keys(), "fuzz-admin-token", false};
  api::access_rules without_keys{nullptr, "", (size & 2) != 0};
  for (const auto* rules : {&with_keys, &without_keys})
    for (auto level : {api::access_level::open, api::access_level::api,
                       api::access_level::admin}) {
      auto d = api::decide_access(level, req, *rules);
      if (level == api::access_level::open)
        TICKFLOW_FUZZ_CHECK(d.allowed);
      if (d.allowed)
        TICKFLOW_FUZZ_CHECK(!d.client.empty());
    }
  (void) api::bearer_token(req);

  (void) verifier.verify("fuzz-secret", req.header(api::webhook_timestamp_header),
                         req.header(api::webhook_signature_header), req.body, now_ns);
  if (auto events = api::parse_canonical_events(req.body, now_ns, 1000))
    fuzz::check_batch(*events);
  return 0;
}
