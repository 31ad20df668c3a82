#pragma once

// Hostile clients of the tour (issue 26), shared by the memory-bounds cases
// (tests/hardening/memory_bounds_test.cpp) and the soak (tests/chaos/
// soak_test.cpp): requests framed two ways, unbounded chunk-size lines and
// trailers, big answers never read, ping floods, legacy and other-version
// upgrades, non-minimal lengths, async jobs, floods of new instruments,
// inverted ranges. Each attack returns "" when the service answered as
// docs/API.md and docs/WEBSOCKET.md say, else what it got.

#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>
#include <string>
#include <vector>

#include "api/digest.hpp"
#include "tests/hardening/raw_frames.hpp"
#include "tests/hardening/tour_support.hpp"

namespace tickflow::test::tour {

inline const std::string host = "Host: 127.0.0.1\r\n";

/// A batch of `n` ohlcv items of `instrument` (limit bars each).
inline std::string batch_request(const std::string& instrument, int n, int limit) {
  std::string body = "{\"items\":[";
  for (int i = 0; i < n; ++i)
    body += std::string{i ? "," : ""} + R"({"symbol":")" + instrument
            + R"(","type":"ohlcv","interval":"1m","limit":)" + std::to_string(limit) + "}";
  body += "]}";
  return "POST /api/v1/data/batch HTTP/1.1\r\n" + host + "Content-Type: application/json\r\n"
         + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// Sends `head` then `filler` bytes in 64 KiB pieces, up to `total`, until an
/// answer arrives (the server stops reading at its bound); then reads it.
inline raw_reply send_until_answered(raw_tcp& c, const std::string& head, char filler,
                                     size_t total) {
  if (!c.send(head))
    return {};
  const std::string piece(64 << 10, filler);
  for (size_t sent = 0; sent < total; sent += piece.size()) {
    if (!c.send(piece) || c.read_some(std::chrono::milliseconds{1}) >= 0)
      break;
  }
  return c.read_reply();
}

/// The close code of the first close frame on `c`, reading past everything
/// before it (a ping flood leaves megabytes of pongs); 0 when none comes.
inline uint16_t close_code_after_flood(raw_tcp& c, std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  std::string buf;
  bool closed = false;
  while (std::chrono::steady_clock::now() < until) {
    buf += c.take();
    size_t at = 0;
    while (auto f = whole_frame_at(buf, at)) {
      if (f->opcode == 8)
        return f->length >= 2
                 ? static_cast<uint16_t>((static_cast<uint8_t>(buf[at + f->head]) << 8)
                                         | static_cast<uint8_t>(buf[at + f->head + 1]))
                 : 1005;
      at += f->head + static_cast<size_t>(f->length);
    }
    buf.erase(0, at);
    if (closed)
      return 0; // closed without a close frame
    closed = c.read_some(std::chrono::milliseconds{500}) == 0;
  }
  return 0;
}

/// A masked client frame with the 16-bit length form even for a short one.
inline std::string non_minimal_frame(const std::string& payload) {
  std::string out{"\x81\xfe", 2};
  out += static_cast<char>(payload.size() >> 8);
  out += static_cast<char>(payload.size() & 0xff);
  out += std::string(4, '\0');
  return out + payload;
}

/// The WebSocket upgrade request for `path`, before its version lines.
inline std::string upgrade_head(const std::string& path = "/api/v1/stream") {
  return "GET " + path + " HTTP/1.1\r\n" + host + "Upgrade: websocket\r\nConnection: Upgrade\r\n";
}

/// A signed POST /webhooks/test (the tour's webhook secret).
inline result<http_reply> push_webhook(uint16_t http_port, const std::string& body) {
  auto ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count());
  auto sig = "sha256=" + api::to_hex(api::hmac_sha256(webhook_secret, ts + "." + body));
  return http_once(http_port, "POST", "/webhooks/test", body,
                   {{"X-Tickflow-Timestamp", ts}, {"X-Tickflow-Signature", sig}});
}

/// Pushes `n` closed 1m bars of `instrument` (the newest closed a minute
/// ago) through the webhook and waits until ohlcv serves them: "" when it
/// does, else what went wrong.
inline std::string push_bars(uint16_t http_port, const std::string& instrument, int n) {
  auto now_min = std::chrono::duration_cast<std::chrono::minutes>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  std::string body = "{\"events\":[";
  for (int i = 0; i < n; ++i) {
    auto open = (now_min - n - 1 + i) * 60;
    if (i > 0)
      body += ',';
    body += R"({"type":"bar","instrument":")" + instrument
            + R"(","interval":"1m","open_time":)" + std::to_string(open)
            + R"(,"open":"100.25","high":"101.5","low":"99.75","close":"100.5",)"
              R"("volume":"1234.5678","trades":42,"closed":true})";
  }
  body += "]}";
  auto r = push_webhook(http_port, body);
  if (!r)
    return r.err().context;
  if (r->status != 202)
    return "webhook answered " + std::to_string(r->status) + " " + r->body;
  // The bars reach the cache through the pipeline: wait until served.
  for (int i = 0; i < 500; ++i) {
    auto got = http_get(http_port, "/api/v1/data/ohlcv?symbol=" + instrument
                                     + "&interval=1m&limit=" + std::to_string(n));
    if (got && got->status == 200 && got->body.size() > static_cast<size_t>(n) * 50)
      return {};
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  return "the pushed bars were never served";
}

// -- the attacks, one round each --------------------------------------------------

/// Where the attacks aim, and what they may ask for.
struct attack_target {
  uint16_t http_port = 0;
  uint16_t ws_port = 0;
  std::string big_instrument; ///< has many 1m bars: batches and jobs of it are big
  uint64_t round = 0;         ///< makes each round's new instruments new
};

/// One round of one kind of hostile client: "" when answered as documented.
struct hostile_kind {
  const char* name;
  std::function<std::string(const attack_target&)> run;
};

inline std::string expect_error(const raw_reply& r, unsigned status, const std::string& code) {
  if (is_error(r, status, code))
    return {};
  return "expected " + std::to_string(status) + " " + code + ", got "
         + std::to_string(r.status) + " " + r.body.substr(0, 120);
}

/// Every kind of hostile client the tour found (issue 26).
inline std::vector<hostile_kind> hostile_kinds() {
  using namespace std::chrono_literals;
  std::vector<hostile_kind> out;
  out.push_back({"smuggling", [](const attack_target& t) {
    const std::string smuggled = "GET /health HTTP/1.1\r\n" + host + "\r\n";
    const std::string post = "POST /api/v1/data/batch HTTP/1.1\r\n" + host;
    const std::string variants[] = {
      post + "Transfer-Encoding: chunked, identity\r\n\r\n" + smuggled,
      post + "Transfer-Encoding: gzip\r\n\r\n" + smuggled,
      post + "Transfer-Encoding: identity\r\nContent-Length: "
        + std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled};
    raw_tcp c;
    if (!c.connect(t.http_port) || !c.send(variants[t.round % 3]))
      return std::string{"connect failed"};
    auto why = expect_error(c.read_reply(), 400, "bad_request");
    if (why.empty() && !c.wait_closed())
      return std::string{"not closed after 400"};
    if (why.empty() && !c.pending().empty())
      return std::string{"the smuggled request was served"};
    return why;
  }});
  out.push_back({"no-host", [](const attack_target& t) {
    return expect_error(raw_exchange(t.http_port, "GET /health HTTP/1.1\r\n\r\n"), 400,
                        "bad_request");
  }});
  out.push_back({"chunk-size-line", [](const attack_target& t) {
    raw_tcp c;
    if (!c.connect(t.http_port))
      return std::string{"connect failed"};
    return expect_error(send_until_answered(c, "POST /api/v1/data/batch HTTP/1.1\r\n" + host
                                                 + "Transfer-Encoding: chunked\r\n\r\n1",
                                            '0', size_t{8} << 20),
                        413, "body_too_large");
  }});
  out.push_back({"chunk-trailers", [](const attack_target& t) {
    raw_tcp c;
    if (!c.connect(t.http_port))
      return std::string{"connect failed"};
    return expect_error(
      send_until_answered(c, "POST /api/v1/data/batch HTTP/1.1\r\n" + host
                               + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-Pad: ",
                          'a', size_t{8} << 20),
      431, "header_too_large");
  }});
  out.push_back({"unread-batch", [](const attack_target& t) {
    // Asks for far more than max-response-bytes and reads nothing for 2 s.
    raw_tcp c;
    if (!c.connect(t.http_port) || !c.send(batch_request(t.big_instrument, 100, 1000)))
      return std::string{"connect failed"};
    std::this_thread::sleep_for(2s);
    auto r = c.read_reply(30s);
    if (is_error(r, 413, "response_too_large") || is_error(r, 503, "unavailable"))
      return std::string{};
    return "expected 413 or 503, got " + std::to_string(r.status);
  }});
  out.push_back({"ping-flood", [](const attack_target& t) {
    raw_tcp c;
    if (!c.connect(t.ws_port)
        || !c.send(upgrade_head() + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                    "Sec-WebSocket-Version: 13\r\n\r\n"))
      return std::string{"connect failed"};
    if (auto head = c.read_reply(5s); head.status != 101)
      return "upgrade answered " + std::to_string(head.status);
    std::string burst;
    for (int i = 0; i < 10000; ++i)
      burst.append("\x89\x80\x00\x00\x00\x00", 6);
    auto stop_at = std::chrono::steady_clock::now() + 3s;
    for (int i = 0; i < 20; ++i) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        stop_at - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !c.send_for(burst, left))
        break;
    }
    auto code = close_code_after_flood(c, 20s);
    return code == 1008 ? std::string{} : "closed " + std::to_string(code) + ", not 1008";
  }});
  out.push_back({"hixie-76", [](const attack_target& t) {
    raw_tcp c;
    if (!c.connect(t.ws_port))
      return std::string{"connect failed"};
    c.send(upgrade_head() + "Origin: http://127.0.0.1\r\n"
                            "Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\n"
                            "Sec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n\r\n^n:ds[4U");
    std::string message{"\x00", 1};
    for (size_t sent = 0; sent < (size_t{4} << 20) && c.send(message); sent += message.size())
      message.assign(1 << 20, 'x');
    return expect_error(c.read_reply(5s), 426, "upgrade_required");
  }});
  out.push_back({"version-8", [](const attack_target& t) {
    return expect_error(raw_exchange(t.ws_port,
                                     upgrade_head()
                                       + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                         "Sec-WebSocket-Version: 8\r\n\r\n"),
                        426, "upgrade_required");
  }});
  out.push_back({"non-minimal-length", [](const attack_target& t) {
    frame_client c;
    if (!c.connect(t.ws_port))
      return std::string{"upgrade failed"};
    if (!c.send_raw(non_minimal_frame(R"({"op":"ping"})")))
      return std::string{"send failed"};
    auto code = c.close_code();
    return code == 1002u ? std::string{}
                         : "closed " + std::to_string(code.value_or(0)) + ", not 1002";
  }});
  out.push_back({"async-jobs", [](const attack_target& t) {
    std::string symbols;
    for (int i = 0; i < 100; ++i)
      symbols += std::string{i ? "," : ""} + "\"" + t.big_instrument + "\"";
    auto r = http_once(t.http_port, "POST", "/api/v1/data/fetch/async",
                       R"({"type":"ohlcv","interval":"1m","limit":1000,"symbols":[)" + symbols
                         + "]}");
    if (!r)
      return r.err().context;
    // 503 too_many_jobs: every async-capacity slot is taken, as documented.
    return r->status == 202 || is_error(r, 503, "too_many_jobs")
             ? std::string{}
             : "async fetch answered " + std::to_string(r->status) + " " + r->body;
  }});
  out.push_back({"instrument-flood", [](const attack_target& t) {
    auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    std::string body = "{\"events\":[";
    for (int i = 0; i < 2000; ++i)
      body += std::string{i ? "," : ""} + R"({"type":"trade","instrument":"F)"
              + std::to_string(t.round) + "N" + std::to_string(i)
              + R"(-USD","price":"1.5","size":"2","ts":)" + std::to_string(now_s) + "}";
    body += "]}";
    auto r = push_webhook(t.http_port, body);
    if (!r)
      return r.err().context;
    return r->status == 202 ? std::string{}
                            : "webhook answered " + std::to_string(r->status) + " " + r->body;
  }});
  out.push_back({"inverted-range", [](const attack_target& t) {
    auto r = raw_exchange(t.http_port, "GET /api/v1/data/historical?symbol=" + t.big_instrument
                                         + "&start=2025-01-01&end=1970-01-01 HTTP/1.1\r\n"
                                         + host + "\r\n");
    return expect_error(r, 400, "invalid_parameter");
  }});
  return out;
}

} // namespace tickflow::test::tour
