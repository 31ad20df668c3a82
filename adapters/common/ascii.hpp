#pragma once

// ASCII case helpers for provider text (symbols, header names, error
// messages). Bytes outside A-Z / a-z are left as they are, so UTF-8 passes
// through unchanged; no locale is consulted.

#include <string>
#include <string_view>

namespace tickflow {

/// `c` with A-Z mapped to a-z.
constexpr char ascii_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// `c` with a-z mapped to A-Z.
constexpr char ascii_upper(char c) noexcept {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

/// `s` with A-Z mapped to a-z ("USDT" -> "usdt").
inline std::string ascii_lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    c = ascii_lower(c);
  return out;
}

/// `s` with a-z mapped to A-Z ("usd" -> "USD").
inline std::string ascii_upper(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    c = ascii_upper(c);
  return out;
}

/// True when `a` and `b` are equal ignoring ASCII case.
constexpr bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i]))
      return false;
  return true;
}

/// True when `haystack` contains `lowercase_needle` ignoring the case of
/// `haystack` ("Invalid API Key" contains "api key"). The needle must be
/// lowercase already: it is compared as given.
constexpr bool ascii_icontains(std::string_view haystack,
                               std::string_view lowercase_needle) noexcept {
  for (size_t i = 0; i + lowercase_needle.size() <= haystack.size(); ++i) {
    size_t j = 0;
    while (j < lowercase_needle.size()
           && ascii_lower(haystack[i + j]) == lowercase_needle[j])
      ++j;
    if (j == lowercase_needle.size())
      return true;
  }
  return false;
}

} // namespace tickflow
