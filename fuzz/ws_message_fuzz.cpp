// Fuzzes the WebSocket client message handler's parsing (api/ws_protocol):
// parse_client_command on a text frame, then parse_channel on each channel
// it names. Checks: a parsed channel's canonical name parses back to the
// same channel; error messages built from the input are valid JSON.
// Seeds: fuzz/seeds/ws_message/ (hand-written client messages).

#include <cstddef>
#include <cstdint>

#include <rapidjson/document.h>

#include "api/ws_protocol.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

void check_json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  TICKFLOW_FUZZ_CHECK(!doc.HasParseError());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tickflow;
  auto text = fuzz::as_text(data, size);
  auto cmd = api::parse_client_command(text);
  if (!cmd) {
    check_json(api::error_message("bad_message", cmd.err().context));
    return 0;
  }
  for (const auto& name : cmd->channels) {
    auto ch = api::parse_channel(name);
    if (!ch) {
      check_json(api::error_message("unknown_channel", ch.err().context, name));
      continue;
    }
    auto again = api::parse_channel(ch->name());
    TICKFLOW_FUZZ_CHECK(again.ok());
    TICKFLOW_FUZZ_CHECK(again->name() == ch->name());
    TICKFLOW_FUZZ_CHECK(again->kind == ch->kind);
    TICKFLOW_FUZZ_CHECK(again->instrument == ch->instrument);
  }
  check_json(api::subscribed_message(cmd->channels));
  return 0;
}
