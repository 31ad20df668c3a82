#include "pipeline/model/time.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace tickflow {
namespace {

constexpr int64_t s = ns_per_s;

// -- format_iso8601 -----------------------------------------------------------

struct format_case {
  int64_t ts_ns;
  const char* text;
};

TEST(FormatIso8601, KnownTimestamps) {
  constexpr auto min = std::numeric_limits<int64_t>::min();
  constexpr auto max = std::numeric_limits<int64_t>::max();
  const std::vector<format_case> cases = {
    {0, "1970-01-01T00:00:00Z"},
    {1'700'000'000'123'000'000, "2023-11-14T22:13:20.123Z"},
    {1'700'000'000'000'000'000, "2023-11-14T22:13:20Z"},
    {1'700'000'000'100'000'000, "2023-11-14T22:13:20.100Z"},
    {1'700'000'000'123'456'000, "2023-11-14T22:13:20.123456Z"},
    {1'700'000'000'000'001'000, "2023-11-14T22:13:20.000001Z"},
    {1'700'000'000'123'456'789, "2023-11-14T22:13:20.123456789Z"},
    {1'700'000'000'000'000'001, "2023-11-14T22:13:20.000000001Z"},
    {1'700'000'000'120'000'000, "2023-11-14T22:13:20.120Z"},
    {1'704'067'200 * s, "2024-01-01T00:00:00Z"},
    {1'704'067'199 * s, "2023-12-31T23:59:59Z"},
    {1'709'164'800 * s, "2024-02-29T00:00:00Z"},
    {1'709'251'199 * s, "2024-02-29T23:59:59Z"},
    {1'709'251'200 * s, "2024-03-01T00:00:00Z"},
    {951'782'400 * s, "2000-02-29T00:00:00Z"},
    {4'107'456'000 * s, "2100-02-28T00:00:00Z"},
    {4'107'542'400 * s, "2100-03-01T00:00:00Z"},
    {-1, "1969-12-31T23:59:59.999999999Z"},
    {-s, "1969-12-31T23:59:59Z"},
    {-1'000'000, "1969-12-31T23:59:59.999Z"},
    {-259'200 * s, "1969-12-29T00:00:00Z"},
    {max, "2262-04-11T23:47:16.854775807Z"},
    {min, "1677-09-21T00:12:43.145224192Z"},
  };
  for (const auto& c : cases)
    EXPECT_EQ(format_iso8601(c.ts_ns), c.text) << c.ts_ns;
}

// -- parse_timestamp ----------------------------------------------------------

struct parse_case {
  const char* text;
  int64_t ts_ns;
};

TEST(ParseTimestamp, IsoDatesAndTimes) {
  const std::vector<parse_case> cases = {
    {"1970-01-01", 0},
    {"1970-01-01T00:00:00Z", 0},
    {"1970-01-01T00:00:00+00:00", 0},
    {"2023-11-14T22:13:20.123Z", 1'700'000'000'123'000'000},
    {"2023-11-14T22:13:20.123+00:00", 1'700'000'000'123'000'000},
    {"2023-11-14T22:13:20.1Z", 1'700'000'000'100'000'000},
    {"2023-11-14T22:13:20.12Z", 1'700'000'000'120'000'000},
    {"2023-11-14T22:13:20.123456Z", 1'700'000'000'123'456'000},
    {"2023-11-14T22:13:20.123456789Z", 1'700'000'000'123'456'789},
    {"2023-11-14T22:13:20.000000001Z", 1'700'000'000'000'000'001},
    {"2023-11-14T22:13:20.000Z", 1'700'000'000'000'000'000},
    {"2023-11-14", 1'699'920'000 * s},
    {"2024-01-01", 1'704'067'200 * s},
    {"2024-02-29", 1'709'164'800 * s},
    {"2024-02-29T23:59:59Z", 1'709'251'199 * s},
    {"2000-02-29", 951'782'400 * s},
    {"2100-02-28", 4'107'456'000 * s},
    {"2100-03-01", 4'107'542'400 * s},
    {"1969-12-31T23:59:59Z", -s},
    {"1969-12-29", -259'200 * s},
    {"2262-04-11T23:47:16.854775807Z", std::numeric_limits<int64_t>::max()},
    {"1677-09-21T00:12:43.145224192Z", std::numeric_limits<int64_t>::min()},
  };
  for (const auto& c : cases) {
    auto r = parse_timestamp(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.err().message();
    EXPECT_EQ(*r, c.ts_ns) << c.text;
  }
}

TEST(ParseTimestamp, IntegersByMagnitude) {
  const std::vector<parse_case> cases = {
    {"0", 0},
    {"1", s},
    {"1700000000", 1'700'000'000 * s},
    {"9223372036", 9'223'372'036 * s},           // largest whole second
    {"100000000000", 100'000'000'000 * ns_per_ms},  // 1e11: ms
    {"1700000000123", 1'700'000'000'123'000'000},
    {"9223372036854", 9'223'372'036'854'000'000},
    {"100000000000000", 100'000'000'000'000 * ns_per_us}, // 1e14: us
    {"1700000000123456", 1'700'000'000'123'456'000},
    {"100000000000000000", 100'000'000'000'000'000},       // 1e17: ns
    {"1700000000123456789", 1'700'000'000'123'456'789},
    {"9223372036854775807", std::numeric_limits<int64_t>::max()},
    {"0001700000000", 1'700'000'000 * s},
    {"00000000000000000000001700000000", 1'700'000'000 * s},
  };
  for (const auto& c : cases) {
    auto r = parse_timestamp(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.err().message();
    EXPECT_EQ(*r, c.ts_ns) << c.text;
  }
}

struct error_case {
  const char* text;
  const char* context;
};

TEST(ParseTimestamp, RejectsEverythingElse) {
  const std::vector<error_case> cases = {
    {"", "empty timestamp: \"\""},
    // Integers that do not fit int64 ns in their unit, or signed.
    {"9223372037", "integer timestamp out of range: \"9223372037\""},
    {"99999999999", "integer timestamp out of range: \"99999999999\""},
    {"9223372036855", "integer timestamp out of range: \"9223372036855\""},
    {"99999999999999999",
     "integer timestamp out of range: \"99999999999999999\""},
    {"9223372036854775808",
     "integer timestamp out of range: \"9223372036854775808\""},
    {"99999999999999999999",
     "integer timestamp out of range: \"99999999999999999999\""},
    {"-1", "expected YYYY-MM-DD[THH:MM:SS[.f]Z] or an integer: \"-1\""},
    {"+1700000000",
     "expected YYYY-MM-DD[THH:MM:SS[.f]Z] or an integer: \"+1700000000\""},
    {"1700000000.5",
     "expected YYYY-MM-DD[THH:MM:SS[.f]Z] or an integer: \"1700000000.5\""},
    {"1e9", "expected YYYY-MM-DD[THH:MM:SS[.f]Z] or an integer: \"1e9\""},
    {" 1700000000",
     "expected YYYY-MM-DD[THH:MM:SS[.f]Z] or an integer: \" 1700000000\""},
    // Dates.
    {"2024-1-01", "expected YYYY-MM-DD[THH:MM:SS[.f]Z] or an integer: "
                  "\"2024-1-01\""},
    {"2024/01/01", "expected YYYY-MM-DD[THH:MM:SS[.f]Z] or an integer: "
                   "\"2024/01/01\""},
    {"24-01-01", "expected YYYY-MM-DD[THH:MM:SS[.f]Z] or an integer: "
                 "\"24-01-01\""},
    {"2024-0a-01", "expected YYYY-MM-DD[THH:MM:SS[.f]Z] or an integer: "
                   "\"2024-0a-01\""},
    {"2024-00-01", "month out of range (01-12): \"2024-00-01\""},
    {"2024-13-01", "month out of range (01-12): \"2024-13-01\""},
    {"2024-01-00", "day out of range for the month: \"2024-01-00\""},
    {"2024-01-32", "day out of range for the month: \"2024-01-32\""},
    {"2023-02-29", "day out of range for the month: \"2023-02-29\""},
    {"2100-02-29", "day out of range for the month: \"2100-02-29\""},
    {"2024-02-30", "day out of range for the month: \"2024-02-30\""},
    {"2024-04-31", "day out of range for the month: \"2024-04-31\""},
    {"2024-06-31", "day out of range for the month: \"2024-06-31\""},
    {"2024-09-31", "day out of range for the month: \"2024-09-31\""},
    {"2024-11-31", "day out of range for the month: \"2024-11-31\""},
    // Times.
    {"2024-01-01 00:00:00Z", "expected 'T' after the date: "
                             "\"2024-01-01 00:00:00Z\""},
    {"2024-01-01t00:00:00Z", "expected 'T' after the date: "
                             "\"2024-01-01t00:00:00Z\""},
    {"2024-01-01T", "expected HH:MM:SS after 'T': \"2024-01-01T\""},
    {"2024-01-01T00:00Z", "expected HH:MM:SS after 'T': \"2024-01-01T00:00Z\""},
    {"2024-01-01T0:00:00Z", "expected HH:MM:SS after 'T': "
                            "\"2024-01-01T0:00:00Z\""},
    {"2024-01-01T24:00:00Z", "hour out of range (00-23): "
                             "\"2024-01-01T24:00:00Z\""},
    {"2024-01-01T23:60:00Z", "minute out of range (00-59): "
                             "\"2024-01-01T23:60:00Z\""},
    {"2024-01-01T23:59:60Z", "second out of range (00-59): "
                             "\"2024-01-01T23:59:60Z\""},
    {"2024-01-01T00:00:00", "missing UTC designator (Z or +00:00): "
                            "\"2024-01-01T00:00:00\""},
    {"2024-01-01T00:00:00.Z", "missing fraction digits after '.': "
                              "\"2024-01-01T00:00:00.Z\""},
    {"2024-01-01T00:00:00.1234567891Z",
     "too many fraction digits (max 9): "
     "\"2024-01-01T00:00:00.1234567891Z\""},
    {"2024-01-01T00:00:00+01:00",
     "only UTC offsets are supported (Z or +00:00): "
     "\"2024-01-01T00:00:00+01:00\""},
    {"2024-01-01T00:00:00-00:00",
     "only UTC offsets are supported (Z or +00:00): "
     "\"2024-01-01T00:00:00-00:00\""},
    {"2024-01-01T00:00:00z", "unexpected text after the time: "
                             "\"2024-01-01T00:00:00z\""},
    {"2024-01-01T00:00:00ZZ", "unexpected text after the time: "
                              "\"2024-01-01T00:00:00ZZ\""},
    {"2024-01-01T00:00:00Z ", "unexpected text after the time: "
                              "\"2024-01-01T00:00:00Z \""},
    {"2024-01-01T00:00:00+0000", "unexpected text after the time: "
                                 "\"2024-01-01T00:00:00+0000\""},
    // Outside the int64 ns range.
    {"2262-04-11T23:47:16.854775808Z",
     "timestamp outside the int64 ns range (1677-2262): "
     "\"2262-04-11T23:47:16.854775808Z\""},
    {"1677-09-21T00:12:43.145224191Z",
     "timestamp outside the int64 ns range (1677-2262): "
     "\"1677-09-21T00:12:43.145224191Z\""},
    {"9999-12-31", "timestamp outside the int64 ns range (1677-2262): "
                   "\"9999-12-31\""},
    {"0000-01-01", "timestamp outside the int64 ns range (1677-2262): "
                   "\"0000-01-01\""},
  };
  for (const auto& c : cases) {
    auto r = parse_timestamp(c.text);
    ASSERT_FALSE(r.ok()) << c.text << " = " << *r;
    EXPECT_EQ(r.err().code, errc::invalid_argument) << c.text;
    EXPECT_EQ(r.err().context, c.context) << c.text;
  }
}

TEST(ParseTimestamp, ErrorContextIsBounded) {
  std::string text(100, '2');
  text.push_back('x');
  auto r = parse_timestamp(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().context,
            "expected YYYY-MM-DD[THH:MM:SS[.f]Z] or an integer: \""
              + std::string(64, '2') + "...\"");
}

TEST(ParseTimestamp, RoundTripsFormattedText) {
  const std::vector<int64_t> stamps = {
    0,
    1,
    -1,
    999,
    1'000,
    1'000'000,
    1'700'000'000'123'000'000,
    1'700'000'000'123'456'000,
    1'700'000'000'123'456'789,
    1'709'164'800 * s,
    -1'700'000'000'987'654'321,
    std::numeric_limits<int64_t>::max(),
    std::numeric_limits<int64_t>::min(),
  };
  for (auto ts : stamps) {
    auto text = format_iso8601(ts);
    auto r = parse_timestamp(text);
    ASSERT_TRUE(r.ok()) << text << ": " << r.err().message();
    EXPECT_EQ(*r, ts) << text;
  }
}

TEST(ParseTimestamp, EveryDayOfALeapYearRoundTrips) {
  // 2024 has 366 days; stepping by a day from Jan 1st must reach 2025-01-01.
  auto start = parse_timestamp("2024-01-01");
  ASSERT_TRUE(start.ok());
  int64_t day = 86'400 * s;
  for (int i = 0; i < 367; ++i) {
    auto ts = *start + i * day;
    auto text = format_iso8601(ts);
    auto date = text.substr(0, 10);
    auto r = parse_timestamp(date);
    ASSERT_TRUE(r.ok()) << date;
    EXPECT_EQ(*r, ts) << date;
  }
  EXPECT_EQ(format_iso8601(*start + 59 * day), "2024-02-29T00:00:00Z");
  EXPECT_EQ(format_iso8601(*start + 366 * day), "2025-01-01T00:00:00Z");
}

} // namespace
} // namespace tickflow
