#include "api/api_error.hpp"

#include <cstdint>

#include "pipeline/model/json_string.hpp"

namespace tickflow::api {

// The one table from errc to HTTP status:
//   malformed, missing_field, bad_number, out_of_range,
//   invalid_argument                     400 Bad Request (the client's input)
//   unauthorized                         401 Unauthorized
//   unknown_symbol, not_found            404 Not Found
//   rate_limited                         429 Too Many Requests
//   config_invalid                       500 Internal Server Error (ours)
//   provider_error                       502 Bad Gateway (upstream said no)
//   stale, unavailable                   503 Service Unavailable: we cannot
//                                        serve fresh data right now; retry
unsigned http_status(errc code) noexcept {
  switch (code) {
    case errc::malformed:
    case errc::missing_field:
    case errc::bad_number:
    case errc::out_of_range:
    case errc::invalid_argument:
      return 400;
    case errc::unauthorized:
      return 401;
    case errc::unknown_symbol:
    case errc::not_found:
      return 404;
    case errc::rate_limited:
      return 429;
    case errc::config_invalid:
      return 500;
    case errc::provider_error:
      return 502;
    case errc::stale:
    case errc::unavailable:
      return 503;
  }
  return 500;
}

api_error to_api_error(const error& e, std::string field) {
  api_error out;
  out.status = http_status(e.code);
  out.code = std::string{to_string(e.code)};
  // The context is the detail ("BTC-XYZ", "symbol"); fall back to the code
  // so the message is never empty.
  out.message = e.context.empty() ? out.code : e.context;
  out.field = std::move(field);
  return out;
}

http_response error_response(const api_error& e) {
  http_response res;
  res.status = e.status;
  res.content_type = "application/json";
  auto& out = res.body;
  out.reserve(48 + e.code.size() + e.message.size() + e.field.size());
  out.append("{\"error\":{\"code\":");
  append_json_string(out, e.code);
  out.append(",\"message\":");
  append_json_string(out, e.message);
  if (!e.field.empty()) {
    out.append(",\"field\":");
    append_json_string(out, e.field);
  }
  if (!e.candidates.empty()) {
    out.append(",\"candidates\":[");
    for (size_t i = 0; i < e.candidates.size(); ++i) {
      if (i > 0)
        out += ',';
      append_json_string(out, e.candidates[i]);
    }
    out += ']';
  }
  out.append("}}");
  return res;
}

} // namespace tickflow::api
