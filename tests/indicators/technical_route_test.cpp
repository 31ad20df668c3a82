// GET /api/v1/technical/{symbol} end to end: the real binary reads daily
// bars of ADA-USDT from Binance's klines endpoint, served on loopback by a
// fixture server with the fixed reference series (the same 60 bars as the
// unit tests, in Binance's wire format), and answers values equal to the
// pure functions / the reference table; warm-up bars are fetched before
// start, short history is reported in missing_bars, and bad requests get the
// one error shape.

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/indicators/batch.hpp"
#include "pipeline/model/time.hpp"
#include "tests/indicators/indicator_service.hpp"
#include "tests/indicators/indicator_support.hpp"
#include "tests/support/fixture_server.hpp"
#include "tests/support/ws_client.hpp"

using namespace tickflow;
using namespace tickflow::test;
namespace ref = tickflow::test::reference;

namespace {

/// "101.50": the series' prices and volumes have at most two decimals.
std::string two_decimals(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

/// The first `count` bars of the reference series as Binance klines: [open
/// ms, "o", "h", "l", "c", "v", close ms, "quote volume", trades, "taker
/// base", "taker quote", "0"].
std::string klines_body(size_t count = ref::bars.size()) {
  std::string out = "[";
  for (size_t i = 0; i < count; ++i) {
    auto& b = ref::bars[i];
    auto open_ms = b.t_ns / 1'000'000;
    auto close_ms = open_ms + 86'400'000 - 1;
    if (i > 0)
      out += ',';
    out += "[" + std::to_string(open_ms) + ",\"" + two_decimals(b.open) + "\",\""
           + two_decimals(b.high) + "\",\"" + two_decimals(b.low) + "\",\""
           + two_decimals(b.close) + "\",\"" + two_decimals(b.volume) + "\","
           + std::to_string(close_ms) + ",\"0\",42,\"0\",\"0\",\"0\"]";
  }
  return out + "]";
}

/// Index of the reference bar that opens at `iso`.
size_t index_of(const std::string& iso) {
  auto t = *parse_timestamp(iso);
  for (size_t i = 0; i < ref::bars.size(); ++i)
    if (ref::bars[i].t_ns == t)
      return i;
  ADD_FAILURE() << iso << " is not a bar of the series";
  return 0;
}

class TechnicalRoute : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fixtures_ = new fixture_server;
    fixtures_->add("GET", "/api/v3/klines", fixture_response::json(klines_body()),
                   {{"symbol", "ADAUSDT"}, {"interval", "1d"}});
    service_ = new indicator_service(
      "[providers]\nenabled = simulator, binance\n[binance]\nbase-url = "
      + fixtures_->base_url() + "\ntimeout = 5s\n");
  }

  static void TearDownTestSuite() {
    delete service_;
    service_ = nullptr;
    delete fixtures_;
    fixtures_ = nullptr;
  }

  void SetUp() override { ASSERT_TRUE(service_->ready()) << service_->output(); }

  /// GET target: status and parsed body.
  std::pair<unsigned, rapidjson::Document> get(const std::string& target) {
    auto r = service_->get(target);
    EXPECT_TRUE(r) << target;
    if (!r)
      return {0, rapidjson::Document{}};
    last_body_ = r->body;
    return {r->status, parse_exact(r->body)};
  }

  /// GET target that must fail with 400 `code` on `field`.
  void expect_error(const std::string& target, unsigned status, const std::string& code,
                    const std::string& field) {
    SCOPED_TRACE(target);
    auto r = service_->get(target);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, status) << r->body;
    auto [c, f] = error_of(r->body);
    EXPECT_EQ(c, code) << r->body;
    EXPECT_EQ(f, field) << r->body;
  }

  static fixture_server* fixtures_;
  static indicator_service* service_;
  std::string last_body_;
};

fixture_server* TechnicalRoute::fixtures_ = nullptr;
indicator_service* TechnicalRoute::service_ = nullptr;

/// Checks a one-valued series of the answer against `expected` (aligned
/// with the reference bars).
void expect_values(const rapidjson::Value& points,
                   const std::vector<std::optional<double>>& expected,
                   size_t first, size_t last, const char* field = "value") {
  ASSERT_TRUE(points.IsArray());
  ASSERT_EQ(points.Size(), last - first + 1);
  for (size_t i = first; i <= last; ++i) {
    auto& p = points[static_cast<rapidjson::SizeType>(i - first)];
    EXPECT_EQ(p["ts"].GetInt64(), ref::bars[i].t_ns) << i;
    EXPECT_EQ(str_of(p, "t"), format_iso8601(ref::bars[i].t_ns));
    ASSERT_TRUE(expected[i]) << i;
    ASSERT_TRUE(p[field].IsNumber()) << i;
    EXPECT_TRUE(close_enough(p[field].GetDouble(), *expected[i]))
      << field << " at " << i << ": " << p[field].GetDouble() << " vs " << *expected[i];
  }
}

} // namespace

TEST_F(TechnicalRoute, ValuesEqualThePureFunctionsWithTheWarmUpFetched) {
  fixtures_->clear_requests();
  auto [status, d] = get("/api/v1/technical/ada-usdt?indicator=rsi14,macd,sma5"
                         "&indicator=bb20,atr14,vwap,vol20,ema10"
                         "&interval=1d&start=2024-02-10&end=2024-02-29");
  ASSERT_EQ(status, 200u) << last_body_;
  EXPECT_EQ(str_of(d, "symbol"), "ADA-USDT");
  EXPECT_EQ(str_of(d, "interval"), "1d");
  EXPECT_EQ(str_of(d, "source"), "binance");
  EXPECT_EQ(str_of(d, "start"), "2024-02-10T00:00:00Z");
  EXPECT_EQ(str_of(d, "end"), "2024-02-29T00:00:00Z");
  EXPECT_EQ(str_of(d, "first_bar"), "2024-01-01T00:00:00Z");
  EXPECT_EQ(d["bars_used"].GetUint(), 60u);
  EXPECT_EQ(d["warmup_bars"].GetUint(), 33u); // macd
  EXPECT_EQ(d["missing_bars"].GetUint(), 0u);
  // The warm-up was asked for: bars from before the first of January (33
  // bars, half again and 2 slots before the 10th of February).
  bool warmup_asked = false;
  for (auto& req : fixtures_->requests())
    if (auto* from = req.param("startTime"))
      warmup_asked |= std::stoll(*from) * 1'000'000 <= ref::bars[0].t_ns;
  EXPECT_TRUE(warmup_asked);

  auto first = index_of("2024-02-10");
  auto last = ref::bars.size() - 1;
  auto& ind = d["indicators"];
  expect_values(ind["rsi14"], ref::rsi14, first, last);
  expect_values(ind["sma5"], ref::sma5, first, last);
  expect_values(ind["ema10"], ref::ema10, first, last);
  expect_values(ind["atr14"], ref::atr14, first, last);
  expect_values(ind["macd"], ref::macd_line, first, last, "macd");
  expect_values(ind["macd"], ref::macd_signal, first, last, "signal");
  expect_values(ind["macd"], ref::macd_hist, first, last, "hist");
  expect_values(ind["bb20"], ref::bb20_middle, first, last, "middle");
  expect_values(ind["bb20"], ref::bb20_upper, first, last, "upper");
  expect_values(ind["bb20"], ref::bb20_lower, first, last, "lower");
  expect_values(ind["vol20"], ref::vol20, first, last, "value");
  expect_values(ind["vol20"], ref::vol20_annualized, first, last, "annualized");
  // VWAP accumulates over the answered bars only: the pure function on them.
  auto bars = reference_bars();
  std::vector<indicators::ohlcv> answered(bars.begin() + static_cast<std::ptrdiff_t>(first),
                                          bars.end());
  auto vw = *indicators::vwap(answered);
  vw.insert(vw.begin(), first, std::nullopt);
  expect_values(ind["vwap"], vw, first, last);
}

TEST_F(TechnicalRoute, ShortHistoryReportsMissingBarsAndTheValuesThatExist) {
  // Binance answers the bars up to endTime only.
  auto end_ms = std::to_string(*parse_timestamp("2024-01-31") / 1'000'000);
  fixtures_->add("GET", "/api/v3/klines", fixture_response::json(klines_body(index_of("2024-01-31") + 1)),
                 {{"symbol", "ADAUSDT"}, {"interval", "1d"}, {"endTime", end_ms}});
  auto [status, d] = get("/api/v1/technical/ADA-USDT?indicator=rsi,sma&period=14"
                         "&interval=1d&start=2024-01-10&end=2024-01-31");
  ASSERT_EQ(status, 200u) << last_body_;
  // 9 bars before the 10th of January; RSI14 needs 14.
  EXPECT_EQ(d["missing_bars"].GetUint(), 5u) << last_body_;
  EXPECT_EQ(d["warmup_bars"].GetUint(), 14u);
  EXPECT_EQ(str_of(d, "start"), "2024-01-10T00:00:00Z");
  auto& ind = d["indicators"];
  ASSERT_TRUE(ind.HasMember("sma14")); // period= applies to names without one
  ASSERT_TRUE(ind.HasMember("rsi14"));
  expect_values(ind["rsi14"], ref::rsi14, index_of("2024-01-15"), index_of("2024-01-31"));
  expect_values(ind["sma14"], *indicators::sma(reference_closes(), 14), index_of("2024-01-14"),
                index_of("2024-01-31"));
}

TEST_F(TechnicalRoute, WithoutStartTheNewestLimitPoints) {
  auto [status, d] = get("/api/v1/technical/ADA-USDT?indicator=sma5,rsi3&interval=1d"
                         "&limit=10&end=2024-02-29");
  ASSERT_EQ(status, 200u) << last_body_;
  EXPECT_EQ(str_of(d, "start"), "2024-02-20T00:00:00Z");
  EXPECT_EQ(d["missing_bars"].GetUint(), 0u);
  expect_values(d["indicators"]["sma5"], ref::sma5, 50, 59);
  EXPECT_EQ(d["indicators"]["rsi3"].Size(), 10u);
}

TEST_F(TechnicalRoute, BadRequestsGetTheOneErrorShape) {
  const std::string base = "/api/v1/technical/ADA-USDT?interval=1d&";
  expect_error(base + "indicator=nope", 400, "invalid_parameter", "indicator");
  expect_error(base + "indicator=rsi501", 400, "invalid_parameter", "indicator");
  expect_error(base + "indicator=rsi,sma,macd12", 400, "invalid_parameter", "indicator");
  expect_error(base + "indicator=rsi&period=0", 400, "invalid_parameter", "period");
  expect_error(base + "indicator=rsi&period=501", 400, "invalid_parameter", "period");
  expect_error(base + "indicator=rsi&period=x", 400, "invalid_parameter", "period");
  expect_error(base + "indicator=vol&period=1", 400, "invalid_parameter", "indicator");
  expect_error(base + "indicator=macd&fast=30&slow=26", 400, "invalid_parameter", "slow");
  expect_error(base + "indicator=bb&k=0", 400, "invalid_parameter", "k");
  expect_error(base + "indicator=vol&bars_per_year=-1", 400, "invalid_parameter",
               "bars_per_year");
  expect_error(base + "foo=1", 400, "missing_parameter", "indicator");
  expect_error(base + "indicator=", 400, "invalid_parameter", "indicator");
  expect_error("/api/v1/technical/ADA-USDT?indicator=rsi&interval=7m", 400,
               "invalid_parameter", "interval");
  expect_error(base + "indicator=rsi&start=2024-02-10&end=2024-02-01", 400,
               "invalid_parameter", "start");
  expect_error(base + "indicator=rsi&start=yesterday", 400, "invalid_parameter", "start");
  expect_error("/api/v1/technical/BAD!?indicator=rsi", 400, "invalid_parameter", "symbol");
  // More bars than [indicators] max-bars with the warm-up.
  expect_error("/api/v1/technical/ADA-USDT?indicator=rsi&interval=1m&start=2024-01-01"
               "&end=2024-02-01", 400, "invalid_parameter", "start");
  expect_error(base + "indicator=rsi&limit=5000", 400, "invalid_parameter", "limit");
}

TEST(TechnicalRouteOff, DisabledRouteAndLiveChannelsAreRefused) {
  indicator_service service{"[indicators]\nenabled = false\nlive = false\n"};
  ASSERT_TRUE(service.ready()) << service.output();
  auto r = service.get("/api/v1/technical/BTC-USDT?indicator=rsi");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404u);
  EXPECT_EQ(error_of(r->body).first, "disabled");
  // [indicators] live = false: ind: channels are refused, others still work.
  ws_client ws;
  ASSERT_TRUE(ws.connect(service.ws_url()));
  ASSERT_TRUE(ws.receive()); // hello
  ASSERT_TRUE(ws.send(R"({"op":"subscribe","channels":["ind:rsi14:1s:BTC-USDT","trades:BTC-USDT"]})"));
  bool refused = false, subscribed = false;
  for (int i = 0; i < 50 && !(refused && subscribed); ++i) {
    auto m = ws.receive(std::chrono::milliseconds{3000});
    ASSERT_TRUE(m);
    auto d = parse_exact(*m);
    if (str_of(d, "type") == "error") {
      EXPECT_EQ(str_of(d, "code"), "invalid_channel");
      EXPECT_EQ(str_of(d, "channel"), "ind:rsi14:1s:BTC-USDT");
      refused = true;
    }
    if (str_of(d, "type") == "subscribed") {
      ASSERT_EQ(d["channels"].Size(), 1u);
      EXPECT_EQ(std::string{d["channels"][0].GetString()}, "trades:BTC-USDT");
      subscribed = true;
    }
  }
  EXPECT_TRUE(refused);
  EXPECT_TRUE(subscribed);
}
