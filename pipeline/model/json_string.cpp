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

/// Length of the valid UTF-8 sequence of 2 to 4 bytes at `p` (a byte of
/// 0x80 or above, before `end`), or 0 when there is none.
size_t utf8_length(const unsigned char* p, const unsigned char* end) noexcept {
  auto in = [&](size_t k, unsigned char lo, unsigned char hi) {
    return p + k < end && p[k] >= lo && p[k] <= hi;
  };
  auto cont = [&](size_t k) { return in(k, 0x80, 0xBF); };
  unsigned char lead = p[0];
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

void append_bytes(std::string& out, const unsigned char* from,
                  const unsigned char* to) {
  out.append(reinterpret_cast<const char*>(from),
             static_cast<size_t>(to - from));
}

} // namespace

void append_json_escaped(std::string& out, std::string_view s) {
  // Hot path (every event's strings): runs of plain bytes are copied at once.
  auto* p = reinterpret_cast<const unsigned char*>(s.data());
  auto* end = p + s.size();
  auto* run = p; // the first byte not copied yet
  while (p != end) {
    char what = escapes[*p];
    if (what == 0) {
      ++p;
      continue;
    }
    if (what == '8') {
      if (auto n = utf8_length(p, end); n > 0) {
        p += n;
        continue;
      }
      append_bytes(out, run, p);
      out.append(replacement);
      run = ++p;
      continue;
    }
    append_bytes(out, run, p);
    const char esc[] = {'\\', what, '0', '0', hex_digits[*p >> 4],
                        hex_digits[*p & 0x0f]};
    out.append(esc, what == 'u' ? 6 : 2); // \u00xx or \n
    run = ++p;
  }
  append_bytes(out, run, end);
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  append_json_escaped(out, s);
  out += '"';
}

} // namespace tickflow
