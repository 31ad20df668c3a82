// Fuzzes the providers' reference-list parsers: byte 0 picks one (modulo 3:
// Binance exchangeInfo, Polygon/Massive /v3/reference/tickers, Massive
// futures /futures/v1/contracts), the rest is the body. Checks: every row's
// tick and lot size is a normalized, non-negative decimal, a next page is a
// path, and the rows merge into bounded reference lists without crashing.
// Seeds: fuzz/seeds/reference_lists/ (the recorded fixtures, each behind
// its selector byte).

#include <cstddef>
#include <cstdint>

#include "adapters/binance/binance_instruments.hpp"
#include "adapters/massive_futures/massive_futures_instruments.hpp"
#include "adapters/polygon/polygon_tickers.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tickflow;
  if (size == 0)
    return 0;
  auto body = fuzz::as_text(data + 1, size - 1);
  result<reference_page> page = error{errc::malformed, ""};
  switch (data[0] % 3) {
    case 0: page = binance::parse_reference_list(body); break;
    case 1: page = polygon::parse_reference_list(body); break;
    default: page = massive_futures::parse_reference_list(body); break;
  }
  if (!page)
    return 0;
  for (auto& x : page->items) {
    fuzz::check_decimal(x.tick_size);
    fuzz::check_decimal(x.lot_size);
    TICKFLOW_FUZZ_CHECK(!x.tick_size.is_negative() && !x.lot_size.is_negative());
  }
  TICKFLOW_FUZZ_CHECK(page->next.empty() || page->next.front() == '/');
  reference_lists lists{8};
  auto out = lists.set("p", page->items, shape_resolver());
  TICKFLOW_FUZZ_CHECK(out.kept <= 8 && lists.merged().size() <= out.kept);
  TICKFLOW_FUZZ_CHECK(out.kept + out.dropped + out.unresolved == page->items.size());
  return 0;
}
