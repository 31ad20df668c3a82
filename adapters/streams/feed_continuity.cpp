#include "adapters/streams/feed_continuity.hpp"

#include <algorithm>
#include <charconv>

#include "pipeline/providers/provider_info.hpp"

namespace tickflow {

namespace {

// Integer id ranges kept per trade series (older ranges are forgotten).
constexpr size_t max_ranges = 256;

// Providers whose descriptor promises consecutive trade ids per symbol and
// a bar for every interval (stream_traits::consecutive_ids); the others'
// events are only deduplicated.
bool is_consecutive(provider p) noexcept {
  auto* info = find_provider(p);
  return info != nullptr && info->streams.consecutive_ids;
}

// A consecutive provider's trade id as an integer: "12345", or "a12345" for
// aggregate trade ids.
bool integer_id(const trade& x, int64_t& n, bool& agg) noexcept {
  agg = false;
  if (x.trade_id.empty() || !is_consecutive(x.source))
    return false;
  std::string_view digits = x.trade_id;
  if (digits.front() == 'a') {
    agg = true;
    digits.remove_prefix(1);
  }
  if (digits.empty())
    return false;
  auto end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, n);
  return ec == std::errc{} && ptr == end && n >= 0;
}

bool is_agg_id(const trade& x) noexcept {
  return !x.trade_id.empty() && x.trade_id.front() == 'a' && is_consecutive(x.source);
}

// A bar span with a fixed length (months vary).
int64_t fixed_span_ns(interval iv) noexcept {
  return iv == interval::mo1 ? 0 : interval_ns(iv);
}

stream_subscription sub_for(const std::vector<stream_subscription>& subs,
                            stream_subscription wanted) {
  for (const auto& s : subs)
    if (s == wanted)
      return s;
  return wanted;
}

} // namespace

feed_continuity::feed_continuity(size_t memory_per_series)
    : memory_(memory_per_series > 0 ? memory_per_series : 1) {
  // nop
}

bool feed_continuity::trade_passed(trade_series& s, const std::string& id,
                                   bool integer, int64_t n) const {
  if (!integer)
    return s.seen.count(id) > 0;
  auto it = std::upper_bound(s.ranges.begin(), s.ranges.end(), n,
                             [](int64_t v, const auto& r) { return v < r.first; });
  if (it == s.ranges.begin())
    return false;
  --it;
  return n <= it->second;
}

void feed_continuity::remember_trade(trade_series& s, const std::string& id,
                                     bool integer, int64_t n) {
  if (!integer) {
    if (!s.seen.insert(id).second)
      return;
    s.order.push_back(id);
    while (s.order.size() > memory_) {
      s.seen.erase(s.order.front());
      s.order.pop_front();
    }
    return;
  }
  auto& r = s.ranges;
  // First range starting after n; the one before may touch n.
  auto it = std::upper_bound(r.begin(), r.end(), n,
                             [](int64_t v, const auto& x) { return v < x.first; });
  bool joins_prev = it != r.begin() && std::prev(it)->second + 1 >= n;
  bool joins_next = it != r.end() && it->first - 1 <= n;
  if (joins_prev && joins_next) {
    auto prev = std::prev(it);
    prev->second = std::max(prev->second, it->second);
    r.erase(it);
  } else if (joins_prev) {
    auto prev = std::prev(it);
    prev->second = std::max(prev->second, n);
  } else if (joins_next) {
    it->first = n;
  } else {
    r.insert(it, {n, n});
  }
  // Bounded: the oldest ids are forgotten first.
  if (r.size() > max_ranges)
    r.erase(r.begin());
}

bool feed_continuity::bar_closed(const bar_series& s, int64_t open_ns) const {
  return s.closed.count(open_ns) > 0;
}

void feed_continuity::remember_closed_bar(bar_series& s, int64_t open_ns) {
  if (!s.closed.insert(open_ns).second)
    return;
  s.order.push_back(open_ns);
  while (s.order.size() > memory_) {
    s.closed.erase(s.order.front());
    s.order.pop_front();
  }
}

feed_continuity::trade_series& feed_continuity::series_of(const trade& x, bool& integer,
                                                          int64_t& n, bool& agg) {
  agg = false;
  integer = integer_id(x, n, agg);
  if (!integer)
    agg = is_agg_id(x);
  return trades_[{x.instrument, agg}];
}

std::vector<feed_gap>
feed_continuity::on_live(const std::vector<stream_subscription>& subs,
                         event_batch& b) {
  std::vector<feed_gap> gaps;
  // Trades, in arrival order.
  {
    std::vector<trade> kept;
    kept.reserve(b.trades.size());
    for (auto& x : b.trades) {
      int64_t n = 0;
      bool integer = false, agg = false;
      auto& s = series_of(x, integer, n, agg);
      if (!x.trade_id.empty() && trade_passed(s, x.trade_id, integer, n)) {
        ++dropped_;
        continue;
      }
      if (integer && is_consecutive(x.source) && s.have_last
          && n > s.last_id + 1) {
        if (!s.resync) {
          stream_subscription want{x.instrument,
                                   agg ? stream_kind::agg_trades
                                       : stream_kind::trades,
                                   interval::m1};
          feed_gap g;
          g.sub = sub_for(subs, want);
          g.from_ns = s.last_event_ns;
          g.to_ns = x.ts_event_ns;
          g.why = std::string{agg ? "aggTrade" : "trade"} + " ids "
                  + std::to_string(s.last_id + 1) + ".."
                  + std::to_string(n - 1) + " missing";
          gaps.push_back(std::move(g));
        }
      }
      s.resync = false;
      if (!x.trade_id.empty())
        remember_trade(s, x.trade_id, integer, n);
      if (integer && (!s.have_last || n > s.last_id)) {
        s.last_id = n;
        s.have_last = true;
      }
      s.last_event_ns = std::max(s.last_event_ns, x.ts_event_ns);
      kept.push_back(std::move(x));
    }
    b.trades = std::move(kept);
  }
  // Bars: closed ones once; open updates only while the bar is open.
  {
    std::vector<bar> kept;
    kept.reserve(b.bars.size());
    for (auto& x : b.bars) {
      auto& s = bars_[{x.instrument, x.span}];
      if (bar_closed(s, x.open_time_ns)) {
        ++dropped_;
        continue;
      }
      auto span_ns = fixed_span_ns(x.span);
      if (is_consecutive(x.source) && span_ns > 0 && s.have_last
          && x.open_time_ns > s.last_open_ns + span_ns) {
        if (!s.resync) {
          feed_gap g;
          g.sub = sub_for(subs, {x.instrument, stream_kind::bars, x.span});
          g.from_ns = s.last_open_ns + span_ns;
          g.to_ns = x.open_time_ns - span_ns;
          g.why = "bars of " + std::string{to_string(x.span)} + " missing ("
                  + std::to_string((x.open_time_ns - s.last_open_ns) / span_ns
                                   - 1)
                  + ")";
          gaps.push_back(std::move(g));
        }
      }
      s.resync = false;
      if (x.closed)
        remember_closed_bar(s, x.open_time_ns);
      if (!s.have_last || x.open_time_ns > s.last_open_ns) {
        s.last_open_ns = x.open_time_ns;
        s.have_last = true;
      }
      s.last_event_ns = std::max(s.last_event_ns, x.open_time_ns);
      kept.push_back(std::move(x));
    }
    b.bars = std::move(kept);
  }
  // Quotes: nothing to deduplicate, only the time for reconnect gaps.
  for (const auto& x : b.quotes) {
    auto& s = quotes_[x.instrument];
    s.last_event_ns = std::max(s.last_event_ns, x.ts_event_ns);
  }
  return gaps;
}

void feed_continuity::on_backfill(event_batch& b) {
  {
    std::vector<trade> kept;
    kept.reserve(b.trades.size());
    for (auto& x : b.trades) {
      int64_t n = 0;
      bool integer = false, agg = false;
      auto& s = series_of(x, integer, n, agg);
      if (!x.trade_id.empty() && trade_passed(s, x.trade_id, integer, n)) {
        ++dropped_;
        continue;
      }
      if (!x.trade_id.empty())
        remember_trade(s, x.trade_id, integer, n);
      if (integer && (!s.have_last || n > s.last_id)) {
        s.last_id = n;
        s.have_last = true;
      }
      s.last_event_ns = std::max(s.last_event_ns, x.ts_event_ns);
      x.flags |= quality_backfilled;
      kept.push_back(std::move(x));
    }
    b.trades = std::move(kept);
  }
  {
    std::vector<bar> kept;
    kept.reserve(b.bars.size());
    for (auto& x : b.bars) {
      auto& s = bars_[{x.instrument, x.span}];
      // Open bars are left to the live feed, which will close them.
      if (!x.closed || bar_closed(s, x.open_time_ns)) {
        ++dropped_;
        continue;
      }
      remember_closed_bar(s, x.open_time_ns);
      if (!s.have_last || x.open_time_ns > s.last_open_ns) {
        s.last_open_ns = x.open_time_ns;
        s.have_last = true;
      }
      s.last_event_ns = std::max(s.last_event_ns, x.open_time_ns);
      x.flags |= quality_backfilled;
      kept.push_back(std::move(x));
    }
    b.bars = std::move(kept);
  }
  for (auto& x : b.quotes)
    x.flags |= quality_backfilled;
}

std::vector<feed_gap>
feed_continuity::on_reconnect(const std::vector<stream_subscription>& subs,
                              int64_t down_ns, int64_t up_ns) {
  std::vector<feed_gap> gaps;
  auto add = [&](const stream_subscription& sub, int64_t last_ns) {
    if (last_ns <= 0)
      return;
    feed_gap g;
    g.sub = sub;
    g.from_ns = last_ns;
    g.to_ns = std::max(up_ns, last_ns);
    g.why = "disconnected for "
            + std::to_string(std::max<int64_t>(0, up_ns - down_ns) / 1'000'000)
            + " ms";
    gaps.push_back(std::move(g));
  };
  for (const auto& sub : subs) {
    bool repeated = false;
    for (const auto& g : gaps)
      repeated = repeated || g.sub == sub;
    if (repeated)
      continue;
    switch (sub.kind) {
      case stream_kind::trades:
      case stream_kind::agg_trades: {
        auto it = trades_.find({sub.instrument,
                                sub.kind == stream_kind::agg_trades});
        if (it == trades_.end())
          break;
        add(sub, it->second.last_event_ns);
        it->second.resync = true;
        break;
      }
      case stream_kind::bars: {
        auto it = bars_.find({sub.instrument, sub.span});
        if (it == bars_.end())
          break;
        add(sub, it->second.last_event_ns);
        it->second.resync = true;
        break;
      }
      case stream_kind::quotes: {
        auto it = quotes_.find(sub.instrument);
        if (it != quotes_.end())
          add(sub, it->second.last_event_ns);
        break;
      }
    }
  }
  return gaps;
}

} // namespace tickflow
