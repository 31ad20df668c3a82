#pragma once

// The top-of-book CRC32 checksum some venues send with each book update:
// the best N asks (ascending) then the best N bids (descending), for each
// level its price then its size written with the venue's fixed number of
// fraction digits, the point removed and leading zeros stripped, all
// concatenated; the CRC32 (IEEE 802.3, as zlib) of that text. Pure.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/book/book_sync.hpp"
#include "pipeline/book/l2_book.hpp"
#include "pipeline/model/decimal.hpp"

namespace tickflow::book {

/// How the venue writes the numbers it checksums. The decimals in the book
/// are normalized ("27918.60000" is held as 27918.6), so the fraction
/// digits the venue sends are restored from these scales.
struct checksum_format {
  uint8_t price_scale = 0; ///< fraction digits of every price on the wire
  uint8_t size_scale = 0;  ///< fraction digits of every size on the wire
  size_t levels = 10;      ///< levels per side in the checksum
};

/// CRC32 (IEEE 802.3 polynomial, reflected, as zlib's crc32) of `bytes`.
uint32_t crc32(std::string_view bytes) noexcept;

/// Appends `value` written with exactly `scale` fraction digits, the point
/// removed and leading zeros stripped ("0.10013466" at 8 -> "10013466";
/// 27918.6 at 5 -> "2791860000"). False (nothing appended) when `value`
/// is negative or has more fraction digits than `scale`.
bool append_checksum_digits(std::string& out, decimal value, uint8_t scale);

/// The text the checksum is taken of; false when a level does not fit the
/// format (out is then unspecified).
bool checksum_text(const l2_book& book, const checksum_format& format,
                   std::string& out);

/// The book's checksum: resync checksum_mismatch unless the CRC32 of
/// checksum_text equals `expected` (a level that does not fit the format
/// is a mismatch too).
sync_outcome verify_checksum(const l2_book& book,
                             const checksum_format& format,
                             uint32_t expected);

} // namespace tickflow::book
