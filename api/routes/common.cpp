#include "api/routes/common.hpp"

#include <charconv>

#include <rapidjson/document.h>

#include "api/event_json.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::api {

http_response json(unsigned status, std::string body) {
  http_response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

http_response fail(unsigned status, std::string code, std::string message,
                   std::string field) {
  return error_response(
    api_error{status, std::move(code), std::move(message), std::move(field)});
}

http_response not_found(lookup_status status, const std::string& instrument) {
  if (status == lookup_status::unknown)
    return fail(404, "unknown_symbol", "unknown symbol " + instrument, "symbol");
  return fail(404, "no_data", "no data yet for " + instrument, "symbol");
}

http_response provider_not_enabled(const std::string& provider) {
  return fail(400, "invalid_parameter",
              "provider " + provider + " is not enabled", "provider");
}

void append_strings(std::string& out, const std::vector<std::string>& xs) {
  out += '[';
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i > 0)
      out += ',';
    append_json_string(out, xs[i]);
  }
  out += ']';
}

void append_text_or_null(std::string& out, std::string_view s) {
  if (s.empty())
    out += "null";
  else
    append_json_string(out, s);
}

void append_time_or_null(std::string& out, int64_t ns) {
  if (ns > 0)
    append_json_string(out, format_iso8601(ns));
  else
    out += "null";
}

void append_int(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_reasons(std::string& out, const std::vector<std::string>& xs) {
  out += '[';
  for (size_t i = 0; i < xs.size(); ++i) {
    std::string_view x = xs[i];
    auto colon = x.find(": ");
    out += i ? ",{\"provider\":" : "{\"provider\":";
    append_json_string(out, x.substr(0, colon));
    out += ",\"reason\":";
    append_json_string(out, colon == std::string_view::npos ? std::string_view{}
                                                            : x.substr(colon + 2));
    out += '}';
  }
  out += ']';
}

std::pair<std::string, std::string> error_of(const http_response& r) {
  rapidjson::Document d;
  d.Parse(r.body.c_str(), r.body.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("error")
      || !d["error"].IsObject())
    return {};
  auto& e = d["error"];
  auto text = [&](const char* name) {
    return e.HasMember(name) && e[name].IsString()
             ? std::string{e[name].GetString()}
             : std::string{};
  };
  return {text("code"), text("message")};
}

} // namespace tickflow::api
