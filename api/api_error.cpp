#include "api/api_error.hpp"

#include <cstdint>

namespace tickflow::api {

namespace {

// Length of the valid UTF-8 sequence at the start of `s`, or 0 when it is
// not valid (overlong forms, surrogates and code points past U+10FFFF
// included).
size_t utf8_sequence_length(std::string_view s) noexcept {
  auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  auto cont = [&](size_t i) {
    return i < s.size() && (byte(i) & 0xC0) == 0x80;
  };
  auto in = [&](size_t i, uint8_t lo, uint8_t hi) {
    return i < s.size() && byte(i) >= lo && byte(i) <= hi;
  };
  uint8_t lead = byte(0);
  if (lead < 0x80)
    return 1;
  if (lead >= 0xC2 && lead <= 0xDF)
    return cont(1) ? 2 : 0;
  if (lead == 0xE0)
    return in(1, 0xA0, 0xBF) && cont(2) ? 3 : 0;
  if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF)
    return cont(1) && cont(2) ? 3 : 0;
  if (lead == 0xED)
    return in(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (lead == 0xF0)
    return in(1, 0x90, 0xBF) && cont(2) && cont(3) ? 4 : 0;
  if (lead >= 0xF1 && lead <= 0xF3)
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (lead == 0xF4)
    return in(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// Appends `s` as a quoted JSON string. Control characters are escaped and
// invalid UTF-8 becomes U+FFFD, so the output always parses, whatever the
// message text (it may quote client input).
void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      auto n = utf8_sequence_length(s.substr(i));
      if (n == 0) {
        out.append("\xEF\xBF\xBD"); // U+FFFD
        ++i;
      } else {
        out.append(s.data() + i, n);
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        if (c < 0x20) {
          out.append("\\u00");
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 0xF]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

} // namespace

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
  out.append("}}");
  return res;
}

} // namespace tickflow::api
