#include "api/url.hpp"

namespace tickflow::api {

namespace {

/// Value of one hex digit, or -1.
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

} // namespace

result<void> percent_decode_into(std::string_view text, bool plus_is_space,
                                 std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (text.size() - i < 3)
        return error{errc::malformed, "truncated percent escape"};
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0)
        return error{errc::malformed, "bad percent escape"};
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0')
      return error{errc::malformed, "NUL byte"};
    out.push_back(c);
  }
  return {};
}

result<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  if (auto r = percent_decode_into(text, plus_is_space, out); !r)
    return r.err();
  return out;
}

result<void> parse_target_into(std::string_view target, std::string& path,
    std::vector<std::pair<std::string, std::string>>& query) {
  query.clear();
  if (target.empty() || target.front() != '/')
    return error{errc::malformed, "request target must start with '/'"};
  if (target.find('#') != std::string_view::npos)
    return error{errc::malformed, "fragment in request target"};
  auto qpos = target.find('?');
  if (auto r = percent_decode_into(target.substr(0, qpos), false, path); !r)
    return error{errc::malformed, "path: " + r.err().context};
  if (qpos == std::string_view::npos)
    return {};
  auto rest = target.substr(qpos + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    auto pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{}
                                         : rest.substr(amp + 1);
    if (pair.empty())
      continue;
    auto eq = pair.find('=');
    auto& kv = query.emplace_back();
    if (auto r = percent_decode_into(pair.substr(0, eq), true, kv.first); !r)
      return error{errc::malformed, "query: " + r.err().context};
    if (eq == std::string_view::npos)
      continue;
    if (auto r = percent_decode_into(pair.substr(eq + 1), true, kv.second);
        !r)
      return error{errc::malformed, "query: " + r.err().context};
  }
  return {};
}

result<parsed_target> parse_target(std::string_view target) {
  parsed_target out;
  if (auto r = parse_target_into(target, out.path, out.query); !r)
    return r.err();
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                      || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
                      || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

} // namespace tickflow::api
