// The tour of hostile input, part 3 (issue 26): requests framed two ways,
// and clients that make the service hold memory (huge chunk-size lines and
// trailers, big answers never read, ping floods, legacy upgrades, async job
// results, a flood of new instruments). Each case asserts the documented
// status or close code (docs/API.md, docs/WEBSOCKET.md) and that the
// service's RSS comes back within 32 MiB of its level before the case within
// 15 s.

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/hardening/hostile_clients.hpp"

using namespace tickflow::test;
using namespace tickflow::test::tour;

namespace {

constexpr uint64_t slack_kib = 32 * 1024; // 32 MiB
#if defined(__SANITIZE_ADDRESS__)
// Under ASan (./test.sh --sanitize) freed blocks wait in its quarantine (256
// MiB by default) and its allocator hands memory back to the OS lazily, so
// the RSS measures ASan, not tickflow: there the cases check their status
// and close codes only. The plain build (CI's last step) checks the RSS.
constexpr bool rss_is_tickflows = false;
#else
constexpr bool rss_is_tickflows = true;
#endif
// Ten 15 MB batch answers take over 20 s to build under ASan (3 of 10 got
// 504 in one run): there the big-answer cases allow more time.
constexpr bool slow_build = !rss_is_tickflows;
const char* const big_answer_timeout = slow_build ? "120s" : "20s";
constexpr auto big_answer_wait = slow_build ? 120s : 20s;
constexpr auto settle_within = std::chrono::seconds{15};

uint64_t rss_kib(pid_t pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::strtoull(line.c_str() + 6, nullptr, 10);
  return 0;
}

/// The median of five samples 200 ms apart.
uint64_t rss_now(pid_t pid) {
  std::vector<uint64_t> xs;
  for (int i = 0; i < 5; ++i) {
    if (i > 0)
      std::this_thread::sleep_for(200ms);
    xs.push_back(rss_kib(pid));
  }
  std::sort(xs.begin(), xs.end());
  return xs[2];
}

class MemoryBounds : public ::testing::Test {
 protected:
  void start(const tour_options& opts = {}) {
    svc_ = std::make_unique<tour_service>(opts);
    ASSERT_TRUE(svc_->alive()) << svc_->tail_of_log();
  }

  void TearDown() override {
    if (svc_)
      svc_->expect_healthy();
  }

  /// Remembers the RSS before a case.
  void mark() {
    before_ = rss_now(svc_->pid());
    peak_ = before_;
    ASSERT_GT(before_, 0u);
  }

  /// Samples the RSS (for the peak reported on failure).
  void sample() { peak_ = std::max(peak_, rss_kib(svc_->pid())); }

  /// The RSS is back within 32 MiB of mark() within 15 s.
  ::testing::AssertionResult rss_returns() {
    if (!rss_is_tickflows)
      return ::testing::AssertionSuccess();
    auto until = std::chrono::steady_clock::now() + settle_within;
    uint64_t last = 0;
    do {
      last = rss_kib(svc_->pid());
      peak_ = std::max(peak_, last);
      if (last <= before_ + slack_kib) {
        std::cout << "[   RSS    ] " << before_ / 1024 << " MiB before, peak sampled "
                  << peak_ / 1024 << " MiB, " << last / 1024 << " MiB after\n";
        return ::testing::AssertionSuccess();
      }
      std::this_thread::sleep_for(250ms);
    } while (std::chrono::steady_clock::now() < until);
    return ::testing::AssertionFailure()
           << "RSS " << last / 1024 << " MiB after 15 s, " << before_ / 1024
           << " MiB before the case (peak " << peak_ / 1024 << " MiB)";
  }

  /// POST /webhooks/test, signed.
  tickflow::result<http_reply> push(const std::string& body) {
    return push_webhook(svc_->http_port(), body);
  }

  /// `n` closed 1m bars of `instrument`, served before it returns.
  void push_bars(const std::string& instrument, int n) {
    auto why = tour::push_bars(svc_->http_port(), instrument, n);
    ASSERT_EQ(why, "");
  }

  std::unique_ptr<tour_service> svc_;
  uint64_t before_ = 0;
  uint64_t peak_ = 0;
};

} // namespace

// -- framing --------------------------------------------------------------------

TEST_F(MemoryBounds, AmbiguousFramingIs400AndNothingBehindItIsServed) {
  start();
  mark();
  const std::string smuggled = "GET /health HTTP/1.1\r\n" + host + "\r\n";
  std::string hosts;
  for (int i = 0; i < 500; ++i)
    hosts += host;
  const std::string post = "POST /api/v1/data/batch HTTP/1.1\r\n" + host;
  for (std::string request :
       {post + "Transfer-Encoding: chunked, identity\r\n\r\n" + smuggled,
        post + "Transfer-Encoding: identity\r\n\r\n" + smuggled,
        post + "Transfer-Encoding: xchunked\r\n\r\n" + smuggled,
        post + "Transfer-Encoding: gzip\r\n\r\n" + smuggled,
        post + "Transfer-Encoding: identity\r\nContent-Length: "
          + std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled,
        std::string{"GET /health HTTP/1.1\r\n\r\n"} + smuggled,
        "GET /health HTTP/1.1\r\n" + hosts + "\r\n" + smuggled}) {
    raw_tcp c;
    ASSERT_TRUE(c.connect(svc_->http_port()));
    ASSERT_TRUE(c.send(request));
    auto r = c.read_reply();
    EXPECT_TRUE(is_error(r, 400, "bad_request")) << request.substr(0, 80);
    EXPECT_EQ(raw_tcp::header("connection", r.head).value_or(""), "close");
    EXPECT_TRUE(c.wait_closed());
    EXPECT_EQ(c.pending(), "") << "the smuggled request was served";
  }
  EXPECT_TRUE(rss_returns());
}

// -- the read buffer --------------------------------------------------------------

TEST_F(MemoryBounds, HugeChunkSizeLineIs413WithoutGrowth) {
  start();
  mark();
  raw_tcp c;
  ASSERT_TRUE(c.connect(svc_->http_port()));
  auto r = send_until_answered(c,
                               "POST /api/v1/data/batch HTTP/1.1\r\n" + host
                                 + "Transfer-Encoding: chunked\r\n\r\n1",
                               '0', size_t{192} << 20);
  sample();
  EXPECT_TRUE(is_error(r, 413, "body_too_large"));
  EXPECT_NE(read_error(r.body).message.find("65536 bytes"), std::string::npos) << r.body;
  EXPECT_TRUE(c.wait_closed());
  EXPECT_LE(peak_, before_ + slack_kib) << "the read buffer grew";
  EXPECT_TRUE(rss_returns());
}

TEST_F(MemoryBounds, HugeChunkTrailersAre431WithoutGrowth) {
  start();
  mark();
  raw_tcp c;
  ASSERT_TRUE(c.connect(svc_->http_port()));
  auto r = send_until_answered(c,
                               "POST /api/v1/data/batch HTTP/1.1\r\n" + host
                                 + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-Pad: ",
                               'a', size_t{192} << 20);
  sample();
  EXPECT_TRUE(is_error(r, 431, "header_too_large"));
  EXPECT_TRUE(c.wait_closed());
  EXPECT_LE(peak_, before_ + slack_kib) << "the read buffer grew";
  EXPECT_TRUE(rss_returns());
}

// -- answers nobody reads -----------------------------------------------------------

TEST_F(MemoryBounds, BigAnswersOverMaxResponseBytesAre413) {
  // Ten clients each POST a 9 KiB batch of 100 ohlcv items (about 15 MB of
  // answer each) and do not read: every answer is refused whole.
  tour_options opts;
  opts.request_timeout = big_answer_timeout;
  opts.gateway = "max-response-bytes = 1048576\n";
  start(opts);
  push_bars("BIG-USD", 1000);
  mark();
  std::vector<raw_tcp> clients(10);
  for (auto& c : clients) {
    ASSERT_TRUE(c.connect(svc_->http_port()));
    ASSERT_TRUE(c.send(batch_request("BIG-USD", 100, 1000)));
  }
  for (int i = 0; i < 12; ++i) {
    std::this_thread::sleep_for(250ms);
    sample();
  }
  for (auto& c : clients) {
    auto r = c.read_reply(big_answer_wait);
    EXPECT_TRUE(is_error(r, 413, "response_too_large")) << r.body.substr(0, 200);
  }
  EXPECT_TRUE(rss_returns());
}

TEST_F(MemoryBounds, UnsentAnswersPastTheTotalAre503) {
  // Answers of about 15 MB, far more than a socket buffers: each one a
  // client does not read is held whole; past 32 MiB together (two of them)
  // the others get 503.
  tour_options opts;
  opts.request_timeout = big_answer_timeout;
  opts.gateway = "max-response-bytes = 33554432\nmax-unsent-bytes = 33554432\n";
  start(opts);
  push_bars("BIG-USD", 1000);
  mark();
  std::vector<raw_tcp> clients(6);
  for (auto& c : clients) {
    ASSERT_TRUE(c.connect(svc_->http_port()));
    ASSERT_TRUE(c.send(batch_request("BIG-USD", 100, 1000)));
  }
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(250ms);
    sample();
  }
  // Every answer decided (its first bytes sent) before any is read whole:
  // under ASan building six answers takes longer than the wait above, and
  // an answer read meanwhile frees its share of the budget.
  for (auto& c : clients)
    ASSERT_EQ(c.read_some(60s), 1);
  size_t ok = 0;
  size_t refused = 0;
  std::string sizes;
  for (auto& c : clients) {
    auto r = c.read_reply(big_answer_wait);
    sizes += " " + std::to_string(r.status) + ":" + std::to_string(r.body.size());
    if (r.status == 200) {
      ++ok;
      EXPECT_GT(r.body.size(), size_t{8} << 20);
    } else {
      EXPECT_TRUE(is_error(r, 503, "unavailable")) << r.head;
      EXPECT_EQ(raw_tcp::header("retry-after", r.head).value_or(""), "1");
      ++refused;
    }
  }
  EXPECT_LE(ok, 2u) << sizes;
  EXPECT_GE(refused, 4u) << sizes;
  EXPECT_TRUE(rss_returns());
}

// -- WebSocket ----------------------------------------------------------------------

TEST_F(MemoryBounds, PingFloodWithoutReadingCloses1008) {
  start();
  mark();
  raw_tcp c;
  ASSERT_TRUE(c.connect(svc_->ws_port()));
  ASSERT_TRUE(c.send("GET /api/v1/stream HTTP/1.1\r\n" + host
                     + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 13\r\n\r\n"));
  auto head = c.read_reply(5s);
  ASSERT_EQ(head.status, 101u) << head.head;
  // A million empty pings, never reading in between (for at most 3 s: the
  // server waits 5 s for the answer to its close frame, then cuts).
  std::string burst;
  for (int i = 0; i < 10000; ++i)
    burst.append("\x89\x80\x00\x00\x00\x00", 6);
  auto stop_at = std::chrono::steady_clock::now() + 3s;
  for (int i = 0; i < 100; ++i) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      stop_at - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !c.send_for(burst, left))
      break; // the server stopped reading, or closed
    if (i % 10 == 0)
      sample();
  }
  sample();
  EXPECT_EQ(close_code_after_flood(c, 20s), 1008);
  EXPECT_TRUE(rss_returns());
}

TEST_F(MemoryBounds, LegacyAndOtherVersionUpgradesAre426) {
  start();
  mark();
  const std::string upgrade = "GET /api/v1/stream HTTP/1.1\r\n" + host
                              + "Upgrade: websocket\r\nConnection: Upgrade\r\n";
  // Hixie-76: no key, no version, then a 0x00-framed message that would
  // never end.
  raw_tcp hixie;
  ASSERT_TRUE(hixie.connect(svc_->ws_port()));
  ASSERT_TRUE(hixie.send(upgrade + "Origin: http://127.0.0.1\r\n"
                                   "Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\n"
                                   "Sec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n\r\n^n:ds[4U"));
  std::string message{"\x00", 1};
  for (size_t sent = 0; sent < (size_t{64} << 20) && hixie.send(message); sent += message.size())
    message.assign(1 << 20, 'x');
  auto r = hixie.read_reply(5s);
  EXPECT_TRUE(is_error(r, 426, "upgrade_required")) << r.head;
  EXPECT_EQ(raw_tcp::header("sec-websocket-version", r.head).value_or(""), "13");
  for (auto version : {"8", "7", "0", "14"}) {
    auto v = raw_exchange(svc_->ws_port(), upgrade + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                                   "Sec-WebSocket-Version: " + version + "\r\n\r\n");
    EXPECT_TRUE(is_error(v, 426, "upgrade_required")) << version << " " << v.head;
    EXPECT_EQ(raw_tcp::header("sec-websocket-version", v.head).value_or(""), "13") << version;
  }
  EXPECT_TRUE(rss_returns());
}

TEST_F(MemoryBounds, NonMinimalLengthCloses1002) {
  start();
  mark();
  frame_client c;
  ASSERT_TRUE(c.connect(svc_->ws_port()));
  ASSERT_TRUE(c.send_raw(non_minimal_frame(R"({"op":"ping"})")));
  EXPECT_EQ(c.close_code(), 1002);
  EXPECT_TRUE(rss_returns());
}

// -- state kept per job and per instrument --------------------------------------------

TEST_F(MemoryBounds, AsyncJobResultsAreBoundedInBytes) {
  // Two jobs of about 15 MB of answers each, 4 MiB kept in all: the first
  // job's results are dropped, and it says so.
  tour_options opts;
  opts.extra = "[jobs]\nasync-result-bytes = 4194304\n";
  start(opts);
  push_bars("BIG-USD", 1000);
  mark();
  std::string symbols;
  for (int i = 0; i < 100; ++i)
    symbols += std::string{i ? "," : ""} + "\"BIG-USD\"";
  std::vector<std::string> ids;
  for (int k = 0; k < 2; ++k) {
    auto r = http_once(svc_->http_port(), "POST", "/api/v1/data/fetch/async",
                       R"({"type":"ohlcv","interval":"1m","limit":1000,"symbols":[)" + symbols
                         + "]}");
    ASSERT_TRUE(r) << r.err().context;
    ASSERT_EQ(r->status, 202u) << r->body;
    ids.push_back(str_of(parse_json(r->body), "job_id"));
  }
  auto finished = [&](const std::string& id, rapidjson::Document& out) {
    for (int i = 0; i < 600; ++i) {
      auto r = http_get(svc_->http_port(), "/api/v1/jobs/" + id);
      if (r && r->status == 200) {
        out = parse_json(r->body);
        if (out.IsObject() && out["done"].GetUint() == out["total"].GetUint())
          return true;
      }
      sample();
      std::this_thread::sleep_for(100ms);
    }
    return false;
  };
  rapidjson::Document first;
  rapidjson::Document second;
  ASSERT_TRUE(finished(ids[0], first));
  ASSERT_TRUE(finished(ids[1], second));
  EXPECT_EQ(str_of(first, "state"), "expired");
  EXPECT_EQ(first["results"].Size(), 0u);
  EXPECT_EQ(first["done"].GetUint(), 100u);
  // The second one is at most partly kept: whatever it holds fits 4 MiB.
  EXPECT_TRUE(str_of(second, "state") == "expired" || str_of(second, "state") == "done");
  EXPECT_TRUE(rss_returns());
}

TEST_F(MemoryBounds, AFloodOfNewInstrumentsKeepsTheValidatorBounded) {
  // Signed webhooks announce 60,000 instruments; the validator keeps 1000.
  tour_options opts;
  opts.validator = "max-instruments = 1000\n";
  start(opts);
  mark();
  auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  for (int k = 0; k < 10; ++k) {
    std::string body = "{\"events\":[";
    for (int i = 0; i < 6000; ++i)
      body += std::string{i ? "," : ""} + R"({"type":"trade","instrument":"N)"
              + std::to_string(k * 6000 + i) + R"(-USD","price":"1.5","size":"2","ts":)"
              + std::to_string(now_s) + "}";
    body += "]}";
    auto r = push(body);
    ASSERT_TRUE(r) << r.err().context;
    EXPECT_EQ(r->status, 202u) << r->body;
    sample();
  }
  EXPECT_TRUE(rss_returns());
}

// -- the process-wide budget ------------------------------------------------------------

TEST_F(MemoryBounds, OverTheProcessBudgetNewWorkIs503AndOperationsAnswer) {
  // A budget of 1 MiB: any running process is over it, so every new
  // request and upgrade is refused; /health, /ready, /metrics still answer.
  tour_options opts;
  opts.gateway = "max-response-bytes = 1048576\nmax-unsent-bytes = 1048576\n"
                 "max-memory = 1048576\n";
  start(opts);
  mark();
  for (auto path : {"/api/v1/data/price?symbol=BTC-USDT", "/api/v1/data/providers", "/info"}) {
    auto r = http_get(svc_->http_port(), path);
    ASSERT_TRUE(r) << r.err().context;
    EXPECT_TRUE(is_error(r, 503, "unavailable")) << path << " " << r->body;
    EXPECT_NE(r->body.find("memory budget"), std::string::npos) << r->body;
  }
  auto raw = raw_exchange(svc_->http_port(),
                          "GET /api/v1/data/price?symbol=BTC-USDT HTTP/1.1\r\n" + host + "\r\n");
  EXPECT_TRUE(is_error(raw, 503, "unavailable")) << raw.head;
  EXPECT_EQ(raw_tcp::header("retry-after", raw.head).value_or(""), "1");
  auto up = raw_exchange(svc_->ws_port(), "GET /api/v1/stream HTTP/1.1\r\n" + host
                                            + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                              "Sec-WebSocket-Version: 13\r\n\r\n");
  EXPECT_TRUE(is_error(up, 503, "unavailable")) << up.head;
  for (auto path : {"/health", "/ready", "/status"}) {
    auto r = http_get(svc_->http_port(), path);
    ASSERT_TRUE(r) << r.err().context;
    // /ready may say not_ready for its own reasons, never for the budget.
    EXPECT_EQ(r->body.find("memory budget"), std::string::npos) << path << " " << r->body;
    if (std::string{path} != "/ready") {
      EXPECT_EQ(r->status, 200u) << path << " " << r->body;
    }
  }
  auto m = http_get(svc_->http_port(), "/metrics");
  ASSERT_TRUE(m) << m.err().context;
  ASSERT_EQ(m->status, 200u);
  EXPECT_NE(m->body.find("tickflow_memory_budget_bytes 1048576"), std::string::npos);
  const std::string refusals = "\ntickflow_memory_refusals_total ";
  auto at = m->body.find(refusals);
  ASSERT_NE(at, std::string::npos) << m->body.substr(0, 2000);
  EXPECT_GE(std::strtoull(m->body.c_str() + at + refusals.size(), nullptr, 10), 5u);
  EXPECT_NE(m->body.find("tickflow_memory_resident_bytes "), std::string::npos);
  EXPECT_NE(m->body.find("tickflow_instruments{holder=\"broadcaster\"}"), std::string::npos);
  EXPECT_NE(m->body.find("tickflow_instruments_evicted_total{holder=\"validator\"}"),
            std::string::npos);
  EXPECT_TRUE(rss_returns());
}
