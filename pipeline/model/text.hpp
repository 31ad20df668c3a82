#pragma once

// The one trim: trim_if, and the two character sets the project trims.

#include <string_view>

namespace tickflow {

/// True for the blanks of config files and HTTP header values: space, tab.
constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

/// True for ASCII white space: space, \t, \n, \v, \f, \r (std::isspace in
/// the C locale, without its locale lookup).
constexpr bool is_ascii_space(char c) noexcept {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

/// `s` without the leading and trailing characters `drop(c)` holds for.
template <class Predicate>
constexpr std::string_view trim_if(std::string_view s, Predicate drop) noexcept {
  while (!s.empty() && drop(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && drop(s.back()))
    s.remove_suffix(1);
  return s;
}

/// `s` without leading and trailing blanks (space, tab): config values,
/// HTTP header values, provider fields padded with spaces.
constexpr std::string_view trim_blanks(std::string_view s) noexcept {
  return trim_if(s, is_blank);
}

/// `s` without leading and trailing ASCII white space: query parameters and
/// free text (URLs, names) where a stray line break means nothing.
constexpr std::string_view trim_space(std::string_view s) noexcept {
  return trim_if(s, is_ascii_space);
}

} // namespace tickflow
