#include "pipeline/cache/glob_match.hpp"

#include <utility>

namespace tickflow::cache {

namespace {

using uchar = unsigned char;

// Matches the one pattern element at `p` (anything but '*') against `c`;
// `next` is set to the position after the element.
bool match_one(std::string_view pat, size_t p, uchar c, size_t& next) noexcept {
  char x = pat[p];
  if (x == '?') {
    next = p + 1;
    return true;
  }
  if (x == '\\' && p + 1 < pat.size()) {
    next = p + 2;
    return static_cast<uchar>(pat[p + 1]) == c;
  }
  if (x != '[') {
    next = p + 1;
    return static_cast<uchar>(x) == c;
  }
  size_t i = p + 1;
  bool negate = false;
  if (i < pat.size() && (pat[i] == '^' || pat[i] == '!')) {
    negate = true;
    ++i;
  }
  bool hit = false;
  while (i < pat.size() && pat[i] != ']') {
    if (pat[i] == '\\' && i + 1 < pat.size()) {
      hit = hit || static_cast<uchar>(pat[i + 1]) == c;
      i += 2;
    } else if (i + 2 < pat.size() && pat[i + 1] == '-' && pat[i + 2] != ']') {
      auto lo = static_cast<uchar>(pat[i]);
      auto hi = static_cast<uchar>(pat[i + 2]);
      if (lo > hi)
        std::swap(lo, hi);
      hit = hit || (c >= lo && c <= hi);
      i += 3;
    } else {
      hit = hit || static_cast<uchar>(pat[i]) == c;
      ++i;
    }
  }
  next = i < pat.size() ? i + 1 : i;
  return hit != negate;
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view text) noexcept {
  constexpr size_t none = static_cast<size_t>(-1);
  size_t p = 0, t = 0;
  size_t star = none, star_t = 0; // the last '*' and where it started eating
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_t = t;
      continue;
    }
    size_t next = p;
    if (p < pattern.size()
        && match_one(pattern, p, static_cast<uchar>(text[t]), next)) {
      p = next;
      ++t;
      continue;
    }
    if (star == none)
      return false;
    // Let the last '*' eat one more character and try again from there.
    p = star + 1;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

bool valid_glob(std::string_view pattern) noexcept {
  if (pattern.empty() || pattern.size() > 256)
    return false;
  for (char c : pattern)
    if (static_cast<uchar>(c) <= 0x20 || static_cast<uchar>(c) >= 0x7f)
      return false;
  return true;
}

} // namespace tickflow::cache
