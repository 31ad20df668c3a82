// Inputs the fuzz targets (fuzz/, docs/FUZZING.md) found crashing the api
// parsers, kept as tests. The raw inputs are in fuzz/regressions/<target>/.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "api/webhook_auth.hpp"

namespace tickflow::api {
namespace {

constexpr int64_t s = 1'000'000'000;
constexpr int64_t now = 1'700'000'000 * s;

// fuzz/regressions/http_request/webhook_timestamp_overflow: any client could
// send "X-Tickflow-Timestamp: 9700000000", which passed the range check
// (<= 9'999'999'999) and overflowed int64 when scaled to ns, before the
// signature was looked at.
TEST(ApiFuzzRegressions, WebhookTimestampPast2262IsBadNotOverflowed) {
  webhook_verifier v{300 * s, 1024};
  std::string sig = "sha256=00";
  for (std::string ts : {"9700000000", "9223372037", "9999999999"})
    EXPECT_EQ(v.verify("secret", &ts, &sig, "{}", now), webhook_verdict::bad_timestamp)
      << ts;
  // The last second whose ns value fits is a timestamp, just a stale one.
  std::string last = "9223372036";
  EXPECT_EQ(v.verify("secret", &last, &sig, "{}", now), webhook_verdict::stale);
}

} // namespace
} // namespace tickflow::api
