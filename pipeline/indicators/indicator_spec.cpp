#include "pipeline/indicators/indicator_spec.hpp"

#include <charconv>
#include <cmath>

#include "pipeline/indicators/batch.hpp"

namespace tickflow::indicators {

namespace {

error bad_param(std::string what) {
  return error{errc::invalid_argument, std::move(what)};
}

struct kind_name {
  std::string_view name;
  indicator_kind kind;
};

constexpr std::array<kind_name, 10> names{{
  {"sma", indicator_kind::sma},
  {"ema", indicator_kind::ema},
  {"rsi", indicator_kind::rsi},
  {"macd", indicator_kind::macd},
  {"bb", indicator_kind::bollinger},
  {"bollinger", indicator_kind::bollinger},
  {"atr", indicator_kind::atr},
  {"vwap", indicator_kind::vwap},
  {"vol", indicator_kind::volatility},
  {"volatility", indicator_kind::volatility},
}};

bool takes_period(indicator_kind k) noexcept {
  return k != indicator_kind::macd && k != indicator_kind::vwap;
}

/// A name echoed in an error: at most 32 printable ASCII characters.
std::string echo(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 32))
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > 32)
    out += "...";
  return out;
}

point single(int64_t t, double v) {
  point p;
  p.t_ns = t;
  p.values[0] = v;
  return p;
}

/// Points of a one-valued series.
std::vector<point> points_of(const std::vector<ohlcv>& bars, const series& xs) {
  std::vector<point> out;
  for (size_t i = 0; i < xs.size(); ++i)
    if (xs[i])
      out.push_back(single(bars[i].t_ns, *xs[i]));
  return out;
}

/// Points of a three-valued series, where all three exist.
std::vector<point> points_of(const std::vector<ohlcv>& bars, const series& a,
                             const series& b, const series& c) {
  std::vector<point> out;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i] || !b[i] || !c[i])
      continue;
    point p;
    p.t_ns = bars[i].t_ns;
    p.values = {*a[i], *b[i], *c[i]};
    out.push_back(p);
  }
  return out;
}

} // namespace

std::string_view to_string(indicator_kind k) noexcept {
  switch (k) {
    case indicator_kind::sma:
      return "sma";
    case indicator_kind::ema:
      return "ema";
    case indicator_kind::rsi:
      return "rsi";
    case indicator_kind::macd:
      return "macd";
    case indicator_kind::bollinger:
      return "bb";
    case indicator_kind::atr:
      return "atr";
    case indicator_kind::vwap:
      return "vwap";
    case indicator_kind::volatility:
      return "vol";
  }
  return "sma";
}

std::string indicator_spec::name() const {
  std::string out{to_string(kind)};
  if (takes_period(kind))
    out += std::to_string(period);
  return out;
}

size_t indicator_spec::warmup() const noexcept {
  switch (kind) {
    case indicator_kind::sma:
    case indicator_kind::ema:
    case indicator_kind::bollinger:
      return period > 0 ? period - 1 : 0;
    case indicator_kind::rsi:
    case indicator_kind::atr:
    case indicator_kind::volatility:
      return period;
    case indicator_kind::macd:
      return slow + signal - 2;
    case indicator_kind::vwap:
      return 0;
  }
  return 0;
}

size_t default_period(indicator_kind k) noexcept {
  switch (k) {
    case indicator_kind::rsi:
    case indicator_kind::atr:
      return 14;
    case indicator_kind::macd:
    case indicator_kind::vwap:
      return 0;
    default:
      return 20;
  }
}

result<void> validate(const indicator_spec& s, size_t max_period) {
  auto in_range = [&](size_t v, size_t lo) { return v >= lo && v <= max_period; };
  auto range_text = [&](size_t lo) {
    return std::to_string(lo) + ".." + std::to_string(max_period);
  };
  switch (s.kind) {
    case indicator_kind::macd:
      if (!in_range(s.fast, 1) || !in_range(s.slow, 2) || !in_range(s.signal, 1))
        return bad_param("macd periods (fast, slow, signal) must be in "
                         + range_text(1));
      if (s.fast >= s.slow)
        return bad_param("macd: fast must be shorter than slow");
      return {};
    case indicator_kind::vwap:
      if (s.reset_ns < 0)
        return bad_param("vwap: reset must not be negative");
      return {};
    case indicator_kind::volatility:
      if (!in_range(s.period, 2))
        return bad_param(s.name() + ": period must be in " + range_text(2));
      if (!(s.bars_per_year > 0) || !std::isfinite(s.bars_per_year))
        return bad_param("bars per year must be a positive number");
      return {};
    case indicator_kind::bollinger:
      if (!(s.k > 0.0 && s.k <= 100.0))
        return bad_param("bb: k must be greater than 0 and at most 100");
      [[fallthrough]];
    default:
      if (!in_range(s.period, 1))
        return bad_param(s.name() + ": period must be in " + range_text(1));
      return {};
  }
}

result<indicator_spec> parse_indicator(std::string_view name,
                                       size_t fallback_period,
                                       size_t max_period) {
  auto digits = name.find_first_of("0123456789");
  auto base = name.substr(0, digits);
  indicator_spec s;
  bool known = false;
  for (auto& n : names)
    if (n.name == base) {
      s.kind = n.kind;
      known = true;
    }
  if (!known)
    return bad_param("unknown indicator '" + echo(name)
                     + "' (known: sma, ema, rsi, macd, bb, atr, vwap, vol)");
  if (digits != std::string_view::npos) {
    auto text = name.substr(digits);
    if (!takes_period(s.kind))
      return bad_param(std::string{base} + " takes no period in its name");
    size_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || text.size() > 6)
      return bad_param("indicator '" + echo(name)
                       + "': the period must be digits after the name");
    s.period = n;
  } else if (takes_period(s.kind)) {
    s.period = fallback_period != 0 ? fallback_period : default_period(s.kind);
  }
  if (auto ok = validate(s, max_period); !ok)
    return ok.err();
  return s;
}

double bars_per_year(interval iv) noexcept {
  if (iv == interval::mo1)
    return 12.0;
  constexpr double year_ns = 365.0 * 86400.0 * 1e9;
  return year_ns / static_cast<double>(interval_ns(iv));
}

std::vector<std::string_view> value_names(indicator_kind k) {
  switch (k) {
    case indicator_kind::macd:
      return {"macd", "signal", "hist"};
    case indicator_kind::bollinger:
      return {"middle", "upper", "lower"};
    case indicator_kind::volatility:
      return {"value", "annualized"};
    default:
      return {"value"};
  }
}

result<std::vector<point>> compute(const indicator_spec& s,
                                   const std::vector<ohlcv>& bars) {
  switch (s.kind) {
    case indicator_kind::sma:
    case indicator_kind::ema:
    case indicator_kind::rsi: {
      auto closes = closes_of(bars);
      auto r = s.kind == indicator_kind::sma   ? sma(closes, s.period)
               : s.kind == indicator_kind::ema ? ema(closes, s.period)
                                               : rsi(closes, s.period);
      if (!r)
        return std::move(r).err();
      return points_of(bars, *r);
    }
    case indicator_kind::atr: {
      auto r = atr(bars, s.period);
      if (!r)
        return std::move(r).err();
      return points_of(bars, *r);
    }
    case indicator_kind::vwap: {
      auto r = vwap(bars, s.reset_ns);
      if (!r)
        return std::move(r).err();
      return points_of(bars, *r);
    }
    case indicator_kind::macd: {
      auto r = macd(closes_of(bars), s.fast, s.slow, s.signal);
      if (!r)
        return std::move(r).err();
      return points_of(bars, r->macd, r->signal, r->hist);
    }
    case indicator_kind::bollinger: {
      auto r = bollinger(closes_of(bars), s.period, s.k);
      if (!r)
        return std::move(r).err();
      return points_of(bars, r->middle, r->upper, r->lower);
    }
    case indicator_kind::volatility: {
      auto r = volatility(closes_of(bars), s.period, s.bars_per_year);
      if (!r)
        return std::move(r).err();
      std::vector<point> out;
      for (size_t i = 0; i < bars.size(); ++i) {
        if (!r->stdev[i])
          continue;
        point p = single(bars[i].t_ns, *r->stdev[i]);
        p.values[1] = *r->annualized[i];
        out.push_back(p);
      }
      return out;
    }
  }
  return bad_param("unknown indicator kind");
}

namespace {

using any_state = std::variant<sma_state, ema_state, rsi_state, macd_state,
                               bollinger_state, atr_state, vwap_state,
                               volatility_state>;

any_state make_state(const indicator_spec& s) {
  switch (s.kind) {
    case indicator_kind::sma:
      return sma_state{s.period};
    case indicator_kind::ema:
      return ema_state{s.period};
    case indicator_kind::rsi:
      return rsi_state{s.period};
    case indicator_kind::macd:
      return macd_state{s.fast, s.slow, s.signal};
    case indicator_kind::bollinger:
      return bollinger_state{s.period, s.k};
    case indicator_kind::atr:
      return atr_state{s.period};
    case indicator_kind::vwap:
      return vwap_state{s.reset_ns};
    case indicator_kind::volatility:
      return volatility_state{s.period, s.bars_per_year};
  }
  return sma_state{s.period};
}

} // namespace

indicator_state::indicator_state(const indicator_spec& s)
    : spec_(s), state_(make_state(s)) {
}

std::optional<point> indicator_state::update(const ohlcv& b) {
  struct visitor {
    const ohlcv& b;
    std::optional<point> one(std::optional<double> v) const {
      if (!v)
        return std::nullopt;
      return single(b.t_ns, *v);
    }
    std::optional<point> operator()(sma_state& s) const { return one(s.update(b.close)); }
    std::optional<point> operator()(ema_state& s) const { return one(s.update(b.close)); }
    std::optional<point> operator()(rsi_state& s) const { return one(s.update(b.close)); }
    std::optional<point> operator()(atr_state& s) const { return one(s.update(b)); }
    std::optional<point> operator()(vwap_state& s) const { return one(s.update(b)); }
    std::optional<point> operator()(macd_state& s) const {
      auto v = s.update(b.close);
      if (!v || !v->signal)
        return std::nullopt;
      point p;
      p.t_ns = b.t_ns;
      p.values = {v->macd, *v->signal, *v->hist};
      return p;
    }
    std::optional<point> operator()(bollinger_state& s) const {
      auto v = s.update(b.close);
      if (!v)
        return std::nullopt;
      point p;
      p.t_ns = b.t_ns;
      p.values = {v->middle, v->upper, v->lower};
      return p;
    }
    std::optional<point> operator()(volatility_state& s) const {
      auto v = s.update(b.close);
      if (!v)
        return std::nullopt;
      point p = single(b.t_ns, v->stdev);
      p.values[1] = v->annualized;
      return p;
    }
  };
  return std::visit(visitor{b}, state_);
}

} // namespace tickflow::indicators
