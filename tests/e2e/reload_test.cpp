// SIGHUP on the real binary: an invalid new config is refused and the old one
// kept; a valid one applies its jobs and watchlist at once, while a WebSocket
// client stays connected and keeps receiving.

#include <signal.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/fixture_server.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/ws_client.hpp"

using namespace tickflow::test;
using namespace std::chrono_literals;

namespace {

void write(const std::string& path, const std::string& text) {
  std::ofstream out{path};
  out << text;
}

template <class F>
bool eventually(F f) {
  for (int i = 0; i < 250; ++i) {
    if (f())
      return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

} // namespace

TEST(Reload, SighupRefusesABadConfigAndAppliesAGoodOne) {
  auto rest = free_port();
  auto ws = free_port();
  while (ws == rest)
    ws = free_port();
  auto dir = temp_dir();
  auto ini = dir + "/tickflow.ini";
  auto base = "[gateway]\nport = " + std::to_string(rest) + "\n[broadcaster]\nport = "
              + std::to_string(ws) + "\n[simulator]\nsymbols = BTC-USDT:65000.00\n";
  write(ini, base + "[jobs]\nrefresh-crypto = every 5m\n");
  child_process proc{TICKFLOW_BINARY, {"--config", ini}, dir + "/tickflow.log"};
  ASSERT_TRUE(eventually([&] {
    auto r = http_get(rest, "/live");
    return r && r->status == 200;
  })) << proc.output();
  ws_client client;
  ASSERT_TRUE(client.connect("ws://127.0.0.1:" + std::to_string(ws) + "/api/v1/stream"));
  ASSERT_TRUE(client.send(R"({"op":"subscribe","channels":["trades:BTC-USDT"]})"));

  auto schedule = [&] {
    auto r = http_get(rest, "/api/v1/jobs");
    if (!r || r->status != 200)
      return std::string{};
    const std::string key = R"("name":"refresh-crypto","schedule":")";
    auto at = r->body.find(key);
    if (at == std::string::npos)
      return std::string{};
    at += key.size();
    return r->body.substr(at, r->body.find('"', at) - at);
  };
  EXPECT_EQ(schedule(), "every 5m");

  // A bad file: refused, logged, the old config stays.
  write(ini, base + "[jobs]\nrefresh-crypto = hourly\n");
  ASSERT_EQ(::kill(proc.pid(), SIGHUP), 0);
  ASSERT_TRUE(eventually([&] {
    return proc.output().find("new config refused, the old one stays") != std::string::npos;
  })) << proc.output();
  EXPECT_NE(proc.output().find("got \"hourly\""), std::string::npos);
  EXPECT_TRUE(proc.running());
  EXPECT_EQ(schedule(), "every 5m");

  // A good one: the new schedule shows at once.
  write(ini, base + "[jobs]\nrefresh-crypto = every 2m\n[watchlist]\ncrypto = BTC-USDT\n");
  ASSERT_EQ(::kill(proc.pid(), SIGHUP), 0);
  ASSERT_TRUE(eventually([&] { return schedule() == "every 2m"; })) << proc.output();

  // The WebSocket client never noticed: it still receives trades.
  for (int i = 0; i < 50; ++i)
    client.receive(20ms); // drain what came before
  bool trade = false;
  for (int i = 0; i < 100 && !trade; ++i)
    if (auto m = client.receive(100ms))
      trade = m->find("\"type\":\"trade\"") != std::string::npos;
  EXPECT_TRUE(trade) << "no trade after the reloads";
  EXPECT_EQ(proc.stop(), 0) << proc.output();
}

// SIGHUP adds a REST provider, re-keys it, grows the validator pool and then
// removes the provider again; a WebSocket client stays connected throughout
// and keeps receiving.
TEST(Reload, SighupAddsRekeysAndRemovesAProviderAndResizesTheValidators) {
  fixture_server upstream;
  upstream.add("GET", "/api/v3/ticker/price",
               fixture_response::file("binance/rest/api_v3_ticker_price_single.docs.json"),
               {{"symbol", "LTCBTC"}});
  ::setenv("TICKFLOW_RELOAD_KEY_A", "reload-key-aaaa", 1);
  ::setenv("TICKFLOW_RELOAD_KEY_B", "reload-key-bbbb", 1);
  auto rest = free_port();
  auto ws = free_port();
  while (ws == rest)
    ws = free_port();
  auto dir = temp_dir();
  auto ini = dir + "/tickflow.ini";
  auto base = "[gateway]\nport = " + std::to_string(rest) + "\n[broadcaster]\nport = "
              + std::to_string(ws) + "\n[simulator]\nsymbols = BTC-USDT:65000.00\n"
              + "[jobs]\nenabled = false\n";
  auto with_binance = [&](const char* key_env, int validators) {
    return base + "[providers]\nenabled = simulator, binance\n[binance]\nbase-url = "
           + upstream.base_url() + "\napi-key-env = " + key_env + "\n[validator]\ncount = "
           + std::to_string(validators) + "\n";
  };
  write(ini, base + "[providers]\nenabled = simulator\n[validator]\ncount = 1\n");
  child_process proc{TICKFLOW_BINARY, {"--config", ini}, dir + "/tickflow.log"};
  ASSERT_TRUE(eventually([&] {
    auto r = http_get(rest, "/live");
    return r && r->status == 200;
  })) << proc.output();
  ws_client client;
  ASSERT_TRUE(client.connect("ws://127.0.0.1:" + std::to_string(ws) + "/api/v1/stream"));
  ASSERT_TRUE(client.send(R"({"op":"subscribe","channels":["trades:BTC-USDT"]})"));
  auto price_status = [&] {
    auto r = http_get(rest, "/api/v1/data/price?symbol=LTC-BTC&provider=binance");
    return r ? r->status : 0u;
  };
  auto status_has = [&](const std::string& what) {
    auto r = http_get(rest, "/status");
    return r && r->body.find(what) != std::string::npos;
  };
  auto keys_seen = [&] {
    std::vector<std::string> xs;
    for (auto& q : upstream.requests())
      if (auto* k = q.header("x-mbx-apikey"))
        xs.push_back(*k);
    return xs;
  };
  EXPECT_NE(price_status(), 200u); // binance is not enabled yet
  EXPECT_TRUE(status_has("\"validator.0\""));
  EXPECT_FALSE(status_has("\"validator.1\""));

  // Added, with key A, and three validators.
  write(ini, with_binance("TICKFLOW_RELOAD_KEY_A", 3));
  ASSERT_EQ(::kill(proc.pid(), SIGHUP), 0);
  ASSERT_TRUE(eventually([&] { return price_status() == 200; })) << proc.output();
  EXPECT_TRUE(eventually([&] { return status_has("\"validator.2\""); })) << proc.output();
  ASSERT_FALSE(keys_seen().empty());
  EXPECT_EQ(keys_seen().back(), "reload-key-aaaa");
  EXPECT_NE(proc.output().find("added binance"), std::string::npos) << proc.output();
  EXPECT_NE(proc.output().find("validator pool resized: 1 -> 3"), std::string::npos)
    << proc.output();

  // Re-keyed: the provider restarts and sends key B from then on.
  write(ini, with_binance("TICKFLOW_RELOAD_KEY_B", 3));
  ASSERT_EQ(::kill(proc.pid(), SIGHUP), 0);
  ASSERT_TRUE(eventually([&] {
    return proc.output().find("restarted binance") != std::string::npos;
  })) << proc.output();
  auto before = upstream.requests().size();
  ASSERT_TRUE(eventually([&] {
    // Fresh answers may be served from the scheduler's short memory: ask until
    // the provider is called again.
    price_status();
    return upstream.requests().size() > before;
  }));
  EXPECT_EQ(keys_seen().back(), "reload-key-bbbb");

  // Removed, and the pool shrinks to two.
  write(ini, base + "[providers]\nenabled = simulator\n[validator]\ncount = 2\n");
  ASSERT_EQ(::kill(proc.pid(), SIGHUP), 0);
  ASSERT_TRUE(eventually([&] { return price_status() != 200; })) << proc.output();
  EXPECT_TRUE(eventually([&] { return !status_has("\"validator.2\""); }));
  EXPECT_TRUE(status_has("\"validator.1\""));

  // The WebSocket client never noticed: it still receives trades.
  for (int i = 0; i < 50; ++i)
    client.receive(20ms);
  bool trade = false;
  for (int i = 0; i < 100 && !trade; ++i)
    if (auto m = client.receive(100ms))
      trade = m->find("\"type\":\"trade\"") != std::string::npos;
  EXPECT_TRUE(trade) << "no trade after the reloads";
  auto out = proc.output();
  EXPECT_EQ(out.find("reload-key-aaaa"), std::string::npos) << "a key reached the log";
  EXPECT_EQ(out.find("reload-key-bbbb"), std::string::npos) << "a key reached the log";
  EXPECT_EQ(proc.stop(), 0) << out;
}
