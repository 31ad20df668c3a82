#include "adapters/polygon/polygon_paging.hpp"

#include <utility>

#include "adapters/polygon/polygon_request.hpp"

namespace tickflow::polygon {

namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/// Percent-decodes a query component ('+' is a space in a query).
std::string decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      auto hi = hex_value(s[i + 1]);
      auto lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i] == '+' ? ' ' : s[i]);
  }
  return out;
}

} // namespace

std::string page_of_next_url(std::string_view next_url, std::string_view path_prefix) {
  std::string_view rest;
  for (std::string_view scheme : {"https://", "http://"})
    if (next_url.substr(0, scheme.size()) == scheme)
      rest = next_url.substr(scheme.size());
  auto slash = rest.find('/');
  if (rest.empty() || slash == std::string_view::npos || slash == 0)
    return {};
  auto page = rest.substr(slash);
  if (page.substr(0, path_prefix.size()) != path_prefix)
    return {};
  for (char c : page)
    if (static_cast<unsigned char>(c) <= 0x20 || c == '#' || c == 0x7f)
      return {};
  return std::string{page};
}

result<outbound_request> page_request(std::string_view page, std::string_view api_key) {
  if (page.empty() || page.front() != '/')
    return error{errc::malformed, "polygon: a next page is not a path"};
  auto q = page.find('?');
  outbound_request out;
  out.method = "GET";
  out.path = std::string{page.substr(0, q)};
  if (q != std::string_view::npos) {
    auto query = page.substr(q + 1);
    while (!query.empty()) {
      auto amp = query.find('&');
      auto pair = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
      if (pair.empty())
        continue;
      auto eq = pair.find('=');
      auto key = decode(pair.substr(0, eq));
      auto value = eq == std::string_view::npos ? std::string{} : decode(pair.substr(eq + 1));
      if (key != "apiKey")
        out.query.emplace_back(std::move(key), std::move(value));
    }
  }
  add_api_key(out, api_key);
  return out;
}

} // namespace tickflow::polygon
