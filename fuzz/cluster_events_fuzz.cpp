// Fuzzes what one node reads that another node wrote: the journal's batch
// records (journal::decode_batch, read back after a restart) and the events
// of a Redis stream entry (redis::for_each_stream_event, decode_published:
// trades, tickers, bars, prices, statuses, quarantined events). The first
// byte picks: 0 a batch record, 1 a stream entry's "e" array, 2 one payload.
// Checks: a decoded batch re-encodes to a record that decodes to the same
// bytes again (version 1 records become version 2 once; the codec keeps
// decimals as stored, normalized or not); every decoded stream event's
// decimals are normalized; add_to_batch takes exactly the pipeline's
// kinds. Seeds: fuzz/seeds/cluster_events/ (made from the tests' records and
// the payloads the writers render).

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "adapters/journal/batch_codec.hpp"
#include "adapters/redis/redis_events_decode.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using namespace tickflow;

struct check_decoded {
  void operator()(const trade& x) const { fuzz::check_event(x); }
  void operator()(const quote& x) const { fuzz::check_event(x); }
  void operator()(const bar& x) const { fuzz::check_event(x); }
  void operator()(const price& x) const { fuzz::check_event(x); }
  void operator()(const feed_status&) const {}
  void operator()(const quarantined_event& x) const {
    TICKFLOW_FUZZ_CHECK(x.fields.size() <= 64);
  }
};

void one_payload(result<redis::published_event>&& e) {
  if (!e)
    return;
  std::visit(check_decoded{}, e->event);
  auto kind = e->kind;
  event_batch b;
  bool taken = redis::add_to_batch(std::move(*e), b);
  TICKFLOW_FUZZ_CHECK(taken
                      == (kind != redis::entry_kind::price
                          && kind != redis::entry_kind::quarantine));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0)
    return 0;
  auto mode = data[0] % 3;
  auto text = fuzz::as_text(data + 1, size - 1);
  if (mode == 0) {
    auto b = journal::decode_batch(text);
    if (!b)
      return 0;
    auto again = journal::encode_batch(*b);
    auto back = journal::decode_batch(again);
    TICKFLOW_FUZZ_CHECK(back.ok());
    TICKFLOW_FUZZ_CHECK(journal::encode_batch(*back) == again);
    return 0;
  }
  if (mode == 1) {
    (void) redis::for_each_stream_event(text, one_payload);
    return 0;
  }
  one_payload(redis::decode_published(text));
  return 0;
}
