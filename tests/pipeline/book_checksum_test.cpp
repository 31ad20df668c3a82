#include "pipeline/book/book_checksum.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tickflow::book {
namespace {

decimal d(const char* text) { return *decimal::parse(text); }

TEST(BookChecksum, Crc32KnownVectors) {
  EXPECT_EQ(crc32(""), 0u);
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u); // the standard check value
  EXPECT_EQ(crc32("The quick brown fox jumps over the lazy dog"),
            0x414FA339u);
}

struct digits_case {
  const char* value;
  uint8_t scale;
  bool ok;
  const char* digits;
};

TEST(BookChecksum, DigitsRestoreTheWireScale) {
  const digits_case cases[] = {
    // decimal::parse normalizes "27918.60000" to 27918.6: the scale puts
    // the dropped zeros back.
    {"27918.60000", 5, true, "2791860000"},
    {"0.10013466", 8, true, "10013466"},
    {"0.00200000", 8, true, "200000"},
    {"2.68594216", 8, true, "268594216"},
    {"100", 0, true, "100"},
    {"100", 2, true, "10000"},
    {"0", 8, true, ""},
    {"0.123", 2, false, ""}, // more digits than the format allows
    {"-1", 2, false, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.value);
    std::string out;
    EXPECT_EQ(append_checksum_digits(out, d(c.value), c.scale), c.ok);
    EXPECT_EQ(out, c.digits);
  }
  // The normalization this guards against.
  EXPECT_EQ(d("27918.60000").to_string(), "27918.6");
}

TEST(BookChecksum, AsksAscendingThenBidsDescending) {
  l2_book b;
  b.apply_snapshot({{d("9.5"), d("1")}, {d("9.75"), d("0.5")}},
                   {{d("10.25"), d("2")}, {d("10"), d("0.25")}}, 1, 0);
  checksum_format f{2, 2, 10};
  std::string text;
  ASSERT_TRUE(checksum_text(b, f, text));
  EXPECT_EQ(text, "100025" "1025200" "97550" "950100");
  EXPECT_FALSE(verify_checksum(b, f, crc32(text)).resync_needed());
  EXPECT_EQ(verify_checksum(b, f, crc32(text) ^ 1).resync,
            resync_reason::checksum_mismatch);
  // Only the best `levels` of each side count.
  f.levels = 1;
  ASSERT_TRUE(checksum_text(b, f, text));
  EXPECT_EQ(text, "100025" "97550");
  // A level finer than the format cannot match.
  f.price_scale = 1;
  EXPECT_FALSE(checksum_text(b, f, text));
  EXPECT_EQ(verify_checksum(b, f, 0).resync,
            resync_reason::checksum_mismatch);
}

} // namespace
} // namespace tickflow::book
