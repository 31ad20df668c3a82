#include "pipeline/broadcast/channel_index.hpp"

#include <algorithm>

namespace tickflow::broadcast {

channel_slot& channel_index::slot_of(const channel& c) {
  channel_slot* s = nullptr;
  switch (c.kind) {
    case channel_kind::trades:
      s = &instruments_[c.instrument].trades;
      break;
    case channel_kind::quotes:
      s = &instruments_[c.instrument].quotes;
      break;
    case channel_kind::bars:
      s = &instruments_[c.instrument].bars[c.span];
      break;
    case channel_kind::status:
      s = c.instrument == "*" ? &status_all_ : &status_slots_[c.instrument];
      break;
    case channel_kind::indicator:
      s = &indicator_of(c).slot;
      break;
    case channel_kind::book:
      s = &instruments_[c.instrument].books[c.depth];
      break;
    case channel_kind::book_top:
      s = &instruments_[c.instrument].book_top;
      break;
  }
  if (s->id == 0)
    s->id = ++next_id_;
  return *s;
}

uint32_t channel_index::add(const channel& c, subscriber& s) {
  auto& slot = slot_of(c);
  slot.subscribers.push_back(&s);
  return slot.id;
}

uint32_t channel_index::remove(const channel& c, subscriber& s) {
  auto& slot = slot_of(c);
  auto& list = slot.subscribers;
  list.erase(std::remove(list.begin(), list.end(), &s), list.end());
  return slot.id;
}

instrument_slots* channel_index::find(const std::string& instrument) {
  auto i = instruments_.find(instrument);
  return i == instruments_.end() ? nullptr : &i->second;
}

channel_slot* channel_index::status_slot(std::string_view provider) {
  auto i = status_slots_.find(provider);
  return i == status_slots_.end() ? nullptr : &i->second;
}

void channel_index::remember(const feed_status& s) {
  last_status_[{std::string{to_string(s.source)}, s.connection}] = s;
}

std::vector<feed_status>
channel_index::statuses_for(const std::string& provider) const {
  std::vector<feed_status> out;
  for (auto& [key, s] : last_status_)
    if (provider == "*" || key.first == provider)
      out.push_back(s);
  return out;
}

std::optional<std::string> channel_index::refuse_indicator(const channel& c) const {
  if (!cfg_.live)
    return "live indicators are off ([indicators] live = false)";
  auto spec = indicators::live_spec(c.indicator, c.span, cfg_.max_period);
  if (!spec)
    return spec.err().context;
  return std::nullopt;
}

indicator_slot& channel_index::indicator_of(const channel& c) {
  auto& x = instruments_[c.instrument].indicators[c.name()];
  if (!x.series) {
    // Checked by parse_channel and refuse_indicator: the spec is valid.
    auto spec = indicators::live_spec(c.indicator, c.span, indicators::period_ceiling);
    x.span = c.span;
    x.series.emplace(spec ? *spec
                          : indicators::indicator_spec{indicators::indicator_kind::sma, 1},
                     std::max<size_t>(cfg_.seed_bars, 1000));
  }
  return x;
}

void channel_index::seed_indicator(const channel& c, const std::vector<bar>& stored) {
  auto& x = indicator_of(c);
  std::vector<indicators::ohlcv> closed;
  for (auto& b : stored)
    if (b.closed)
      closed.push_back(indicators::to_ohlcv(b));
  x.series->seed(std::move(closed));
}

} // namespace tickflow::broadcast
