// The backfill job of the real binary, against the private PostgreSQL and a
// loopback Binance: at start it looks for holes in the stored series of each
// watchlist symbol and asks the provider for those slots only, newest first,
// counted at the provider's server.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "tests/storage/reads/read_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow::test {
namespace {

int64_t wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

/// Closed 1m bars of `instrument` opening at `first_ns`, `first_ns` + 1m, ...
/// up to `last_ns`, skipping the open times in [skip_from, skip_to].
std::vector<bar> bars_between(const std::string& instrument, int64_t first_ns,
                              int64_t last_ns,
                              const std::vector<std::pair<int64_t, int64_t>>& holes) {
  std::vector<bar> out;
  for (auto t = first_ns; t <= last_ns; t += minute_ns) {
    bool hole = false;
    for (auto& [a, b] : holes)
      hole = hole || (t >= a && t <= b);
    if (!hole)
      out.push_back(make_bar(instrument, interval::m1, t / ns_per_s, true));
  }
  return out;
}

/// A Binance klines answer with one bar per minute in [from_ns, to_ns].
std::string klines_between(int64_t from_ns, int64_t to_ns) {
  std::string out = "[";
  for (auto t = from_ns; t <= to_ns; t += minute_ns) {
    auto ms = t / ns_per_ms;
    if (out.size() > 1)
      out += ',';
    out += "[" + std::to_string(ms) + ",\"200.0\",\"201.0\",\"199.0\",\"200.5\",\"5.0\","
           + std::to_string(ms + 59'999) + ",\"1000.0\",3,\"2.0\",\"400.0\",\"0\"]";
  }
  return out + "]";
}

TEST(BackfillJob, FetchesOnlyTheMissingRangesNewestFirst) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  pg::pg_client db;
  ASSERT_TRUE(db.connect(env.pg_dsn()).ok());
  ASSERT_TRUE(db.migrate().ok());
  auto x = short_id("BJ");

  // Stored: every minute from 3 h ago to 10 min ahead (so the window's edges
  // are covered whenever the job starts), except two holes inside the last hour.
  auto now = wall_now_ns();
  auto minute = now - now % minute_ns;
  std::pair<int64_t, int64_t> older{minute - 40 * minute_ns, minute - 36 * minute_ns};
  std::pair<int64_t, int64_t> newer{minute - 12 * minute_ns, minute - 10 * minute_ns};
  ASSERT_TRUE(db.write_bars(bars_between(x, minute - 180 * minute_ns,
                                         minute + 10 * minute_ns, {older, newer}))
                .ok());

  fixture_server provider;
  provider.add("GET", "/api/v3/klines",
               fixture_response::json(klines_between(older.first, newer.second)),
               {{"symbol", x}});
  auto dir = temp_dir();
  service svc{"[providers]\nenabled = binance\n"
              "[binance]\nbase-url = " + provider.base_url() + "\nsymbols = " + x + "=" + x + "\n"
              "[storage]\nenabled = true\ndsn = " + env.pg_dsn() + "\njournal-dir = " + dir
              + "/storage\n"
              "[jobs]\nwarm-at-start = false\nbackfill-at-start = true\n"
              "backfill-interval = 1m\nbackfill-lookback = 1h\n"
              "refresh-crypto = off\nrefresh-stocks = off\nhealth-probe = off\n"
              "[watchlist]\ncrypto = " + x + "\n"};
  ASSERT_TRUE(svc.live()) << svc.output();

  // The job's result shows on /api/v1/jobs once it has run.
  rapidjson::Document d;
  ASSERT_TRUE(wait_until([&] {
    if (svc.get("/api/v1/jobs", d) != 200 || !d.HasMember("jobs"))
      return false;
    for (auto& j : d["jobs"].GetArray())
      if (std::string{j["name"].GetString()} == "backfill" && j["last_run"].IsString())
        return std::string{j["result"].GetString()} == "ok";
    return false;
  })) << svc.output();

  // Exactly the two holes were asked for, the newer one first.
  auto reqs = provider.requests();
  ASSERT_EQ(reqs.size(), 2u) << svc.output();
  auto range_of = [](const recorded_request& r) {
    EXPECT_NE(r.param("startTime"), nullptr);
    EXPECT_NE(r.param("endTime"), nullptr);
    if (!r.param("startTime") || !r.param("endTime"))
      return std::make_pair(int64_t{0}, int64_t{0});
    return std::make_pair(int64_t{std::stoll(*r.param("startTime")) * ns_per_ms},
                          int64_t{std::stoll(*r.param("endTime")) * ns_per_ms});
  };
  EXPECT_EQ(range_of(reqs[0]), newer);
  EXPECT_EQ(range_of(reqs[1]), older);
  EXPECT_EQ(*reqs[0].param("limit"), "3");
  EXPECT_EQ(*reqs[1].param("limit"), "5");

  // The window reads whole now, the holes filled.
  EXPECT_TRUE(wait_until([&] {
    return svc.get("/api/v1/data/historical?symbol=" + x + "&interval=1m&start="
                     + format_iso8601(older.first) + "&end=" + format_iso8601(newer.second),
                   d)
             == 200
           && d["bars"].Size() == 31u;
  }));
  EXPECT_EQ(svc.stop(), 0);
}

} // namespace
} // namespace tickflow::test
