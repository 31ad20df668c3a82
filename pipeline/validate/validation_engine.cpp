#include "pipeline/validate/validation_engine.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

#include "pipeline/model/time.hpp"
#include "pipeline/validate/reason_text.hpp"

namespace tickflow {

namespace {

// -- helpers ------------------------------------------------------------------

// Quality bit a flag finding of rule r sets; sanity rules have none.
uint32_t flag_of(rule r) noexcept {
  switch (r) {
    case rule::future_timestamp:
      return quality_future;
    case rule::stale_event:
      return quality_stale;
    case rule::duplicate:
      return quality_duplicate;
    case rule::out_of_order:
      return quality_out_of_order;
    case rule::outlier_zscore:
    case rule::outlier_mad:
      return quality_outlier;
    case rule::divergence:
      return quality_divergent;
    default:
      return quality_none;
  }
}

// Exact (a + b) / 2; nullopt when it does not fit.
std::optional<decimal> midpoint(decimal a, decimal b) {
  auto sum = decimal::add(a, b);
  if (!sum)
    return std::nullopt;
  auto half = decimal::mul(*sum, decimal::from_parts(5, 1));
  if (!half)
    return std::nullopt;
  return *half;
}

// Exact |a - b|; nullopt when it does not fit.
std::optional<decimal> distance(decimal a, decimal b) {
  auto d = a < b ? decimal::sub(b, a) : decimal::sub(a, b);
  if (!d)
    return std::nullopt;
  return *d;
}

std::string percent(double ratio) {
  return format_fixed(ratio * 100, 2) + "%";
}

// What the rules need to know about an event, whatever its type.
struct event_view {
  series_kind kind = series_kind::trade;
  interval span = interval::m1;
  int64_t time_ns = 0;       // future, order (bars: open time)
  int64_t end_ns = 0;        // freshness (bars: open time + interval)
  int64_t price_time_ns = 0; // divergence
  std::optional<decimal> price; // trade price, quote mid, bar close
  bool feeds_returns = true;    // trades, quotes, closed bars
  bool closed_bar = false;
  bool backfilled = false;
  const std::string* trade_id = nullptr;
  const char* time_name = "event time";
};

event_view view_of(const trade& x) {
  event_view v;
  v.kind = series_kind::trade;
  v.time_ns = v.end_ns = v.price_time_ns = x.ts_event_ns;
  v.price = x.price;
  v.backfilled = (x.flags & quality_backfilled) != 0;
  v.trade_id = &x.trade_id;
  return v;
}

event_view view_of(const quote& x) {
  event_view v;
  v.kind = series_kind::quote;
  v.time_ns = v.end_ns = v.price_time_ns = x.ts_event_ns;
  v.price = midpoint(x.bid_price, x.ask_price);
  v.backfilled = (x.flags & quality_backfilled) != 0;
  return v;
}

event_view view_of(const bar& x) {
  event_view v;
  v.kind = series_kind::bar;
  v.span = x.span;
  v.time_ns = x.open_time_ns;
  v.end_ns = saturated_add(x.open_time_ns, interval_ns(x.span));
  // An open bar's close is the price as of when we received it.
  v.price_time_ns = x.closed         ? v.end_ns
                    : x.ts_recv_ns > 0 ? x.ts_recv_ns
                                       : x.open_time_ns;
  v.price = x.close;
  v.feeds_returns = x.closed;
  v.closed_bar = x.closed;
  v.backfilled = (x.flags & quality_backfilled) != 0;
  v.time_name = "bar open time";
  return v;
}

std::string_view kind_name(series_kind k) noexcept {
  switch (k) {
    case series_kind::trade:
      return "trade";
    case series_kind::quote:
      return "quote";
    case series_kind::bar:
      return "bar";
  }
  return "event";
}

// "<provider> 105" pairs for a divergence reason, by provider.
std::string list_prices(std::vector<provider_price> xs) {
  std::sort(xs.begin(), xs.end(), [](auto& a, auto& b) {
    return a.source < b.source;
  });
  std::string out;
  for (auto& x : xs) {
    if (!out.empty())
      out += ", ";
    out += to_string(x.source);
    out += ' ';
    x.value.append_to(out);
  }
  return out;
}

// The divergence among the peers, if any: reason, suspect.
struct divergence_result {
  std::string reason;
  std::optional<provider> suspect;
};

// Sorts `peers` by price.
std::optional<divergence_result>
find_divergence(std::vector<provider_price>& peers,
                const divergence_settings& s) {
  std::sort(peers.begin(), peers.end(), [](auto& a, auto& b) {
    return a.value < b.value;
  });
  auto n = peers.size();
  decimal median = peers[n / 2].value;
  if (n % 2 == 0)
    median = midpoint(peers[n / 2 - 1].value, peers[n / 2].value)
               .value_or(peers[n / 2 - 1].value);
  double m = median.to_double();
  if (!(m > 0))
    return std::nullopt;
  double spread = (peers.back().value.to_double()
                   - peers.front().value.to_double())
                  / m;
  if (!(spread > s.max_spread))
    return std::nullopt;
  // The provider strictly farthest from the median, exactly.
  std::optional<size_t> far;
  bool tie = false;
  std::optional<decimal> far_distance;
  for (size_t i = 0; i < n; ++i) {
    auto d = distance(peers[i].value, median);
    if (!d)
      return std::nullopt;
    if (!far_distance || *d > *far_distance) {
      far = i;
      far_distance = d;
      tie = false;
    } else if (*d == *far_distance) {
      tie = true;
    }
  }
  divergence_result out;
  std::string limit = percent(s.max_spread);
  if (n >= 3 && far && !tie) {
    auto& odd = peers[*far];
    out.suspect = odd.source;
    out.reason = std::string{to_string(odd.source)} + ' '
                 + odd.value.to_string() + " is "
                 + percent(far_distance->to_double() / m)
                 + " off the median " + median.to_string() + " of "
                 + std::to_string(n) + " providers (" + list_prices(peers)
                 + "); spread " + percent(spread) + " > " + limit;
  } else {
    out.reason = "spread " + percent(spread) + " > " + limit + " across "
                 + std::to_string(n) + " providers (" + list_prices(peers)
                 + "), median " + median.to_string()
                 + "; no single provider is off";
  }
  return out;
}

} // namespace

// -- stale symbols ------------------------------------------------------------

finding to_finding(const stale_symbol& s) {
  finding f;
  f.which = rule::stale_symbol;
  f.level = severity::high;
  f.action = rule_action::pass;
  f.instrument = s.instrument;
  f.source = s.last_source.value_or(provider{});
  f.reason = "no update for " + format_duration(s.silent_ns) + " (cadence "
             + format_duration(s.cadence_ns) + ") since "
             + format_iso8601(s.last_update_ns);
  if (s.last_source) {
    f.reason += ", last from ";
    f.reason += to_string(*s.last_source);
  } else {
    f.reason += ", no accepted event yet";
  }
  return f;
}

// -- validation_engine --------------------------------------------------------

validation_engine::validation_engine(validation_settings settings)
    : settings_(std::move(settings)),
      quarantine_(settings_.quarantine_capacity) {
  // nop
}

verdict validation_engine::check(trade& x, int64_t now_ns) {
  return run(x, now_ns);
}

verdict validation_engine::check(quote& x, int64_t now_ns) {
  return run(x, now_ns);
}

verdict validation_engine::check(bar& x, int64_t now_ns) {
  return run(x, now_ns);
}

symbol_state* validation_engine::state_for(std::string_view instrument) {
  if (!is_canonical_instrument(instrument))
    return nullptr;
  auto i = symbols_.find(instrument);
  if (i != symbols_.end()) {
    // Seen again: the most recent. A splice, not an allocation.
    recency_.splice(recency_.begin(), recency_, i->second.recency);
    return &i->second.state;
  }
  if (symbols_.size() >= std::max<size_t>(settings_.max_instruments, 1)) {
    // Full: the least recently seen instrument makes room.
    symbols_.erase(symbols_.find(*recency_.back()));
    recency_.pop_back();
    evicted_ += 1;
  }
  i = symbols_.emplace(std::string{instrument}, instrument_entry{}).first;
  recency_.push_front(&i->first);
  i->second.recency = recency_.begin();
  return &i->second.state;
}

series_state& validation_engine::series_for(symbol_state& st,
                                            const series_key& key) {
  return st.series
    .try_emplace(key, settings_.duplicate_memory, settings_.zscore.window,
                 settings_.mad.window)
    .first->second;
}

template <class Event>
verdict validation_engine::run(Event& x, int64_t now_ns) {
  const auto& s = settings_;
  verdict v;
  auto ev = view_of(x);
  symbol_state* st = state_for(x.instrument);
  series_state* ser = nullptr;
  if (st) {
    ser = &series_for(*st, series_key{x.source, ev.kind, ev.span});
    // First sight starts the stale clock, even if this event is dropped.
    if (!st->last_update_ns)
      st->last_update_ns = now_ns;
  }

  // Records a finding; false when it drops the event (evaluation stops).
  auto add = [&](rule r, severity level, std::string reason,
                 std::optional<provider> suspect = std::nullopt) {
    auto action = s.of(r).action;
    v.findings.push_back(finding{r, level, action, std::move(reason),
                                 x.instrument, x.source, suspect});
    if (action == rule_action::drop) {
      v.action = event_action::drop;
      return false;
    }
    if (action == rule_action::flag) {
      auto bit = flag_of(r);
      x.flags |= bit;
      v.flags |= bit;
    }
    return true;
  };

  // What the rules found, for the commit below.
  bool sane = true;
  bool future = false;
  bool duplicate = false;
  bool outlier = false;
  bool in_order = !ser || !ser->last_time_ns
                  || ev.time_ns >= *ser->last_time_ns;
  bool has_price = ev.price && ev.price->is_positive();
  std::optional<double> log_return;
  if (ser && has_price && ser->reference)
    log_return = std::log(ev.price->to_double() / ser->reference->to_double());

  auto evaluate = [&] {
    // 1. Sanity rules.
    sanity_.clear();
    check_all(x, sanity_);
    for (auto& r : sanity_) {
      if (!s.enabled(r.why))
        continue;
      sane = false;
      if (!add(r.why, default_severity(r.why), std::move(r.reason)))
        return;
    }
    // 2. Future timestamps.
    if (s.enabled(rule::future_timestamp)
        && saturated_sub(ev.time_ns, now_ns) > s.max_future_skew_ns) {
      future = true;
      if (!add(rule::future_timestamp, default_severity(rule::future_timestamp),
               std::string{ev.time_name} + ' ' + format_iso8601(ev.time_ns)
                 + " is "
                 + format_duration(saturated_sub(ev.time_ns, now_ns))
                 + " ahead of now " + format_iso8601(now_ns)
                 + " (max skew " + format_duration(s.max_future_skew_ns)
                 + ")"))
        return;
    }
    // 3. Freshness.
    if (s.enabled(rule::stale_event) && s.freshness_bound_ns > 0
        && !ev.backfilled
        && saturated_sub(now_ns, ev.end_ns) > s.freshness_bound_ns) {
      auto what = ev.kind == series_kind::bar ? "bar close time"
                                               : "event time";
      if (!add(rule::stale_event, default_severity(rule::stale_event),
               std::string{what} + ' ' + format_iso8601(ev.end_ns) + " is "
                 + format_duration(saturated_sub(now_ns, ev.end_ns))
                 + " older than now " + format_iso8601(now_ns)
                 + " (freshness bound "
                 + format_duration(s.freshness_bound_ns) + ")"))
        return;
    }
    if (!ser)
      return; // no per-instrument state for a non-canonical id
    // 4. Duplicates.
    if (s.enabled(rule::duplicate)) {
      std::string reason;
      if (ev.trade_id && !ev.trade_id->empty()
          && ser->trade_ids.contains(id_hash(*ev.trade_id))) {
        reason = "trade id " + *ev.trade_id + " already seen from ";
      } else if (ev.closed_bar && ser->closed_bars.contains(ev.time_ns)) {
        reason = "closed " + std::string{to_string(ev.span)}
                 + " bar opened at " + format_iso8601(ev.time_ns)
                 + " already seen from ";
      }
      if (!reason.empty()) {
        duplicate = true;
        reason += to_string(x.source);
        if (!add(rule::duplicate, default_severity(rule::duplicate),
                 std::move(reason)))
          return;
      }
    }
    // 5. Order.
    if (s.enabled(rule::out_of_order) && !duplicate && !ev.backfilled) {
      std::string reason;
      if (!in_order) {
        reason = std::string{ev.time_name} + ' ' + format_iso8601(ev.time_ns)
                 + " is "
                 + format_duration(
                   saturated_sub(*ser->last_time_ns, ev.time_ns))
                 + " before the newest " + format_iso8601(*ser->last_time_ns)
                 + " of the " + std::string{to_string(x.source)} + ' '
                 + std::string{kind_name(ev.kind)} + " series";
      } else if (ev.kind == series_kind::bar && !ev.closed_bar
                 && ser->closed_bars.contains(ev.time_ns)) {
        reason = "update of the " + std::string{to_string(ev.span)}
                 + " bar opened at " + format_iso8601(ev.time_ns)
                 + " after it closed";
      }
      if (!reason.empty()
          && !add(rule::out_of_order, default_severity(rule::out_of_order),
                  std::move(reason)))
        return;
    }
    // 6, 7. Outliers, for events that would advance their series.
    if (sane && !future && !duplicate && in_order && log_return) {
      auto describe = [&](const return_window::score& sc, const char* unit,
                          const char* center, double limit) {
        return "price " + ev.price->to_string() + " vs reference "
               + ser->reference->to_string() + ": log return "
               + format_fixed(*log_return, 6) + " is "
               + format_fixed(sc.value, 2) + ' ' + unit + " from the "
               + center + ' ' + format_fixed(sc.center, 6) + " of "
               + std::to_string(sc.samples) + " returns (limit "
               + format_general(limit) + ")";
      };
      if (s.enabled(rule::outlier_zscore)) {
        auto sc = ser->returns.zscore(*log_return, s.zscore.min_samples,
                                      s.outliers.scale_floor);
        if (sc && sc->value > s.zscore.threshold) {
          outlier = true;
          if (!add(rule::outlier_zscore, default_severity(rule::outlier_zscore),
                   describe(*sc, "sigma", "mean", s.zscore.threshold)))
            return;
        }
      }
      if (s.enabled(rule::outlier_mad)) {
        auto sc = ser->returns.mad_score(*log_return, s.mad.min_samples,
                                         s.outliers.scale_floor);
        if (sc && sc->value > s.mad.threshold) {
          outlier = true;
          if (!add(rule::outlier_mad, default_severity(rule::outlier_mad),
                   describe(*sc, "scaled MADs", "median", s.mad.threshold)))
            return;
        }
      }
    }
    // 8. Divergence across providers.
    if (s.enabled(rule::divergence) && sane && !future && !duplicate
        && has_price) {
      auto& peers = peers_;
      peers.clear();
      peers.push_back({x.source, *ev.price, ev.price_time_ns});
      for (auto& p : st->latest) {
        auto apart = saturated_sub(p.time_ns, ev.price_time_ns);
        if (p.source != x.source && apart <= s.divergence.window_ns
            && apart >= -s.divergence.window_ns)
          peers.push_back(p);
      }
      if (peers.size() >= s.divergence.min_providers) {
        if (auto d = find_divergence(peers, s.divergence)) {
          auto level = d->suspect && *d->suspect == x.source ? severity::high
                                                             : severity::low;
          if (!add(rule::divergence, level, std::move(d->reason), d->suspect))
            return;
        }
      }
    }
  };
  evaluate();

  // Commit what an accepted event changes.
  if (v.accepted() && st) {
    st->last_update_ns = now_ns;
    st->last_source = x.source;
    if (ev.trade_id && !ev.trade_id->empty())
      ser->trade_ids.insert(id_hash(*ev.trade_id));
    if (ev.closed_bar)
      ser->closed_bars.insert(ev.time_ns);
    if (!future && in_order)
      ser->last_time_ns = ev.time_ns;
    if (sane && !future && !duplicate && in_order && has_price
        && ev.feeds_returns) {
      if (!log_return) {
        ser->reference = ev.price;
      } else if (!outlier) {
        ser->returns.push(*log_return);
        ser->reference = ev.price;
        ser->consecutive_outliers = 0;
      } else {
        // A real jump: after rebase_after outliers in a row, the new level
        // becomes the reference and the window starts over.
        ser->consecutive_outliers += 1;
        if (s.outliers.rebase_after > 0
            && ser->consecutive_outliers >= s.outliers.rebase_after) {
          ser->returns.clear();
          ser->reference = ev.price;
          ser->consecutive_outliers = 0;
        }
      }
    }
    if (sane && !future && !duplicate && has_price) {
      auto i = std::find_if(st->latest.begin(), st->latest.end(),
                            [&](auto& p) { return p.source == x.source; });
      if (i == st->latest.end())
        st->latest.push_back({x.source, *ev.price, ev.price_time_ns});
      else if (ev.price_time_ns >= i->time_ns)
        *i = provider_price{x.source, *ev.price, ev.price_time_ns};
    }
  }

  // Score and rolling quality.
  int lost = 0;
  for (auto& f : v.findings) {
    auto weight = s.of(f.which).weight;
    lost += f.level == severity::high ? weight : weight / 2;
  }
  v.score = std::clamp(100 - lost, 0, 100);
  if (st)
    st->quality.record(v, s.quality_alpha);
  providers_[x.source].record(v, s.quality_alpha);
  overall_.record(v, s.quality_alpha);

  // Quarantine: the drop finding (always the last), else the first flag.
  const finding* why = nullptr;
  if (!v.accepted()) {
    why = &v.findings.back();
  } else {
    for (auto& f : v.findings) {
      if (f.action == rule_action::flag) {
        why = &f;
        break;
      }
    }
  }
  if (why) {
    quarantined_event q;
    render(x, q);
    q.why = why->which;
    q.reason = why->reason;
    q.dropped = !v.accepted();
    q.seen_ns = now_ns;
    quarantine_.add(std::move(q));
  }
  return v;
}

template <class Event>
void validation_engine::keep_accepted(std::vector<Event>& xs, int64_t now_ns,
                                      batch_verdict& out) {
  auto kept = xs.begin();
  for (auto& x : xs) {
    auto v = run(x, now_ns);
    for (auto& f : v.findings) {
      if (f.action == rule_action::flag && v.accepted()) {
        out.flagged += 1;
        break;
      }
    }
    std::move(v.findings.begin(), v.findings.end(),
              std::back_inserter(out.findings));
    if (!v.accepted()) {
      out.dropped += 1;
      continue;
    }
    out.accepted += 1;
    if (&*kept != &x)
      *kept = std::move(x);
    ++kept;
  }
  xs.erase(kept, xs.end());
}

batch_verdict validation_engine::check(event_batch& batch, int64_t now_ns) {
  batch_verdict out;
  keep_accepted(batch.trades, now_ns, out);
  keep_accepted(batch.quotes, now_ns, out);
  keep_accepted(batch.bars, now_ns, out);
  return out;
}

void validation_engine::watch(std::string_view instrument, int64_t now_ns) {
  if (auto st = state_for(instrument); st && !st->last_update_ns)
    st->last_update_ns = now_ns;
}

std::vector<stale_symbol>
validation_engine::stale_symbols(int64_t now_ns) const {
  std::vector<stale_symbol> out;
  if (!settings_.enabled(rule::stale_symbol))
    return out;
  auto& cfg = settings_.stale_symbols;
  for (auto& [id, entry] : symbols_) {
    auto& st = entry.state;
    if (!st.last_update_ns)
      continue;
    auto i = cfg.cadence_ns.find(id);
    auto cadence = i != cfg.cadence_ns.end() ? i->second
                                             : cfg.default_cadence_ns;
    if (cadence <= 0)
      continue;
    auto silent = saturated_sub(now_ns, *st.last_update_ns);
    if (silent > cadence)
      out.push_back({id, st.last_source, *st.last_update_ns, cadence, silent});
  }
  return out;
}

quality_report
validation_engine::quality_of_instrument(std::string_view id) const {
  auto i = symbols_.find(id);
  return i != symbols_.end() ? i->second.state.quality : quality_report{};
}

quality_report validation_engine::quality_of_provider(provider p) const {
  auto i = providers_.find(p);
  return i != providers_.end() ? i->second : quality_report{};
}

} // namespace tickflow
