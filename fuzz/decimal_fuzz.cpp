// Fuzzes decimal::parse (pipeline/model/decimal). The input is the text.
// Checks: a parsed value is normalized, prints back to text that parses to
// the same value, and add/sub/mul/compare with a fixed operand never crash.

#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_support.hpp"
#include "pipeline/model/decimal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tickflow;
  auto text = fuzz::as_text(data, size);
  auto d = decimal::parse(text);
  if (!d)
    return 0;
  fuzz::check_decimal(*d);
  auto printed = d->to_string();
  auto again = decimal::parse(printed);
  TICKFLOW_FUZZ_CHECK(again.ok());
  TICKFLOW_FUZZ_CHECK(*again == *d);
  std::string appended = "x";
  d->append_to(appended);
  TICKFLOW_FUZZ_CHECK(appended == "x" + printed);
  static const decimal other = *decimal::parse("-12345.6789");
  for (auto op : {decimal::add, decimal::sub, decimal::mul})
    if (auto x = op(*d, other))
      fuzz::check_decimal(*x);
  if (auto x = decimal::mul(*d, *d))
    fuzz::check_decimal(*x);
  TICKFLOW_FUZZ_CHECK(decimal::compare(*d, *d) == 0);
  TICKFLOW_FUZZ_CHECK(decimal::compare(*d, other) == -decimal::compare(other, *d));
  (void) d->to_double();
  return 0;
}
