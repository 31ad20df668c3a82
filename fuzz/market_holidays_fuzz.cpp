// Fuzzes polygon::parse_market_holidays (/v1/marketstatus/upcoming). The
// input is the body. Checks: every parsed early close opens before it
// closes, a closed date has no session, and the calendar the dates feed
// answers every date and slot around them without crashing.
// Seeds: fuzz/seeds/market_holidays/ (the recorded OpenAPI example).

#include <cstddef>
#include <cstdint>

#include "adapters/polygon/polygon_calendar.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tickflow;
  auto xs = polygon::parse_market_holidays(fuzz::as_text(data, size), "NYSE");
  if (!xs)
    return 0;
  for (auto& x : *xs)
    TICKFLOW_FUZZ_CHECK(x.session.open_ns == 0 || x.session.open_ns < x.session.close_ns);
  trading_calendar cal{calendar_rules::us_equity};
  cal.set_exceptions(*xs);
  for (auto& x : cal.exceptions()) {
    if (x.day < -100'000 || x.day > 100'000) // dates the calendar is asked about
      continue;
    (void) cal.session(x.day);
    (void) cal.slot_open(interval::h1, x.day * 86'400'000'000'000);
  }
  return 0;
}
