// Fuzzes the live stream dialects: stream_protocol::parse of one text frame.
// Input: byte 0 picks the dialect (mod 4: binance, polygon stocks, polygon
// crypto, finnhub), the rest is the frame. Seeds: every frame of
// tests/fixtures/{binance,polygon,finnhub}/ws/ (fuzz/seed_stream.sh) plus
// fuzz/seeds/stream/.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "adapters/binance/binance_stream.hpp"
#include "adapters/finnhub/finnhub_stream.hpp"
#include "adapters/polygon/polygon_stream.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tickflow;
  static const std::array<std::unique_ptr<stream_protocol>, 4> dialects = {
    make_binance_stream({}),
    make_polygon_stream({}, polygon_market::stocks),
    make_polygon_stream({}, polygon_market::crypto),
    make_finnhub_stream({}),
  };
  if (size < 1)
    return 0;
  const auto& dialect = dialects[data[0] % dialects.size()];
  stream_frame out;
  auto r = dialect->parse(fuzz::as_text(data + 1, size - 1),
                          1'700'000'000'000'000'000, out);
  (void) r;
  fuzz::check_batch(out.events);
  return 0;
}
