// Inputs the fuzz targets (fuzz/, docs/FUZZING.md) found crashing the REST
// parsers, kept as tests: each saved input in fuzz/regressions/rest_<p>/
// replays exactly as the fuzzer ran it (fuzz/rest_input.hpp), and each bug
// has a named test with its input written out.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <variant>
#include <vector>

#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/registry.hpp"
#include "adapters/yahoo/yahoo_provider.hpp"
#include "fuzz/rest_input.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"

namespace tickflow {
namespace {

namespace fs = std::filesystem;

using test::bars_of;
using test::expect_error;
using test::price_of;
using test::reply_of;

const fs::path regressions_dir = fs::path{TICKFLOW_SOURCE_DIR} / "fuzz" / "regressions";

std::string read_file(const fs::path& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

/// Replays one saved rest_<p> input through the provider's adapter.
fetch_outcome replay(provider p, const fs::path& file) {
  auto bytes = read_file(file);
  EXPECT_GE(bytes.size(), 2u) << file;
  bytes.resize(std::max<size_t>(bytes.size(), 2));
  auto adapter = make_rest_adapter(p, {});
  auto c = fuzz::decode_rest_input(
    p, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return fuzz::run_rest_case(*adapter, p, c);
}

// Under ASan/UBSan (./test.sh --sanitize) a regression is a crash here.
TEST(FuzzRegressions, ReplaysEverySavedRestInput) {
  size_t replayed = 0;
  for (auto p : rest_providers()) {
    auto dir = regressions_dir / ("rest_" + std::string{to_string(p)});
    if (!fs::is_directory(dir))
      continue;
    for (const auto& entry : fs::directory_iterator{dir}) {
      auto out = replay(p, entry.path());
      EXPECT_FALSE(out.valueless_by_exception());
      ++replayed;
    }
  }
  EXPECT_GE(replayed, 1u) << "no inputs under " << regressions_dir;
}

// -- CoinGecko: Unix times multiplied into ns overflowed int64 ----------------

TEST(FuzzRegressions, CoingeckoSavedInputIsOutOfRange) {
  auto e = expect_error(replay(providers::coingecko,
                               regressions_dir / "rest_coingecko"
                                 / "simple_price_last_updated_at_overflow"));
  EXPECT_EQ(e.code, errc::out_of_range) << e.message;
}

TEST(FuzzRegressions, CoingeckoSimplePriceTimeBeyond2262IsOutOfRange) {
  auto adapter = make_rest_adapter(providers::coingecko, {});
  auto e = expect_error(adapter->parse(
    price_of("BTC-USD"),
    reply_of(200, R"({"bitcoin":{"usd":67187.3,"last_updated_at":17146771356300}})"),
    fuzz::rest_recv_ns));
  EXPECT_EQ(e.code, errc::out_of_range);
  EXPECT_NE(e.message.find("last_updated_at"), std::string::npos) << e.message;
}

TEST(FuzzRegressions, CoingeckoSimplePriceNegativeTimeIsOutOfRange) {
  auto adapter = make_rest_adapter(providers::coingecko, {});
  auto e = expect_error(adapter->parse(
    price_of("BTC-USD"),
    reply_of(200, R"({"bitcoin":{"usd":1,"last_updated_at":-9223372036854775807}})"),
    fuzz::rest_recv_ns));
  EXPECT_EQ(e.code, errc::out_of_range);
}

TEST(FuzzRegressions, CoingeckoMarketChartTimeBeyond2262IsOutOfRange) {
  auto adapter = make_rest_adapter(providers::coingecko, {});
  auto req = price_of("BTC-USD");
  req.start_ns = fuzz::rest_recv_ns - 86'400 * ns_per_s;
  req.end_ns = fuzz::rest_recv_ns;
  auto e = expect_error(adapter->parse(
    req,
    reply_of(200, R"({"prices":[[9300000000000000,1]],"market_caps":[],)"
                  R"("total_volumes":[[9300000000000000,1]]})"),
    fuzz::rest_recv_ns));
  EXPECT_EQ(e.code, errc::out_of_range) << e.message;
}

TEST(FuzzRegressions, CoingeckoOhlcTimeBeyond2262IsOutOfRange) {
  auto adapter = make_rest_adapter(providers::coingecko, {});
  auto e = expect_error(adapter->parse(
    bars_of("BTC-USD", interval::h4),
    reply_of(200, "[[9300000000000000,1,2,0.5,1.5]]"), fuzz::rest_recv_ns));
  EXPECT_EQ(e.code, errc::out_of_range) << e.message;
}

// -- Binance: a recursive JSON parse of deeply nested garbage --------------------

// 128 Ki '[' overflowed the stack under ASan, 1 Mi (a body within the
// reply limit) without it; the parse is iterative now.
TEST(FuzzRegressions, BinanceSavedDeepNestingIsMalformed) {
  auto e = expect_error(replay(providers::binance, regressions_dir / "rest_binance"
                                                    / "deep_nesting_stack_overflow"));
  EXPECT_EQ(e.code, errc::malformed) << e.message;
}

TEST(FuzzRegressions, BinanceMillionDeepArrayIsMalformed) {
  auto adapter = make_rest_adapter(providers::binance, {});
  std::string body;
  for (int i = 0; i < (1 << 19); ++i)
    body += R"({"a":[)";
  for (const auto& deep : {std::string(1 << 20, '['), body}) {
    auto e = expect_error(adapter->parse(price_of("BTC-USDT"), reply_of(200, deep),
                                         fuzz::rest_recv_ns));
    EXPECT_EQ(e.code, errc::malformed) << e.message;
  }
}

// -- Yahoo: the same overflow in chart timestamps and meta --------------------

std::string yahoo_chart(std::string_view timestamp, std::string_view gmtoffset,
                        std::string_view market_time) {
  return R"({"chart":{"result":[{"meta":{"symbol":"AAPL","gmtoffset":)"
         + std::string{gmtoffset} + R"(,"regularMarketPrice":1.5,"regularMarketTime":)"
         + std::string{market_time} + R"(},"timestamp":[)" + std::string{timestamp}
         + R"(],"indicators":{"quote":[{"open":[1],"high":[1],"low":[1],)"
           R"("close":[1],"volume":[1]}]}}],"error":null}})";
}

TEST(FuzzRegressions, YahooIntradayTimestampBeyond2262IsOutOfRange) {
  auto adapter = make_rest_adapter(providers::yahoo, {});
  auto e = expect_error(adapter->parse(
    bars_of("AAPL", interval::m1),
    reply_of(200, yahoo_chart("17146771356300", "0", "1700000000")),
    fuzz::rest_recv_ns));
  EXPECT_EQ(e.code, errc::out_of_range) << e.message;
}

TEST(FuzzRegressions, YahooDailyGmtoffsetOfMoreThanADayIsOutOfRange) {
  auto adapter = make_rest_adapter(providers::yahoo, {});
  auto e = expect_error(adapter->parse(
    bars_of("AAPL", interval::d1),
    reply_of(200, yahoo_chart("1700000000", "9223372036854775807", "1700000000")),
    fuzz::rest_recv_ns));
  EXPECT_EQ(e.code, errc::out_of_range) << e.message;
}

TEST(FuzzRegressions, YahooRegularMarketTimeBeyond2262IsOutOfRange) {
  auto adapter = make_rest_adapter(providers::yahoo, {});
  auto e = expect_error(adapter->parse(
    price_of("AAPL"),
    reply_of(200, yahoo_chart("1700000000", "0", "17146771356300")),
    fuzz::rest_recv_ns));
  EXPECT_EQ(e.code, errc::out_of_range) << e.message;
}

} // namespace
} // namespace tickflow
