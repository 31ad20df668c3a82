// GET /api/v1/data/trades through the real binary against the private
// PostgreSQL (issue 21): trades the memory ring does not hold come from the
// trades table, the newest `limit` of the range, oldest first.

#include <string>

#include <gtest/gtest.h>

#include "tests/storage/reads/read_support.hpp"

namespace tickflow::test {
namespace {

TEST(TradesRead, OlderTradesComeFromPostgres) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  pg::pg_client db;
  ASSERT_TRUE(db.connect(env.pg_dsn()).ok());
  ASSERT_TRUE(db.migrate().ok());
  auto x = short_id("TR");
  std::vector<trade> stored;
  for (int i = 0; i < 5; ++i)
    stored.push_back(make_trade(x, 100 + i, slot(i), "10.5", "0.25"));
  ASSERT_TRUE(db.write_trades(stored).ok());
  auto dir = temp_dir();
  service svc{"[providers]\nenabled = simulator\n[simulator]\nsymbols = AAPL:190\n"
              "[storage]\nenabled = true\ndsn = " + env.pg_dsn()
              + "\njournal-dir = " + dir + "/storage\n"};
  ASSERT_TRUE(svc.live()) << svc.output();
  rapidjson::Document d;
  // Nothing in memory: the newest 3 of the table, oldest first.
  ASSERT_EQ(svc.get("/api/v1/data/trades?symbol=" + x + "&limit=3", d), 200u);
  EXPECT_EQ(source_of(d), "postgres");
  ASSERT_EQ(d["count"].GetInt(), 3);
  EXPECT_STREQ(d["trades"][0]["trade_id"].GetString(), "102");
  EXPECT_STREQ(d["trades"][2]["trade_id"].GetString(), "104");
  EXPECT_STREQ(d["as_of"].GetString(), format_iso8601(slot(4)).c_str());
  // A range: its trades only.
  ASSERT_EQ(svc.get("/api/v1/data/trades?symbol=" + x + "&start=" + format_iso8601(slot(1))
                      + "&end=" + format_iso8601(slot(2)),
                    d),
            200u);
  ASSERT_EQ(d["count"].GetInt(), 2);
  EXPECT_STREQ(d["trades"][0]["trade_id"].GetString(), "101");
  // Stored nowhere, known nowhere: 404 unknown_symbol.
  EXPECT_EQ(svc.get("/api/v1/data/trades?symbol=" + x + "NONE", d), 404u);
  EXPECT_EQ(svc.stop(), 0);
}

} // namespace
} // namespace tickflow::test
