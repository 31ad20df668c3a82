// api/routes/dashboard: the embedded files and config.json.

#include "api/routes/dashboard.hpp"

#include <gtest/gtest.h>

using namespace tickflow;
using namespace tickflow::api;

namespace {

std::string header(const http_response& r, const std::string& name) {
  for (auto& [k, v] : r.headers)
    if (k == name)
      return v;
  return {};
}

TEST(DashboardRoutes, ConfigTellsThePageWhereToSubscribe) {
  topology topo;
  topo.providers = {"simulator", "binance"};
  simulated_symbol a;
  a.instrument = "BTC-USDT";
  topo.simulator.symbols = {a};
  topo.simulator.bar_intervals = {interval::s1, interval::m1};
  topo.broadcaster.port = 8004;
  topo.broadcaster.path = "/api/v1/stream";
  EXPECT_EQ(dashboard_config(topo),
            R"({"version":")" TICKFLOW_VERSION R"(","ws":{"port":8004,"path":"/api/v1/stream"},)"
            R"("instruments":["BTC-USDT"],"intervals":["1s","1m"],)"
            R"("providers":["simulator","binance"]})");
  topo.providers = {"binance"};
  topo.broadcaster.port = 0;
  EXPECT_EQ(dashboard_config(topo),
            R"({"version":")" TICKFLOW_VERSION R"(","ws":{"port":null,"path":"/api/v1/stream"},)"
            R"("instruments":[],"intervals":["1m"],"providers":["binance"]})");
  auto r = dashboard_file("config.json", topo);
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(header(r, "Cache-Control"), "no-store");
}

TEST(DashboardRoutes, FilesAreServedAsWrittenWithTheirHeaders) {
  topology topo;
  auto index = dashboard_index();
  ASSERT_EQ(index.status, 200u);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(header(index, "Cache-Control"), "no-cache");
  EXPECT_EQ(header(index, "X-Content-Type-Options"), "nosniff");
  EXPECT_NE(header(index, "Content-Security-Policy").find("default-src 'self'"),
            std::string::npos);
  EXPECT_EQ(dashboard_file("app.js", topo).content_type, "text/javascript; charset=utf-8");
  auto none = dashboard_file("../etc/passwd", topo);
  EXPECT_EQ(none.status, 404u);
  EXPECT_EQ(none.body,
            R"({"error":{"code":"not_found","message":"no dashboard file ../etc/passwd"}})");
}

} // namespace
