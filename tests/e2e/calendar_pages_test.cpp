// Trading calendars and pages end to end: the real tickflow binary with
// Polygon at a loopback fixture server. A weekend and a US holiday are no
// bar slots of an equity: a range holding only them is answered at once
// with no bars and the provider sees no request; a range that begins on
// them is asked from the first trading day. A reply with next_url is
// followed page by page from the same provider.

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "pipeline/model/time.hpp"
#include "tests/support/fixture_server.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"

using namespace tickflow::test;
using namespace std::chrono_literals;

namespace {

/// Polygon's aggs path of 1d bars from `from` to the end of date `to` (ms
/// in the path: an `end` given as a date includes its whole day).
std::string aggs_path(const char* from, const char* to) {
  constexpr int64_t day_ns = 86'400'000'000'000;
  return "/v2/aggs/ticker/AAPL/range/1/day/"
         + std::to_string(*tickflow::parse_timestamp(from) / tickflow::ns_per_ms) + "/"
         + std::to_string((*tickflow::parse_timestamp(to) + day_ns - 1) / tickflow::ns_per_ms);
}

class TradingCalendarE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    // The recorded 2020-01-02/03 AAPL bars, at the path of a fetch from
    // 2020-01-02 (New Year's Day is no slot, so it is not asked for).
    provider.add("GET", aggs_path("2020-01-02", "2020-01-10"),
                 fixture_response::file("polygon/rest/v2_aggs_ticker_AAPL_range_1_day.example.json"));
    // Two pages: the recorded range reply, unchanged, ends with next_url
    // (the provider's own host, path .../1578114000000/2020-01-10, a cursor);
    // tickflow asks its path and cursor of the configured host, where the
    // second page is the recorded AAPL aggregates reply of /prev (the same
    // aggs shape, one bar of 2020-11-10, no next_url: the last page).
    provider.add("GET", aggs_path("2020-01-02", "2020-12-31"),
                 fixture_response::file("polygon/rest/v2_aggs_ticker_AAPL_range_1_day.example.json"));
    provider.add("GET", "/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10",
                 fixture_response::file("polygon/rest/v2_aggs_ticker_AAPL_prev.example.json"),
                 {{"cursor", "bGltaXQ9MiZzb3J0PWFzYw"}});
    // The holiday list the gateway asks for at start (NYSE: Thanksgiving
    // 2020 closed, the day after closing at 13:00 New York time).
    provider.add("GET", "/v1/marketstatus/upcoming",
                 fixture_response::file("polygon/rest/v1_marketstatus_upcoming.example.json"));
    dir = temp_dir();
    auto config = dir + "/calendar.ini";
    {
      std::ofstream out{config};
      out << "[providers]\nenabled = polygon\n[polygon]\nbase-url = " << provider.base_url()
          << "\ntimeout = 5s\napi-key-env = TICKFLOW_TEST_KEY_calendar\n";
    }
    setenv("TICKFLOW_TEST_KEY_calendar", "calendar-test-key", 1);
    port = free_port();
    proc = std::make_unique<child_process>(
      TICKFLOW_BINARY,
      std::vector<std::string>{"--config", config, "--port", std::to_string(port),
                               "--ws-port", std::to_string(free_port())},
      dir + "/tickflow.log");
    for (int i = 0; i < 250; ++i) {
      if (auto r = http_get(port, "/live"); r && r->status == 200)
        return;
      std::this_thread::sleep_for(20ms);
    }
    FAIL() << proc->output();
  }

  rapidjson::Document get(const std::string& target) {
    rapidjson::Document d;
    auto r = http_get(port, target);
    EXPECT_TRUE(r) << target;
    if (!r)
      return d;
    EXPECT_EQ(r->status, 200u) << target << " -> " << r->body;
    d.Parse(r->body.c_str(), r->body.size());
    EXPECT_TRUE(d.IsObject()) << r->body;
    return d;
  }

  fixture_server provider;
  std::string dir;
  uint16_t port = 0;
  std::unique_ptr<child_process> proc;

  /// The bars requests Polygon received (the holiday list aside).
  std::vector<recorded_request> aggs_requests() const {
    std::vector<recorded_request> out;
    for (auto& r : provider.requests())
      if (r.path.rfind("/v2/aggs/", 0) == 0)
        out.push_back(r);
    return out;
  }
};

TEST_F(TradingCalendarE2E, AWeekendAndAHolidayAreNeverFetchedNorMissing) {
  // Saturday 2023-01-14, Sunday 15 and Martin Luther King Jr. Day 16.
  for (auto target : {"/api/v1/data/ohlcv?symbol=AAPL&interval=1d&start=2023-01-14&end=2023-01-16",
                      "/api/v1/data/ohlcv?symbol=AAPL&interval=1d&start=2020-01-01&end=2020-01-01",
                      "/api/v1/data/historical?symbol=AAPL&interval=1h&start=2023-01-14&end=2023-01-16T23:00:00Z",
                      "/api/v1/data/ohlcv?symbol=AAPL&interval=5m&start=2023-01-13T21:00:00Z&end=2023-01-17T14:29:00Z"}) {
    auto d = get(target);
    ASSERT_TRUE(d.IsObject() && d.HasMember("bars") && d.HasMember("source")) << target;
    EXPECT_EQ(d["bars"].Size(), 0u) << target;
    EXPECT_EQ(std::string{d["source"].GetString()}, "calendar") << target;
  }
  EXPECT_TRUE(aggs_requests().empty());
  // A range from New Year's Day is asked from January 2.
  auto d = get("/api/v1/data/ohlcv?symbol=AAPL&interval=1d&start=2020-01-01&end=2020-01-10");
  ASSERT_TRUE(d.IsObject() && d.HasMember("source") && d.HasMember("bars")) << "no bars answer";
  EXPECT_EQ(std::string{d["source"].GetString()}, "polygon");
  ASSERT_EQ(d["bars"].Size(), 2u);
  // (The recorded reply ends with next_url: its next page is asked too.)
  auto asked = aggs_requests().size();
  ASSERT_GE(asked, 1u);
  EXPECT_EQ(aggs_requests()[0].path, aggs_path("2020-01-02", "2020-01-10"));
  // Thanksgiving 2020 by the provider's list (the rules agree).
  d = get("/api/v1/data/ohlcv?symbol=AAPL&interval=1d&start=2020-11-26&end=2020-11-26");
  ASSERT_TRUE(d.IsObject() && d.HasMember("source"));
  EXPECT_EQ(std::string{d["source"].GetString()}, "calendar");
  EXPECT_EQ(aggs_requests().size(), asked);
}

TEST_F(TradingCalendarE2E, TheProvidersHolidayListIsAskedWithTheKey) {
  for (int i = 0; i < 100; ++i) { // asked at start, asynchronously
    for (auto& r : provider.requests())
      if (r.path == "/v1/marketstatus/upcoming") {
        ASSERT_NE(r.param("apiKey"), nullptr);
        EXPECT_EQ(*r.param("apiKey"), "calendar-test-key");
        return;
      }
    std::this_thread::sleep_for(20ms);
  }
  FAIL() << "the holiday list was never asked for";
}

TEST_F(TradingCalendarE2E, ARangeLongerThanOnePageIsFetchedPageByPage) {
  auto d = get("/api/v1/data/ohlcv?symbol=AAPL&interval=1d&start=2020-01-01&end=2020-12-31");
  ASSERT_TRUE(d.IsObject() && d.HasMember("source") && d.HasMember("bars")) << "no bars answer";
  EXPECT_EQ(std::string{d["source"].GetString()}, "polygon");
  EXPECT_FALSE(d.HasMember("failover") && d["failover"].IsArray() && d["failover"].Size() > 0);
  ASSERT_EQ(d["bars"].Size(), 3u); // both pages, joined in time order
  EXPECT_EQ(std::string{d["bars"][0]["close"].GetString()}, "75.0875");
  EXPECT_EQ(std::string{d["bars"][1]["close"].GetString()}, "74.3575");
  EXPECT_EQ(std::string{d["bars"][2]["close"].GetString()}, "115.97");
  auto reqs = aggs_requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].path, aggs_path("2020-01-02", "2020-12-31"));
  EXPECT_EQ(reqs[1].path, "/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10");
  ASSERT_NE(reqs[1].param("cursor"), nullptr);
  EXPECT_EQ(*reqs[1].param("cursor"), "bGltaXQ9MiZzb3J0PWFzYw");
  ASSERT_NE(reqs[1].param("apiKey"), nullptr); // the key is added again
  EXPECT_EQ(*reqs[1].param("apiKey"), "calendar-test-key");
  // Each page was one scheduled call of Polygon's, and nothing failed over.
  auto stats = get("/api/v1/stats");
  ASSERT_TRUE(stats.IsObject() && stats.HasMember("providers") && stats["providers"].IsArray());
  bool seen = false;
  for (auto& p : stats["providers"].GetArray())
    if (std::string{p["provider"].GetString()} == "polygon") {
      seen = true;
      EXPECT_EQ(p["calls"].GetUint64(), 2u);
      EXPECT_EQ(p["failed_over"].GetUint64(), 0u);
    }
  EXPECT_TRUE(seen);
}

} // namespace
