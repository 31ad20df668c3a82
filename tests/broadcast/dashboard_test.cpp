// The dashboard in a real browser: the real tickflow binary (embedded
// default config, free loopback ports) and Debian's chromium, headless,
// driven over the DevTools protocol. The page loads, a live price cell
// changes within 5 s, nothing is loaded from elsewhere, and a screenshot is
// saved in the test output directory ($TICKFLOW_TEST_OUTPUT, or
// ./test-output), its path printed.

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/ws_client.hpp"

using namespace tickflow::test;
using namespace std::chrono_literals;

namespace {

/// The chromium binary, or "" when it is not installed.
std::string find_chromium() {
  if (const char* env = std::getenv("CHROMIUM"); env && *env)
    return env;
  for (auto p : {"/usr/bin/chromium", "/usr/lib/chromium/chromium",
                 "/usr/bin/chromium-browser"})
    if (access(p, X_OK) == 0)
      return p;
  return {};
}

std::string output_dir() {
  std::string dir = "test-output";
  if (const char* env = std::getenv("TICKFLOW_TEST_OUTPUT"); env && *env)
    dir = env;
  mkdir(dir.c_str(), 0755);
  char cwd[4096];
  if (dir.front() != '/' && getcwd(cwd, sizeof cwd))
    dir = std::string{cwd} + "/" + dir;
  return dir;
}

std::string base64_decode(const std::string& in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = value(c);
    if (v < 0)
      continue; // '=' padding, line breaks
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

/// A DevTools protocol session with one page.
class devtools {
 public:
  bool connect(const std::string& url) { return ws_.connect(url, 10000ms); }

  /// Sends a command and waits for its result (events in between are
  /// skipped); nullopt on timeout or a protocol error.
  std::optional<rapidjson::Document> call(const std::string& method,
                                          const rapidjson::Value& params,
                                          std::chrono::milliseconds timeout = 10000ms) {
    auto id = ++next_id_;
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w{buf};
    w.StartObject();
    w.Key("id");
    w.Int(id);
    w.Key("method");
    w.String(method.c_str());
    w.Key("params");
    params.Accept(w);
    w.EndObject();
    if (!ws_.send(buf.GetString()))
      return std::nullopt;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto m = ws_.receive(1000ms);
      if (!m)
        continue;
      rapidjson::Document d;
      d.Parse(m->c_str(), m->size());
      if (d.HasParseError() || !d.IsObject() || !d.HasMember("id")
          || !d["id"].IsInt() || d["id"].GetInt() != id)
        continue;
      if (d.HasMember("error"))
        return std::nullopt;
      return d;
    }
    return std::nullopt;
  }

  /// Evaluates a JavaScript expression that yields a string.
  std::optional<std::string> eval(const std::string& expression) {
    rapidjson::Document p{rapidjson::kObjectType};
    auto& a = p.GetAllocator();
    p.AddMember("expression", rapidjson::Value{expression.c_str(), a}, a);
    p.AddMember("returnByValue", true, a);
    auto r = call("Runtime.evaluate", p);
    if (!r || !(*r)["result"].HasMember("result"))
      return std::nullopt;
    auto& v = (*r)["result"]["result"];
    if (!v.HasMember("value") || !v["value"].IsString())
      return std::nullopt;
    return std::string{v["value"].GetString()};
  }

  /// A PNG of the whole page (not just the window), decoded.
  std::optional<std::string> screenshot() {
    rapidjson::Document p{rapidjson::kObjectType};
    auto& a = p.GetAllocator();
    p.AddMember("format", "png", a);
    rapidjson::Document none{rapidjson::kObjectType};
    if (auto m = call("Page.getLayoutMetrics", none);
        m && (*m)["result"].HasMember("cssContentSize")) {
      auto& size = (*m)["result"]["cssContentSize"];
      rapidjson::Value clip{rapidjson::kObjectType};
      clip.AddMember("x", 0, a);
      clip.AddMember("y", 0, a);
      clip.AddMember("width", size["width"].GetDouble(), a);
      clip.AddMember("height", size["height"].GetDouble(), a);
      clip.AddMember("scale", 1, a);
      p.AddMember("clip", clip, a);
      p.AddMember("captureBeyondViewport", true, a);
    }
    auto r = call("Page.captureScreenshot", p, 30000ms);
    if (!r || !(*r)["result"].HasMember("data"))
      return std::nullopt;
    return base64_decode((*r)["result"]["data"].GetString());
  }

  void close_browser() {
    rapidjson::Document p{rapidjson::kObjectType};
    call("Browser.close", p, 3000ms);
  }

 private:
  ws_client ws_;
  int next_id_ = 0;
};

/// The DevTools WebSocket URL of the page showing `page_url`.
std::string page_target(uint16_t port, const std::string& page_url) {
  auto r = http_get(port, "/json/list");
  if (!r || r->status != 200)
    return {};
  rapidjson::Document d;
  d.Parse(r->body.c_str(), r->body.size());
  if (d.HasParseError() || !d.IsArray())
    return {};
  for (auto& t : d.GetArray())
    if (t.IsObject() && t.HasMember("type") && std::string{t["type"].GetString()} == "page"
        && t.HasMember("url") && std::string{t["url"].GetString()}.rfind(page_url, 0) == 0
        && t.HasMember("webSocketDebuggerUrl"))
      return t["webSocketDebuggerUrl"].GetString();
  return {};
}

/// Polls `probe` every 100 ms until it returns a value `accept` takes, or
/// `limit` passes; the last value seen.
template <class Probe, class Accept>
std::optional<std::string> poll(Probe probe, Accept accept,
                                std::chrono::milliseconds limit) {
  std::optional<std::string> last;
  auto deadline = std::chrono::steady_clock::now() + limit;
  do {
    last = probe();
    if (last && accept(*last))
      return last;
    std::this_thread::sleep_for(100ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return last;
}

} // namespace

TEST(Dashboard, LoadsAndShowsLivePricesInHeadlessChromium) {
  auto chromium = find_chromium();
  ASSERT_FALSE(chromium.empty())
    << "chromium is not installed (scripts/install-deps.sh installs it)";
  auto rest = free_port();
  auto ws = free_port();
  while (ws == rest)
    ws = free_port();
  auto dir = temp_dir();
  child_process service{TICKFLOW_BINARY,
                        {"--port", std::to_string(rest), "--ws-port",
                         std::to_string(ws)},
                        dir + "/tickflow.log"};
  ASSERT_TRUE(wait_ready(rest, service)) << service.output();

  // The page and its files come from the gateway, with the WebSocket port.
  auto index = http_get(rest, "/");
  ASSERT_TRUE(index);
  ASSERT_EQ(index->status, 200u);
  ASSERT_NE(index->header("content-type"), nullptr);
  EXPECT_EQ(index->header("content-type")->rfind("text/html", 0), 0u);
  EXPECT_NE(index->body.find("/dashboard/app.js"), std::string::npos);
  for (auto file : {"/dashboard/app.js", "/dashboard/chart.js", "/dashboard/style.css"}) {
    auto r = http_get(rest, file);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u) << file;
  }
  EXPECT_EQ(http_get(rest, "/dashboard/nope.js")->status, 404u);
  auto config = http_get(rest, "/dashboard/config.json");
  ASSERT_TRUE(config);
  EXPECT_NE(config->body.find("\"port\":" + std::to_string(ws)), std::string::npos)
    << config->body;

  auto debug_port = free_port();
  auto page_url = "http://127.0.0.1:" + std::to_string(rest) + "/";
  child_process browser{
    chromium,
    {"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
     "--no-first-run", "--no-default-browser-check",
     // Loopback only: no background traffic, and any other host fails
     // (a dead local proxy, no name resolution).
     "--disable-background-networking", "--disable-component-update",
     "--disable-sync", "--disable-extensions", "--disable-default-apps",
     "--no-pings", "--disable-domain-reliability", "--disable-breakpad",
     "--disable-client-side-phishing-detection", "--metrics-recording-only",
     "--proxy-server=127.0.0.1:9",
     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
     "--remote-debugging-address=127.0.0.1",
     "--remote-debugging-port=" + std::to_string(debug_port),
     "--user-data-dir=" + dir + "/chromium-profile", "--window-size=1280,1100",
     "--hide-scrollbars", "--mute-audio", page_url},
    dir + "/chromium.log"};
  std::string target;
  for (int i = 0; i < 300 && target.empty(); ++i) {
    target = page_target(debug_port, page_url);
    if (target.empty())
      std::this_thread::sleep_for(100ms);
  }
  ASSERT_FALSE(target.empty()) << "no DevTools page:\n" << browser.output();
  devtools page;
  ASSERT_TRUE(page.connect(target)) << target;

  // The first price reaches the table over the WebSocket...
  const std::string cell =
    "(() => { const c = document.querySelector('td.price[data-instrument=\"BTC-USDT\"]');"
    " return c ? c.textContent : ''; })()";
  auto is_price = [](const std::string& v) { return !v.empty() && v != "\xe2\x80\x93"; };
  auto first = poll([&] { return page.eval(cell); }, is_price, 20s);
  ASSERT_TRUE(first && is_price(*first))
    << "no price in the table; ws state: "
    << page.eval("document.body.dataset.ws + ' ' + document.getElementById('ws-note').textContent")
         .value_or("?");
  const std::string updates = "document.getElementById('price-updates').textContent";
  auto updates_before = std::stoul(page.eval(updates).value_or("0"));
  // Read the cell again after the count: an update that landed between the
  // two reads above must not count as "the change" below.
  first = page.eval(cell);
  ASSERT_TRUE(first && is_price(*first));
  // ...and changes within 5 s.
  auto changed = poll([&] { return page.eval(cell); },
                      [&](const std::string& v) { return is_price(v) && v != *first; }, 5s);
  ASSERT_TRUE(changed);
  EXPECT_NE(*changed, *first) << "the BTC-USDT price cell did not change within 5 s";
  EXPECT_GT(std::stoul(page.eval(updates).value_or("0")), updates_before);
  EXPECT_EQ(page.eval("document.body.dataset.ws"), std::optional<std::string>{"live"});

  // The rest of the page filled in; no script errors; every resource came
  // from the gateway.
  auto panels = poll(
    [&] {
      return page.eval("[document.querySelectorAll('#providers tbody tr').length > 0,"
                       " document.querySelectorAll('#cache-stats dd').length > 0,"
                       " document.getElementById('chart-legend').textContent.length > 0]"
                       ".join(',')");
    },
    [](const std::string& v) { return v == "true,true,true"; }, 10s);
  EXPECT_EQ(panels, std::optional<std::string>{"true,true,true"})
    << "providers, cache stats, chart";
  EXPECT_EQ(page.eval("JSON.stringify(window.dashboardErrors)"),
            std::optional<std::string>{"[]"});
  auto resources = page.eval(
    "JSON.stringify(performance.getEntriesByType('resource').map(e => e.name))");
  ASSERT_TRUE(resources);
  rapidjson::Document names;
  names.Parse(resources->c_str());
  ASSERT_TRUE(names.IsArray()) << *resources;
  for (auto& n : names.GetArray())
    EXPECT_EQ(std::string{n.GetString()}.rfind(page_url, 0), 0u) << n.GetString();

  // A few candles make a better picture (not a condition of the test).
  poll([&] { return page.eval("String(state.chart.bars.length)"); },
       [](const std::string& v) { return std::stoi(v) >= 4; }, 5s);
  auto png = page.screenshot();
  ASSERT_TRUE(png);
  ASSERT_GT(png->size(), 8u);
  EXPECT_EQ(png->substr(1, 3), "PNG");
  auto path = output_dir() + "/dashboard.png";
  {
    std::ofstream out{path, std::ios::binary};
    out << *png;
    ASSERT_TRUE(out.good()) << path;
  }
  std::cout << "dashboard screenshot: " << path << std::endl;
  RecordProperty("screenshot", path);

  page.close_browser();
  browser.stop();
  EXPECT_EQ(service.stop(), 0) << service.output();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}
