#include "api/http_head.hpp"

#include <algorithm>
#include <charconv>
#include <ostream> // boost/beast/http/status.hpp streams a status
#include <string_view>

#include <boost/beast/http/status.hpp>

namespace tickflow::api {

namespace {

namespace http = boost::beast::http;

bool is_token(std::string_view s) noexcept {
  if (s.empty())
    return false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    bool ok = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z')
              || (u >= 'A' && u <= 'Z')
              || std::string_view{"!#$%&'*+-.^_`|~"}.find(c)
                   != std::string_view::npos;
    if (!ok)
      return false;
  }
  return true;
}

bool is_field_value(std::string_view s) noexcept {
  for (char c : s)
    if (c == '\r' || c == '\n' || c == '\0')
      return false;
  return true;
}

// Headers the server writes itself; a handler cannot add them twice.
bool is_reserved(std::string_view name) noexcept {
  auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  for (std::string_view r : {"content-length", "transfer-encoding",
                             "connection", "server", "content-type"})
    if (name.size() == r.size()
        && std::equal(name.begin(), name.end(), r.begin(),
                      [&](char a, char b) { return lower(a) == b; }))
      return true;
  return false;
}

void append_number(std::string& out, uint64_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), n);
  (void) ec;
  out.append(buf, static_cast<size_t>(end - buf));
}

} // namespace

void render_response_head(std::string& out, const http_response& res,
                          unsigned version, bool keep_alive, size_t body_size) {
  unsigned status = res.status;
  bool bodiless = status == 204 || status == 304;
  out.clear();
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  append_number(out, status);
  out.push_back(' ');
  auto known = http::int_to_status(status);
  if (known == http::status::unknown) {
    out.append("Status");
  } else {
    auto reason = http::obsolete_reason(known);
    out.append(reason.data(), reason.size());
  }
  out.append("\r\nServer: tickflow\r\n");
  if (!bodiless) {
    if (!res.content_type.empty() && is_field_value(res.content_type)) {
      out.append("Content-Type: ");
      out.append(res.content_type);
      out.append("\r\n");
    }
    out.append("Content-Length: ");
    append_number(out, body_size);
    out.append("\r\n");
  }
  for (const auto& [name, value] : res.headers) {
    if (!is_token(name) || !is_field_value(value) || is_reserved(name))
      continue;
    out.append(name).append(": ").append(value).append("\r\n");
  }
  if (version == 10 && keep_alive)
    out.append("Connection: keep-alive\r\n");
  else if (version != 10 && !keep_alive)
    out.append("Connection: close\r\n");
  out.append("\r\n");
}

} // namespace tickflow::api
