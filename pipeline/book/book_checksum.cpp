#include "pipeline/book/book_checksum.hpp"

#include <array>
#include <charconv>

namespace tickflow::book {

namespace {

constexpr std::array<uint32_t, 256> make_crc_table() noexcept {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k)
      c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}

constexpr auto crc_table = make_crc_table();

bool append_side(std::string& out, const l2_book& book, side s,
                 const checksum_format& f) {
  size_t n = book.depth(s) < f.levels ? book.depth(s) : f.levels;
  for (size_t i = 0; i < n; ++i) {
    const auto& l = book.at(s, i);
    if (!append_checksum_digits(out, l.price, f.price_scale)
        || !append_checksum_digits(out, l.size, f.size_scale))
      return false;
  }
  return true;
}

} // namespace

uint32_t crc32(std::string_view bytes) noexcept {
  uint32_t c = 0xFFFFFFFFu;
  for (char ch : bytes)
    c = crc_table[(c ^ static_cast<unsigned char>(ch)) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

bool append_checksum_digits(std::string& out, decimal value, uint8_t scale) {
  if (value.is_negative() || value.scale > scale)
    return false;
  if (value.is_zero())
    return true; // all digits are zeros: nothing left after stripping
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, value.mantissa);
  out.append(buf, r.ptr);
  // The normalized mantissa lost the trailing zeros the venue writes.
  out.append(static_cast<size_t>(scale - value.scale), '0');
  return true;
}

bool checksum_text(const l2_book& book, const checksum_format& format,
                   std::string& out) {
  out.clear();
  return append_side(out, book, side::ask, format)
         && append_side(out, book, side::bid, format);
}

sync_outcome verify_checksum(const l2_book& book,
                             const checksum_format& format,
                             uint32_t expected) {
  sync_outcome out;
  std::string text;
  text.reserve(format.levels * 2 * 32);
  if (!checksum_text(book, format, text) || crc32(text) != expected)
    out.resync = resync_reason::checksum_mismatch;
  return out;
}

} // namespace tickflow::book
