#include "api/api_keys.hpp"

#include <charconv>

#include "pipeline/model/decimal.hpp"

namespace tickflow::api {

namespace {

bool valid_name(std::string_view s) noexcept {
  if (s.empty() || s.size() > 64)
    return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-' || c == '.'))
      return false;
  return true;
}

/// The blank-separated fields of a line.
std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
      ++i;
    auto start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t')
      ++i;
    if (i > start)
      out.push_back(line.substr(start, i - start));
  }
  return out;
}

} // namespace

result<api_key_set> api_key_set::parse(std::string_view text,
                                       std::string_view source) {
  api_key_set out;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos)
      end = text.size();
    auto line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    auto fail = [&](const std::string& problem) {
      return error{errc::config_invalid, std::string{source} + ":"
                                           + std::to_string(line_no) + ": "
                                           + problem};
    };
    auto xs = fields_of(line);
    if (xs.empty() || xs[0][0] == '#')
      continue;
    if (xs.size() < 2 || xs.size() > 4)
      return fail("expected <name> <sha256-hex> [<requests-per-second> [<burst>]]");
    api_key_entry e;
    if (!valid_name(xs[0]))
      return fail("key name must be 1 to 64 of A-Z a-z 0-9 _ - .");
    e.name = std::string{xs[0]};
    auto digest = digest_from_hex(xs[1]);
    if (!digest)
      return fail("key " + e.name + ": the hash must be 64 hex digits (SHA-256)");
    e.digest = *digest;
    if (xs.size() >= 3) {
      auto rate = decimal::parse(xs[2]);
      if (!rate || rate->to_double() < 0 || rate->to_double() > 1e6)
        return fail("key " + e.name + ": requests-per-second must be a number in 0..1000000");
      e.requests_per_second = rate->to_double();
    }
    if (xs.size() == 4) {
      uint32_t burst = 0;
      auto s = xs[3];
      auto r = std::from_chars(s.data(), s.data() + s.size(), burst);
      if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || burst < 1
          || burst > 1'000'000)
        return fail("key " + e.name + ": burst must be an integer in 1..1000000");
      e.burst = burst;
    }
    for (auto& other : out.entries_) {
      if (other.name == e.name)
        return fail("duplicate key name " + e.name);
      if (other.digest == e.digest)
        return fail("key " + e.name + " has the same hash as " + other.name);
    }
    out.entries_.push_back(std::move(e));
    if (end == text.size())
      break;
  }
  return out;
}

const api_key_entry* api_key_set::find(std::string_view key) const noexcept {
  auto d = sha256(key);
  const api_key_entry* hit = nullptr;
  // Every entry is compared, so the time does not depend on which matched.
  for (auto& e : entries_)
    if (constant_time_equal(e.digest, d) && hit == nullptr)
      hit = &e;
  return hit;
}

} // namespace tickflow::api
