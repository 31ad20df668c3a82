#include "pipeline/model/json_string.hpp"

#include <array>
#include <cstdint>

namespace tickflow {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";
constexpr std::string_view replacement = "\xEF\xBF\xBD"; // U+FFFD

/// What a byte needs: 0 nothing, 'u' a \u00xx escape, '8' a UTF-8 check
/// (0x80 and above), otherwise the letter after the backslash.
constexpr std::array<char, 256> make_escapes() {
  std::array<char, 256> t{};
  for (int c = 0; c < 0x20; ++c)
    t[static_cast<size_t>(c)] = 'u';
  for (int c = 0x80; c < 0x100; ++c)
    t[static_cast<size_t>(c)] = '8';
  t['"'] = '"';
  t['\\'] = '\\';
  t['\b'] = 'b';
  t['\f'] = 'f';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  return t;
}

constexpr auto escapes = make_escapes();

/// Length of the valid UTF-8 sequence of 2 to 4 bytes at `s[i]` (a byte
/// of 0x80 or above), or 0 when there is none.
size_t utf8_length(std::string_view s, size_t i) noexcept {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(s[i + k]); };
  auto in = [&](size_t k, uint8_t lo, uint8_t hi) {
    return i + k < s.size() && byte(k) >= lo && byte(k) <= hi;
  };
  auto cont = [&](size_t k) { return in(k, 0x80, 0xBF); };
  uint8_t lead = byte(0);
  if (lead >= 0xC2 && lead <= 0xDF)
    return cont(1) ? 2 : 0;
  if (lead == 0xE0) // no overlong forms
    return in(1, 0xA0, 0xBF) && cont(2) ? 3 : 0;
  if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF)
    return cont(1) && cont(2) ? 3 : 0;
  if (lead == 0xED) // no surrogates
    return in(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (lead == 0xF0)
    return in(1, 0x90, 0xBF) && cont(2) && cont(3) ? 4 : 0;
  if (lead >= 0xF1 && lead <= 0xF3)
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (lead == 0xF4) // nothing above U+10FFFF
    return in(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

} // namespace

void append_json_escaped(std::string& out, std::string_view s) {
  // Hot path (every event's strings): runs of plain bytes are copied at once.
  size_t run = 0;
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    char what = escapes[c];
    if (what == 0) {
      ++i;
      continue;
    }
    if (what == '8') {
      if (auto n = utf8_length(s, i); n > 0) {
        i += n;
        continue;
      }
      out.append(s.data() + run, i - run);
      out.append(replacement);
      run = ++i;
      continue;
    }
    out.append(s.data() + run, i - run);
    out += '\\';
    out += what;
    if (what == 'u') {
      out += "00";
      out += hex_digits[c >> 4];
      out += hex_digits[c & 0x0f];
    }
    run = ++i;
  }
  out.append(s.data() + run, s.size() - run);
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  append_json_escaped(out, s);
  out += '"';
}

} // namespace tickflow
