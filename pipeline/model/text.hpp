#pragma once

#include <string_view>

namespace tickflow {

/// True for the blanks of config files and HTTP header values: space, tab.
constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

/// `s` without leading and trailing blanks (space, tab).
constexpr std::string_view trim_blanks(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back()))
    s.remove_suffix(1);
  return s;
}

} // namespace tickflow
