// Fuzzes the config parser: load_topology of an INI text (the whole schema:
// ini.cpp, every topology_<area>.cpp and the cross-key checks), and the
// API key file parser (api_key_set::parse) on the same text.
// Seeds: configs/*.ini, tests/configs/**/*.ini, fuzz/seeds/config/.
//
// [jobs] crypto-file / stocks-file name a file the parser reads; inputs that
// could point it at a device or a pseudo file (/dev/zero never ends) are
// skipped: they test the machine, not the parser.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/api_keys.hpp"
#include "fuzz/fuzz_support.hpp"
#include "pipeline/topology/topology.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tickflow;
  auto text = fuzz::as_text(data, size);
  for (std::string_view risky : {"dev/", "proc/", "sys/", "/run/", "fd/"})
    if (text.find(risky) != std::string_view::npos)
      return 0;
  auto t = load_topology(text, "fuzz.ini");
  if (!t)
    TICKFLOW_FUZZ_CHECK(t.err().code == errc::config_invalid);
  (void) api::api_key_set::parse(text, "fuzz.keys");
  return 0;
}
