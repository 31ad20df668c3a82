// The providers' reference lists end to end (issue 21): the real tickflow
// binary with Binance and Polygon at loopback fixture servers serving the
// recorded exchangeInfo and reference-tickers replies at their real paths.
// The gateway asks for both lists at start, through each provider's REST
// actor; GET /api/v1/instruments then lists their instruments with the
// listing providers, and a provider whose list fails leaves the rest.

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/fixture_server.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"

using namespace tickflow::test;
using namespace std::chrono_literals;

namespace {

std::string str(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key) || !v[key].IsString())
    return {};
  return v[key].GetString();
}

bool has_string(const rapidjson::Value& xs, const std::string& want) {
  if (!xs.IsArray())
    return false;
  for (auto& x : xs.GetArray())
    if (x.IsString() && want == x.GetString())
      return true;
  return false;
}

class ReferenceListsE2E : public ::testing::Test {
 protected:
  /// Starts tickflow with binance and polygon at the loopback servers;
  /// binance's exchangeInfo answers `binance_list`.
  void start(fixture_response binance_list) {
    binance.add("GET", "/api/v3/exchangeInfo", std::move(binance_list));
    polygon.add("GET", "/v3/reference/tickers",
                fixture_response::file("polygon/rest/v3_reference_tickers.example.json"));
    polygon.add("GET", "/v1/marketstatus/upcoming",
                fixture_response::file("polygon/rest/v1_marketstatus_upcoming.example.json"));
    dir = temp_dir();
    auto config = dir + "/reflists.ini";
    {
      std::ofstream out{config};
      // A budget that lets the second page follow at once (half of it:
      // 120 s / 6000 = 20 ms between pages).
      out << "[providers]\nenabled = binance, polygon\n[binance]\nbase-url = "
          << binance.base_url() << "\ntimeout = 5s\n[polygon]\nbase-url = "
          << polygon.base_url()
          << "\ntimeout = 5s\napi-key-env = TICKFLOW_TEST_KEY_reflists\n"
             "[limits.polygon]\nper-minute = 6000\n";
    }
    setenv("TICKFLOW_TEST_KEY_reflists", "reflists-test-key", 1);
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

  /// GET /api/v1/instruments?<query> until an instrument `id` is listed
  /// (the lists come asynchronously after start); its JSON object, or an
  /// empty document.
  rapidjson::Document find(const std::string& query, const std::string& id) {
    for (int i = 0; i < 250; ++i) {
      auto r = http_get(port, "/api/v1/instruments?" + query);
      EXPECT_TRUE(r);
      if (!r)
        break;
      EXPECT_EQ(r->status, 200u) << r->body;
      rapidjson::Document d;
      d.Parse(r->body.c_str(), r->body.size());
      if (d.IsObject() && d["instruments"].IsArray())
        for (auto& x : d["instruments"].GetArray())
          if (str(x, "id") == id) {
            rapidjson::Document out;
            out.CopyFrom(x, out.GetAllocator());
            return out;
          }
      std::this_thread::sleep_for(20ms);
    }
    return {};
  }

  /// The requests `s` received for `path`.
  static std::vector<recorded_request> asked(const fixture_server& s, const std::string& path) {
    std::vector<recorded_request> out;
    for (auto& r : s.requests())
      if (r.path == path)
        out.push_back(r);
    return out;
  }

  fixture_server binance;
  fixture_server polygon;
  std::string dir;
  uint16_t port = 0;
  std::unique_ptr<child_process> proc;
};

TEST_F(ReferenceListsE2E, BothListsJoinTheSearch) {
  start(fixture_response::file("binance/rest/api_v3_exchangeInfo.docs.json"));
  // The recorded spot exchangeInfo lists ETHBTC (base ETH, quote BTC): it
  // is ETH-BTC here, found by "BTC", listed by binance. The docs' filters
  // are empty placeholders: no tick or lot size is known.
  auto eth = find("query=BTC", "ETH-BTC");
  ASSERT_TRUE(eth.IsObject()) << proc->output();
  EXPECT_EQ(str(eth, "asset_class"), "crypto");
  EXPECT_TRUE(has_string(eth["providers"], "binance"));
  EXPECT_TRUE(eth["reference"].IsTrue());
  EXPECT_FALSE(eth["configured"].GetBool());
  EXPECT_TRUE(eth["tick_size"].IsNull());
  EXPECT_TRUE(eth["lot_size"].IsNull());
  EXPECT_EQ(str(eth, "base"), "ETH");
  // Any spelling of the pair finds it.
  EXPECT_TRUE(find("query=ethbtc", "ETH-BTC").IsObject());
  // The polygon fixture's ticker "A" (Agilent, market stocks) is an equity.
  auto a = find("query=A&asset_class=equity", "A");
  ASSERT_TRUE(a.IsObject()) << proc->output();
  EXPECT_EQ(str(a, "asset_class"), "equity");
  EXPECT_TRUE(has_string(a["providers"], "polygon"));
  EXPECT_TRUE(a["reference"].IsTrue());
  EXPECT_TRUE(find("provider=polygon", "A").IsObject());
  // The list was asked with the key; its next_url page of the configured
  // host, with the cursor and the key again (the recorded reply names
  // itself as the next page once more: the list ends there).
  auto pages = asked(polygon, "/v3/reference/tickers");
  for (int i = 0; i < 100 && pages.size() < 2; ++i) {
    std::this_thread::sleep_for(20ms);
    pages = asked(polygon, "/v3/reference/tickers");
  }
  ASSERT_EQ(pages.size(), 2u);
  ASSERT_NE(pages[0].param("apiKey"), nullptr);
  EXPECT_EQ(*pages[0].param("apiKey"), "reflists-test-key");
  EXPECT_EQ(pages[0].param("cursor"), nullptr);
  ASSERT_NE(pages[1].param("cursor"), nullptr);
  ASSERT_NE(pages[1].param("apiKey"), nullptr);
  EXPECT_EQ(*pages[1].param("apiKey"), "reflists-test-key");
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(asked(polygon, "/v3/reference/tickers").size(), 2u); // no third page
  EXPECT_EQ(asked(binance, "/api/v3/exchangeInfo").size(), 1u);
  // The key never reaches a client.
  auto all = http_get(port, "/api/v1/instruments?limit=1000");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->body.find("reflists-test-key"), std::string::npos);
}

TEST_F(ReferenceListsE2E, AFailedListLeavesTheOthers) {
  start(fixture_response::json(R"({"msg":"oops"})", 500));
  auto a = find("query=A", "A");
  ASSERT_TRUE(a.IsObject()) << proc->output();
  EXPECT_TRUE(has_string(a["providers"], "polygon"));
  for (int i = 0; i < 100 && asked(binance, "/api/v3/exchangeInfo").empty(); ++i)
    std::this_thread::sleep_for(20ms);
  ASSERT_EQ(asked(binance, "/api/v3/exchangeInfo").size(), 1u);
  // Binance's list is missing, nothing else: the search answers.
  auto r = http_get(port, "/api/v1/instruments?query=ETHBTC");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  rapidjson::Document d;
  d.Parse(r->body.c_str(), r->body.size());
  ASSERT_TRUE(d.IsObject()) << r->body;
  EXPECT_EQ(d["total"].GetInt(), 0) << r->body;
  for (int i = 0; i < 100 && proc->output().find("no reference list from binance") == std::string::npos; ++i)
    std::this_thread::sleep_for(20ms);
  EXPECT_NE(proc->output().find("no reference list from binance"), std::string::npos);
  // Counted: one list failed, one (polygon's) replaced.
  auto m = http_get(port, "/metrics");
  ASSERT_TRUE(m);
  EXPECT_NE(m->body.find("tickflow_reference_lists_total{result=\"failed\"} 1"),
            std::string::npos) << m->body;
  EXPECT_NE(m->body.find("tickflow_reference_instruments 1"), std::string::npos) << m->body;
}

} // namespace
