#include "pipeline/validate/quarantine.hpp"

#include <algorithm>

#include "pipeline/model/time.hpp"

namespace tickflow {

namespace {

void field(quarantined_event& out, const char* key, std::string value) {
  out.fields.emplace_back(key, std::move(value));
}

void field(quarantined_event& out, const char* key, decimal value) {
  field(out, key, value.to_string());
}

void common(quarantined_event& out, const char* type, provider source,
            const std::string& instrument, int64_t event_time_ns,
            uint32_t flags) {
  out.type = type;
  out.source = source;
  out.instrument = instrument;
  out.event_time_ns = event_time_ns;
  out.flags = flags;
  out.fields.clear();
}

} // namespace

void render(const trade& x, quarantined_event& out) {
  common(out, "trade", x.source, x.instrument, x.ts_event_ns, x.flags);
  field(out, "id", x.trade_id);
  field(out, "price", x.price);
  field(out, "size", x.size);
  field(out, "side", std::string{to_string(x.aggressor)});
  field(out, "time", format_iso8601(x.ts_event_ns));
}

void render(const quote& x, quarantined_event& out) {
  common(out, "quote", x.source, x.instrument, x.ts_event_ns, x.flags);
  field(out, "bid", x.bid_price);
  field(out, "bid_size", x.bid_size);
  field(out, "ask", x.ask_price);
  field(out, "ask_size", x.ask_size);
  field(out, "time", format_iso8601(x.ts_event_ns));
}

void render(const bar& x, quarantined_event& out) {
  common(out, "bar", x.source, x.instrument, x.open_time_ns, x.flags);
  field(out, "interval", std::string{to_string(x.span)});
  field(out, "open_time", format_iso8601(x.open_time_ns));
  field(out, "open", x.open);
  field(out, "high", x.high);
  field(out, "low", x.low);
  field(out, "close", x.close);
  field(out, "volume", x.volume);
  field(out, "closed", x.closed ? "true" : "false");
}

quarantine::quarantine(size_t capacity)
    : capacity_(std::max<size_t>(capacity, 1)) {
  // nop
}

void quarantine::add(quarantined_event x) {
  totals_.added += 1;
  x.seq = totals_.added;
  (x.dropped ? totals_.dropped : totals_.flagged) += 1;
  totals_.by_rule[index_of(x.why)] += 1;
  if (ring_.size() < capacity_) {
    ring_.push_back(std::move(x));
    return;
  }
  totals_.evicted += 1;
  ring_[next_] = std::move(x);
  next_ = (next_ + 1) % capacity_;
}

std::vector<quarantined_event>
quarantine::recent(size_t n, std::string_view instrument) const {
  std::vector<quarantined_event> out;
  auto held = ring_.size();
  // Newest is just before next_ (or the last one while filling up).
  for (size_t i = 0; i < held && out.size() < n; ++i) {
    auto& x = ring_[(next_ + held - 1 - i) % held];
    if (instrument.empty() || x.instrument == instrument)
      out.push_back(x);
  }
  return out;
}

} // namespace tickflow
