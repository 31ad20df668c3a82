// Fuzzes one provider's REST parser through rest_adapter::parse() (and
// parse_batch()), built once per provider (TICKFLOW_FUZZ_PROVIDER, its name). The
// input format (header bytes picking the fetch kind, status, interval,
// instrument, then the body) is in fuzz/rest_input.hpp.
// Seeds: scripts/fuzz.sh prefixes every tests/fixtures/<provider>/rest/ file
// with header bytes for each kind, instrument and error status.
// Checks: every decimal of every event is normalized.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <variant>

#include "adapters/registry.hpp"
#include "fuzz/fuzz_support.hpp"
#include "fuzz/rest_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tickflow;
  // The registry is installed before main (fuzz/registry_install.cpp).
  static const provider fuzzed = *provider_from_string(TICKFLOW_FUZZ_PROVIDER);
  static const std::unique_ptr<rest_adapter> adapter = make_rest_adapter(fuzzed, {});
  if (size < 2)
    return 0;
  auto c = fuzz::decode_rest_input(fuzzed, data, size);
  auto out = fuzz::run_rest_case(*adapter, fuzzed, c);
  if (const auto* r = std::get_if<fetch_result>(&out)) {
    for (const auto& x : r->prices)
      fuzz::check_event(x);
    for (const auto& x : r->bars)
      fuzz::check_event(x);
    for (const auto& x : r->quotes)
      fuzz::check_event(x);
    for (const auto& x : r->trades)
      fuzz::check_event(x);
    for (const auto& x : r->actions)
      fuzz::check_action(x);
  }
  return 0;
}
