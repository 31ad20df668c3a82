#pragma once

// The input format of the rest_<provider> fuzz targets, shared with the
// regression tests (tests/adapters/fuzz_regressions_test.cpp) so a saved
// crash input replays exactly as the fuzzer ran it.
//
// Two header bytes, then the HTTP body:
//   byte 0: bits 0-2 fetch_kind (all 8: price .. news, splits, dividends),
//           bit 3 parse_batch instead of parse,
//           bits 4-7 status (index into rest_statuses)
//   byte 1: bits 0-3 interval (index), bits 4-5 instrument (index into the
//           provider's list), bit 6 a one-day time range, bit 7 aggregated
// Status 503 takes a Retry-After header from the body's first line.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/providers/provider_info.hpp"

namespace tickflow::fuzz {

/// Canonical ids the provider's fixtures are about, the main one first: its
/// descriptor's examples (pipeline/providers/provider_info.hpp; string
/// literals), padded with generic ones.
inline std::array<const char*, 4> rest_instruments(provider p) {
  std::array<const char*, 4> out{"AAPL", "BTC-USD", "BTC-USDT", "EUR-USD"};
  if (const auto* info = find_provider(p))
    for (size_t i = 0; i < out.size() && i < info->examples.size(); ++i)
      out[i] = info->examples[i].data();
  return out;
}

inline constexpr std::array<long, 16> rest_statuses = {
  200, 200, 200, 200, 200, 200, 200, 200, 400, 401, 403, 404, 418, 429, 500, 503};

/// The receive time every case is parsed at (2023-11-14).
inline constexpr int64_t rest_recv_ns = 1'700'000'000'000'000'000;

/// One decoded input.
struct rest_case {
  fetch_request req;
  http_reply reply;
  bool batch = false;
};

/// Decodes an input (at least 2 bytes) for provider `p`.
inline rest_case decode_rest_input(provider p, const uint8_t* data, size_t size) {
  rest_case c;
  const uint8_t b0 = data[0];
  const uint8_t b1 = data[1];
  std::string_view body{reinterpret_cast<const char*>(data + 2), size - 2};
  c.req.kind = static_cast<fetch_kind>(b0 & 0x07);
  c.req.span = static_cast<interval>(b1 & 0x0f);
  c.req.instrument = rest_instruments(p)[(b1 >> 4) & 0x03];
  if (b1 & 0x40) {
    c.req.start_ns = rest_recv_ns - 86'400'000'000'000;
    c.req.end_ns = rest_recv_ns;
  }
  c.req.aggregated = (b1 & 0x80) != 0;
  c.batch = (b0 & 0x08) != 0;
  c.reply.status = rest_statuses[b0 >> 4];
  if (c.reply.status == 503) {
    auto eol = body.find('\n');
    c.reply.headers.emplace_back("retry-after", std::string{body.substr(0, eol)});
    body = eol == std::string_view::npos ? std::string_view{} : body.substr(eol + 1);
  } else if (c.reply.status == 429 || c.reply.status == 418) {
    c.reply.headers.emplace_back("retry-after", "2");
  }
  c.reply.headers.emplace_back("content-type", "application/json");
  c.reply.body.assign(body.data(), body.size());
  return c;
}

/// Parses a decoded case as the fuzz target does.
inline fetch_outcome run_rest_case(const rest_adapter& adapter, provider p,
                                   const rest_case& c) {
  if (c.batch) {
    auto ids = rest_instruments(p);
    std::vector<std::string> all(ids.begin(), ids.end());
    return adapter.parse_batch(c.req.kind, all, c.reply, rest_recv_ns);
  }
  return adapter.parse(c.req, c.reply, rest_recv_ns);
}

} // namespace tickflow::fuzz
