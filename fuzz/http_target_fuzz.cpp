// Fuzzes the REST request path after the HTTP parser: the request target
// (api/url: path and query split, percent-decoding) and the data route
// parameter parsers (api/routes/data and reports: symbol, provider, interval, limit,
// start/end timestamps, validate), as GET <input>.
// Checks: percent_decode(percent_encode(x)) == x; every error response the
// parsers produce is valid JSON (user input is echoed inside it).
// Seeds: fuzz/seeds/http_target/ (hand-written targets).

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include <rapidjson/document.h>

#include "api/api_error.hpp"
#include "api/routes/data.hpp"
#include "api/routes/reports.hpp"
#include "api/http_types.hpp"
#include "api/url.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using namespace tickflow;

template <class T>
void check(const api::api_result<T>& r) {
  if (const auto* e = std::get_if<api::api_error>(&r)) {
    auto res = api::error_response(*e);
    rapidjson::Document doc;
    doc.Parse(res.body.data(), res.body.size());
    TICKFLOW_FUZZ_CHECK(!doc.HasParseError());
    TICKFLOW_FUZZ_CHECK(res.status >= 400 && res.status < 600);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto text = fuzz::as_text(data, size);

  if (text.find('\0') == std::string_view::npos) {
    auto encoded = api::percent_encode(text);
    for (bool plus : {false, true}) {
      auto decoded = api::percent_decode(encoded, plus);
      TICKFLOW_FUZZ_CHECK(decoded.ok());
      TICKFLOW_FUZZ_CHECK(*decoded == text);
    }
  }
  (void) api::percent_decode(text, true);

  api::http_request req;
  req.method = "GET";
  req.target.assign(text.data(), text.size());
  req.remote = "127.0.0.1:40000";
  if (auto r = api::parse_target_into(req.target, req.path, req.query); !r)
    return 0;
  TICKFLOW_FUZZ_CHECK(!req.path.empty() && req.path.front() == '/');
  check(api::parse_price_query(req));
  check(api::parse_ohlcv_query(req));
  check(api::parse_quarantine_query(req));
  check(api::parse_quality_query(req));
  return 0;
}
