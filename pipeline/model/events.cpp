#include "pipeline/model/events.hpp"

#include <iterator>

namespace tickflow {

namespace {

constexpr size_t max_instrument_length = 32;

bool is_upper_alnum(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_separator(char c) noexcept {
  return c == '-' || c == '.' || c == '=' || c == '_' || c == '/' || c == ':';
}

} // namespace

bool is_canonical_instrument(std::string_view id) noexcept {
  if (id.empty() || id.size() > max_instrument_length)
    return false;
  if (!is_upper_alnum(id[0]))
    return false;
  for (char c : id)
    if (!is_upper_alnum(c) && !is_separator(c))
      return false;
  return true;
}

// One name per bit, the last name for the highest flag.
static_assert(std::size(quality_flag_names) == 10
              && quality_defaulted == 1u << (std::size(quality_flag_names) - 1));

std::optional<quality_flag> quality_flag_from_string(std::string_view name) noexcept {
  for (size_t bit = 0; bit < std::size(quality_flag_names); ++bit)
    if (quality_flag_names[bit] == name)
      return static_cast<quality_flag>(1u << bit);
  return std::nullopt;
}

std::string_view to_string(side s) noexcept {
  switch (s) {
    case side::unknown:
      return "unknown";
    case side::buy:
      return "buy";
    case side::sell:
      return "sell";
  }
  return "unknown";
}

price price_of(const trade& t) {
  price p;
  p.instrument = t.instrument;
  p.source = t.source;
  p.value = t.price;
  p.trade_id = t.trade_id;
  p.ts_event_ns = t.ts_event_ns;
  p.ts_recv_ns = t.ts_recv_ns;
  p.flags = t.flags;
  return p;
}

std::string_view to_string(feed_state s) noexcept {
  switch (s) {
    case feed_state::connected: return "connected";
    case feed_state::disconnected: return "disconnected";
    case feed_state::reconnected: return "reconnected";
    case feed_state::degraded: return "degraded";
    case feed_state::backfilled: return "backfilled";
  }
  return "unknown";
}

} // namespace tickflow
