#include "adapters/simulator/simulator_feed.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

#include "pipeline/model/json_string.hpp"
#include "adapters/simulator/simulator_provider.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::simulator {

namespace {

using int128 = __int128;

/// Where generate() starts the clock when advance() never set it
/// (2023-11-14T22:13:20Z).
constexpr int64_t default_epoch_ns = 1'700'000'000'000'000'000;

/// Largest mantissa a price or size may reach (decimal::max_digits nines).
constexpr int64_t max_mantissa = 999'999'999'999'999'999;

/// Slack when flooring the number of due trades, so that 0.6 + 0.6 + ...
/// reaches the whole numbers it should despite binary rounding.
constexpr double due_epsilon = 1e-6;

int128 pow10(int n) noexcept {
  int128 x = 1;
  while (n-- > 0)
    x *= 10;
  return x;
}

// The grid used when a configured tick or lot size is not positive (which
// validate(topology) rejects anyway): the defaults of simulator_settings.
decimal positive_or(decimal x, decimal fallback) noexcept {
  return x.is_positive() ? x : fallback;
}

decimal tick_of(const simulator_settings& s) noexcept {
  return positive_or(s.tick_size, decimal::from_parts(1, 2));
}

decimal lot_of(const simulator_settings& s) noexcept {
  return positive_or(s.lot_size, decimal::from_parts(1, 3));
}

// Most ticks a price may have before its mantissa leaves max_digits.
int64_t max_ticks(decimal tick) noexcept {
  return std::max<int64_t>(1, max_mantissa / tick.mantissa);
}

// start / tick rounded to the nearest whole tick (halves round up), in
// 128-bit integer arithmetic on the mantissas, then clamped to
// [1, max_ticks]: e.g. 100.005 on a 0.01 grid starts at 10001 ticks
// (100.01), 0.004 starts at the 1-tick floor (0.01).
int64_t start_ticks(decimal start, decimal tick) noexcept {
  if (!start.is_positive())
    return 1;
  // start / tick = (ms / 10^ss) / (mt / 10^st) = ms * 10^st / (mt * 10^ss)
  int128 num = static_cast<int128>(start.mantissa) * pow10(tick.scale);
  int128 den = static_cast<int128>(tick.mantissa) * pow10(start.scale);
  int128 ticks = (2 * num + den) / (2 * den);
  return static_cast<int64_t>(
    std::clamp<int128>(ticks, 1, max_ticks(tick)));
}

// The provider symbol of a canonical id: the id without '-'.
std::string provider_symbol_of(std::string_view instrument) {
  std::string out;
  for (char c : instrument)
    if (c != '-')
      out += c;
  return out;
}

void append_int(std::string& out, int64_t x) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), x);
  out.append(buf, res.ptr);
}

void append_uint(std::string& out, uint64_t x) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), x);
  out.append(buf, res.ptr);
}

void append_decimal_field(std::string& out, const char* key, decimal x) {
  out += ",\"";
  out += key;
  out += "\":\"";
  x.append_to(out);
  out += '"';
}

// {"e":"trade","s":"BTCUSDT","t":17,"p":"65000.12","q":"0.015","m":false,
//  "T":1700000000123000000}
std::string trade_frame(const trade& t, uint64_t id, bool buyer_is_maker) {
  std::string out;
  out.reserve(128);
  out += R"({"e":"trade","s":")";
  // Canonical ids need no escaping, but a misconfigured one must not break
  // the frame.
  append_json_escaped(out, t.provider_symbol);
  out += R"(","t":)";
  append_uint(out, id);
  append_decimal_field(out, "p", t.price);
  append_decimal_field(out, "q", t.size);
  out += buyer_is_maker ? R"(,"m":true,"T":)" : R"(,"m":false,"T":)";
  append_int(out, t.ts_event_ns);
  out += '}';
  return out;
}

// {"e":"bar","s":"BTCUSDT","i":"1m","t":1700000040000000000,"o":"65000.1",
//  "h":"65010","l":"64990.5","c":"65001","v":"12.345","n":42,"x":true}
std::string bar_frame(const bar& b) {
  std::string out;
  out.reserve(192);
  out += R"({"e":"bar","s":")";
  append_json_escaped(out, b.provider_symbol);
  out += R"(","i":")";
  out += to_string(b.span);
  out += R"(","t":)";
  append_int(out, b.open_time_ns);
  append_decimal_field(out, "o", b.open);
  append_decimal_field(out, "h", b.high);
  append_decimal_field(out, "l", b.low);
  append_decimal_field(out, "c", b.close);
  append_decimal_field(out, "v", b.volume);
  out += R"(,"n":)";
  append_uint(out, b.trade_count);
  out += b.closed ? R"(,"x":true})" : R"(,"x":false})";
  return out;
}

} // namespace

feed::feed(const simulator_settings& settings)
  : settings_(settings),
    bars_(settings.bar_intervals),
    rng_state_(settings.seed) {
  auto tick = tick_of(settings_);
  for (auto& s : settings_.symbols) {
    walk w;
    w.instrument = s.instrument;
    w.provider_symbol = provider_symbol_of(s.instrument);
    // A repeated instrument (or two ids that only differ in '-') would make
    // two walks share one symbol; the first one wins.
    if (!symbols_.to_provider(w.instrument).empty()
        || !symbols_.to_canonical(w.provider_symbol).empty())
      continue;
    w.price_ticks = start_ticks(s.start_price, tick);
    symbols_.add(w.instrument, w.provider_symbol);
    walks_.push_back(std::move(w));
  }
}

// splitmix64 (Steele, Lea, Flood 2014; Vigna's public-domain reference):
// the same numbers on every platform, unlike std:: distributions.
uint64_t feed::next_random() {
  uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// One trade of walk w at ts_ns: three draws, in this order: the price step
// (uniform in [-max_step_ticks, max_step_ticks], multiply-shift so there is
// no modulo bias), the size in lots (uniform in [1, max_lots]) and the side
// (top bit). The price never leaves [1 tick, max_ticks].
void feed::emit_trade(walk& w, int64_t ts_ns, std::vector<std::string>& out) {
  auto uniform = [this](uint64_t n) {
    return static_cast<uint64_t>(
      (static_cast<unsigned __int128>(next_random()) * n) >> 64);
  };
  auto tick = tick_of(settings_);
  auto lot = lot_of(settings_);
  auto max_step = static_cast<int64_t>(settings_.max_step_ticks);
  auto step = static_cast<int64_t>(uniform(2 * max_step + 1)) - max_step;
  w.price_ticks = std::clamp<int64_t>(w.price_ticks + step, 1, max_ticks(tick));
  auto lots = 1 + uniform(std::max<uint32_t>(settings_.max_lots, 1));
  auto size_mantissa = std::min<int128>(
    static_cast<int128>(lots) * lot.mantissa, max_mantissa);
  bool buyer_is_maker = (next_random() >> 63) != 0;
  auto id = ++next_trade_id_;

  trade t;
  t.instrument = w.instrument;
  t.provider_symbol = w.provider_symbol;
  t.source = providers::simulator;
  t.price = decimal::from_parts(w.price_ticks * tick.mantissa, tick.scale);
  t.size = decimal::from_parts(static_cast<int64_t>(size_mantissa), lot.scale);
  t.aggressor = buyer_is_maker ? side::sell : side::buy;
  t.ts_event_ns = ts_ns;
  t.ts_recv_ns = ts_ns;
  t.flags = quality_synthetic;
  out.push_back(trade_frame(t, id, buyer_is_maker));
  w.last_trade_ns = ts_ns;

  std::vector<bar> closed;
  bars_.add(t, closed);
  for (auto& b : closed)
    out.push_back(bar_frame(b));
}

// Rate: trades_per_second x symbols trades per second in all, dealt
// round-robin over the symbols, so each symbol gets trades_per_second. The
// fractional part of the due count carries to the next call (carry_), which
// makes the total exact over any split of the time span (up to a 1e-6 slack
// against binary rounding). A clock that stands still or goes back produces
// nothing and is not moved back. generate() moves the same clock, so an
// advance() after it continues from the last generated trade.
//
// Frame budget when max_frames is tight, in priority order:
// 1. Room for close_until(now_ns) is kept back: one frame per series
//    (symbols x intervals). When even that does not fit, close_until is
//    deferred: those bars close in a later call with room, or when their
//    next trade arrives, so no closed bar is ever lost.
// 2. Trades, each with room for the bars it may close (1 + intervals).
//    Due trades that do not fit are skipped for good; the fraction carried
//    to the next call stays below one trade (no catch-up burst).
// 3. Open-bar snapshots (x:false), as many as fit; they are only emitted
//    for the symbols that traded during this call.
// 4. Quotes (settings.quotes) of those symbols, as many as fit.
size_t feed::advance(int64_t now_ns, std::vector<std::string>& out,
                     size_t max_frames) {
  if (clock_ns_ == 0) {
    clock_ns_ = now_ns;
    return 0;
  }
  if (now_ns <= clock_ns_)
    return 0;
  const auto first = out.size();
  const auto last_ns = clock_ns_;
  const auto dt_ns = static_cast<int128>(now_ns) - last_ns;
  clock_ns_ = now_ns;
  if (walks_.empty())
    return 0;

  // Trades due in (last_ns, now_ns] across all symbols.
  auto rate = settings_.trades_per_second * static_cast<double>(walks_.size());
  if (!(rate > 0) || !std::isfinite(rate))
    rate = 0;
  auto due = carry_ + static_cast<double>(dt_ns) * rate / ns_per_s;
  auto whole = std::floor(due + due_epsilon);
  carry_ = std::max(0.0, due - whole);
  // Beyond 2^62 trades the count is meaningless anyway; the cap applies.
  auto n_due = whole < 4.6e18 ? static_cast<int64_t>(whole) : int64_t{1} << 62;

  const size_t intervals = settings_.bar_intervals.size();
  const size_t close_room = walks_.size() * intervals;
  auto produced = [&] { return out.size() - first; };
  auto fits = [&](size_t frames) {
    return produced() + frames <= max_frames;
  };

  // Trades, round-robin over symbols, evenly spread: the k-th of n lands at
  // last + dt * k / n, the last one exactly at now_ns.
  std::vector<bool> traded(walks_.size(), false);
  for (int64_t k = 1; k <= n_due && fits(1 + intervals + close_room); ++k) {
    auto ts = last_ns + static_cast<int64_t>(dt_ns * k / n_due);
    auto i = round_robin_;
    round_robin_ = (round_robin_ + 1) % walks_.size();
    emit_trade(walks_[i], ts, out);
    traded[i] = true;
  }

  // Bars that ended by now close on time even when their symbol is quiet.
  if (fits(close_room)) {
    std::vector<bar> closed;
    bars_.close_until(now_ns, closed);
    for (auto& b : closed)
      out.push_back(bar_frame(b));
  }

  // Current state of the open bars of the symbols that traded.
  std::vector<std::string_view> changed;
  for (size_t i = 0; i < walks_.size(); ++i)
    if (traded[i])
      changed.push_back(walks_[i].instrument);
  if (!changed.empty()) {
    std::sort(changed.begin(), changed.end());
    std::vector<bar> open;
    bars_.open_bars(open);
    for (auto& b : open) {
      if (!fits(1))
        break;
      if (std::binary_search(changed.begin(), changed.end(),
                             std::string_view{b.instrument}))
        out.push_back(bar_frame(b));
    }
  }

  // 4. The quotes of the symbols that traded, as many as fit.
  if (settings_.quotes)
    for (size_t i = 0; i < walks_.size() && fits(1); ++i)
      if (traded[i])
        out.push_back(quote_frame(walks_[i]));
  return produced();
}

// {"e":"quote","s":"BTCUSDT","b":"65000.11","B":"0.5","a":"65000.13",
//  "A":"0.5","T":1700000000123000000}: one tick either side of the last
// trade (the bid at least one tick), max_lots / 2 lots each side. No random
// draw, so the trades of a seed are the same with quotes on or off.
std::string feed::quote_frame(const walk& w) const {
  auto tick = tick_of(settings_);
  auto lot = lot_of(settings_);
  auto bid = std::max<int64_t>(w.price_ticks - 1, 1);
  auto ask = std::min<int64_t>(w.price_ticks + 1, max_ticks(tick));
  auto lots = std::max<uint32_t>(settings_.max_lots / 2, 1);
  auto size = decimal::from_parts(
    static_cast<int64_t>(std::min<int128>(static_cast<int128>(lots) * lot.mantissa,
                                          max_mantissa)),
    lot.scale);
  std::string out;
  out.reserve(160);
  out += R"({"e":"quote","s":")";
  append_json_escaped(out, w.provider_symbol);
  out += '"';
  append_decimal_field(out, "b", decimal::from_parts(bid * tick.mantissa, tick.scale));
  append_decimal_field(out, "B", size);
  append_decimal_field(out, "a", decimal::from_parts(ask * tick.mantissa, tick.scale));
  append_decimal_field(out, "A", size);
  out += R"(,"T":)";
  append_int(out, w.last_trade_ns);
  out += '}';
  return out;
}

size_t feed::generate(size_t n, std::vector<std::string>& out) {
  const auto first = out.size();
  if (clock_ns_ == 0)
    clock_ns_ = default_epoch_ns;
  if (walks_.empty())
    return 0;
  for (size_t k = 0; k < n; ++k) {
    clock_ns_ += ns_per_us;
    auto i = round_robin_;
    round_robin_ = (round_robin_ + 1) % walks_.size();
    emit_trade(walks_[i], clock_ns_, out);
  }
  return out.size() - first;
}

} // namespace tickflow::simulator
