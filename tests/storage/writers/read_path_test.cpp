// The read path of /api/v1/data/ohlcv: L1, then Postgres, then providers.
// Bars already stored in Postgres (and unknown to the in-process cache) are
// served by the real binary with source "postgres".

#include <fstream>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "adapters/postgres/pg_client.hpp"
#include "tests/storage/writers/writer_support.hpp"
#include "tests/support/fixture_server.hpp"
#include "tests/support/http_client.hpp"

namespace tickflow::test {
namespace {

TEST(ReadPath, StoredBarsAreServedFromPostgres) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  pg::pg_client db;
  ASSERT_TRUE(db.connect(env.pg_dsn()).ok());
  ASSERT_TRUE(db.migrate().ok());
  auto id = short_id("RP");
  std::vector<bar> stored;
  for (int i = 0; i < 5; ++i)
    stored.push_back(make_bar(id, interval::m1, 1'700'000'000 + 60 * i, true));
  stored[4].close = dec("0.00100000"); // exact decimals survive the round trip
  ASSERT_TRUE(db.write_bars(stored).ok());

  auto dir = temp_dir();
  auto config = dir + "/read.ini";
  {
    std::ofstream out{config};
    out << "[simulator]\nsymbols = " << short_id("RQ") << ":10.00\n"
        << "[storage]\nenabled = true\ndsn = " << env.pg_dsn() << "\n"
        << "journal-dir = " << dir << "/journal\n";
  }
  auto port = free_port();
  child_process proc{TICKFLOW_BINARY,
                     {"--config", config, "--port", std::to_string(port),
                      "--ws-port", std::to_string(free_port())},
                     dir + "/tickflow.log"};
  ASSERT_TRUE(wait_until([&] {
    auto r = http_get(port, "/live");
    return r && r->status == 200;
  })) << proc.output();
  // The storage writer connects at start; ask until it answers from Postgres.
  rapidjson::Document d;
  ASSERT_TRUE(wait_until([&] {
    auto r = http_get(port, "/api/v1/data/ohlcv?symbol=" + id
                              + "&interval=1m&limit=3");
    if (!r || r->status != 200)
      return false;
    d.Parse(r->body.c_str());
    return d.IsObject() && d.HasMember("source")
           && std::string{d["source"].GetString()} == "postgres";
  })) << proc.output();
  ASSERT_TRUE(d["bars"].IsArray());
  ASSERT_EQ(d["bars"].Size(), 3u); // the newest three of five
  EXPECT_TRUE(d["cached"].IsTrue());
  EXPECT_EQ(std::string{d["bars"][2]["close"].GetString()}, "0.001");
  EXPECT_EQ(std::string{d["bars"][0]["open"].GetString()}, "100");
  EXPECT_EQ(d["bars"][0]["open_time"].GetInt64(), (1'700'000'000LL + 120) * 1'000'000'000LL);
  EXPECT_EQ(proc.stop(), 0);
}

} // namespace
} // namespace tickflow::test

namespace tickflow::test {
namespace {

// Events a validator refuses are kept in Postgres too (quarantine table),
// beside the in-memory ring of GET /api/v1/data/quarantine.
TEST(ReadPath, QuarantinedEventsArePersisted) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  pg::pg_client db;
  ASSERT_TRUE(db.connect(env.pg_dsn()).ok());
  ASSERT_TRUE(db.migrate().ok());
  // A provider whose bars break OHLC consistency (high below low).
  auto id = short_id("QB");
  fixture_response bad = fixture_response::json(
    R"([{"date":"2022-01-03","open":10,"high":9,"low":11,"close":10,"adjusted_close":10,"volume":100},)"
    R"({"date":"2022-01-04","open":10,"high":12,"low":9,"close":11,"adjusted_close":11,"volume":100},)"
    R"({"date":"2022-01-05","open":11,"high":10.5,"low":11.5,"close":11,"adjusted_close":11,"volume":100}])");
  fixture_server provider_server;
  provider_server.add("GET", "/api/eod/" + id + ".US", bad);
  auto dir = temp_dir();
  auto config = dir + "/q.ini";
  {
    std::ofstream out{config};
    out << "[providers]\nenabled = eodhd\n"
        << "[eodhd]\nbase-url = " << provider_server.base_url()
        << "\napi-key-env = TICKFLOW_TEST_EODHD_KEY\n"
        << "[storage]\nenabled = true\ndsn = " << env.pg_dsn() << "\n"
        << "journal-dir = " << dir << "/journal\n";
  }
  setenv("TICKFLOW_TEST_EODHD_KEY", "k", 1);
  auto port = free_port();
  child_process proc{TICKFLOW_BINARY,
                     {"--config", config, "--port", std::to_string(port),
                      "--ws-port", std::to_string(free_port())},
                     dir + "/tickflow.log"};
  ASSERT_TRUE(wait_until([&] {
    auto r = http_get(port, "/live");
    return r && r->status == 200;
  })) << proc.output();
  auto r = http_get(port, "/api/v1/data/ohlcv?symbol=" + id
                            + "&interval=1d&start=2022-01-03&end=2022-01-05");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200u) << r->body;
  // Two of the three bars are refused; both reach the quarantine table.
  ASSERT_TRUE(wait_until([&] {
    auto n = db.count_quarantine(id);
    return n && *n == 2;
  })) << proc.output();
  EXPECT_EQ(proc.stop(), 0);
}

} // namespace
} // namespace tickflow::test
