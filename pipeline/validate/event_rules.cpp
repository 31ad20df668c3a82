#include "pipeline/validate/event_rules.hpp"

#include <utility>

namespace tickflow {

namespace {

std::optional<rejection> reject(rule why, std::string reason) {
  return rejection{why, std::move(reason)};
}

// "what 12.5 op bound": a reason with the exact decimal text of both sides.
std::string describe(std::string_view what, decimal value, std::string_view op,
                     std::string_view bound_name, decimal bound) {
  std::string out;
  out.append(what);
  out += ' ';
  value.append_to(out);
  out += ' ';
  out.append(op);
  out += ' ';
  if (!bound_name.empty()) {
    out.append(bound_name);
    out += ' ';
  }
  bound.append_to(out);
  return out;
}

std::optional<rejection> check_instrument(std::string_view id) {
  if (is_canonical_instrument(id))
    return std::nullopt;
  std::string reason = "instrument \"";
  reason.append(id.substr(0, 64));
  reason.append("\" is not a canonical id");
  return reject(rule::instrument_id, std::move(reason));
}

// value > 0, else "price 0 <= 0".
std::optional<rejection> check_positive(rule r, std::string_view what,
                                        decimal value) {
  if (value.is_positive())
    return std::nullopt;
  return reject(r, describe(what, value, "<=", {}, decimal{}));
}

// value >= 0, else "volume -1 < 0".
std::optional<rejection> check_non_negative(rule r, std::string_view what,
                                            decimal value) {
  if (!value.is_negative())
    return std::nullopt;
  return reject(r, describe(what, value, "<", {}, decimal{}));
}

// lhs <= rhs, else "low 101 > open 100".
std::optional<rejection> check_le(rule r, std::string_view lhs_name,
                                  decimal lhs, std::string_view rhs_name,
                                  decimal rhs) {
  if (lhs <= rhs)
    return std::nullopt;
  return reject(r, describe(lhs_name, lhs, ">", rhs_name, rhs));
}

} // namespace

std::string_view to_string(rule r) noexcept {
  switch (r) {
    case rule::instrument_id:
      return "instrument_id";
    case rule::positive_price:
      return "positive_price";
    case rule::positive_size:
      return "positive_size";
    case rule::ohlc_consistency:
      return "ohlc_consistency";
    case rule::non_negative_volume:
      return "non_negative_volume";
    case rule::crossed_quote:
      return "crossed_quote";
    case rule::future_timestamp:
      return "future_timestamp";
    case rule::stale_event:
      return "stale_event";
    case rule::duplicate:
      return "duplicate";
    case rule::out_of_order:
      return "out_of_order";
    case rule::outlier_zscore:
      return "outlier_zscore";
    case rule::outlier_mad:
      return "outlier_mad";
    case rule::divergence:
      return "divergence";
    case rule::stale_symbol:
      return "stale_symbol";
  }
  return "unknown";
}

std::optional<rule> rule_from_string(std::string_view name) noexcept {
  for (size_t i = 0; i < rule_count; ++i) {
    auto r = static_cast<rule>(i);
    if (to_string(r) == name)
      return r;
  }
  return std::nullopt;
}

namespace {

// Each visit_broken() calls emit(rejection) for the first broken condition of
// every sanity rule, in enum order, and stops as soon as emit returns false.

template <class Emit>
void visit_broken(const trade& x, Emit&& emit) {
  if (auto r = check_instrument(x.instrument); r && !emit(std::move(*r)))
    return;
  if (auto r = check_positive(rule::positive_price, "price", x.price);
      r && !emit(std::move(*r)))
    return;
  if (auto r = check_positive(rule::positive_size, "size", x.size))
    emit(std::move(*r));
}

template <class Emit>
void visit_broken(const quote& x, Emit&& emit) {
  if (auto r = check_instrument(x.instrument); r && !emit(std::move(*r)))
    return;
  auto price = check_positive(rule::positive_price, "bid price", x.bid_price);
  if (!price)
    price = check_positive(rule::positive_price, "ask price", x.ask_price);
  if (price && !emit(std::move(*price)))
    return;
  auto size = check_non_negative(rule::positive_size, "bid size", x.bid_size);
  if (!size)
    size = check_non_negative(rule::positive_size, "ask size", x.ask_size);
  if (size && !emit(std::move(*size)))
    return;
  if (auto r = check_le(rule::crossed_quote, "bid", x.bid_price, "ask",
                        x.ask_price))
    emit(std::move(*r));
}

template <class Emit>
void visit_broken(const bar& x, Emit&& emit) {
  if (auto r = check_instrument(x.instrument); r && !emit(std::move(*r)))
    return;
  const std::pair<std::string_view, decimal> prices[] = {
    {"open", x.open}, {"high", x.high}, {"low", x.low}, {"close", x.close}};
  for (auto& [name, value] : prices) {
    if (auto r = check_positive(rule::positive_price, name, value)) {
      if (!emit(std::move(*r)))
        return;
      break;
    }
  }
  // low <= high first: when it fails, it is the root cause of the others.
  const std::pair<std::pair<std::string_view, decimal>,
                  std::pair<std::string_view, decimal>>
    orders[] = {
      {{"low", x.low}, {"high", x.high}},
      {{"low", x.low}, {"open", x.open}},
      {{"low", x.low}, {"close", x.close}},
      {{"open", x.open}, {"high", x.high}},
      {{"close", x.close}, {"high", x.high}},
    };
  for (auto& [lhs, rhs] : orders) {
    if (auto r = check_le(rule::ohlc_consistency, lhs.first, lhs.second,
                          rhs.first, rhs.second)) {
      if (!emit(std::move(*r)))
        return;
      break;
    }
  }
  if (auto r = check_non_negative(rule::non_negative_volume, "volume",
                                  x.volume))
    emit(std::move(*r));
}

template <class Event>
std::optional<rejection> first_broken(const Event& x) {
  std::optional<rejection> out;
  visit_broken(x, [&out](rejection&& r) {
    out = std::move(r);
    return false;
  });
  return out;
}

template <class Event>
void all_broken(const Event& x, std::vector<rejection>& out) {
  visit_broken(x, [&out](rejection&& r) {
    out.push_back(std::move(r));
    return true;
  });
}

} // namespace

// Rules run in the order of the enum; the first broken one is reported.

std::optional<rejection> check(const trade& x) {
  return first_broken(x);
}

std::optional<rejection> check(const quote& x) {
  return first_broken(x);
}

std::optional<rejection> check(const bar& x) {
  return first_broken(x);
}

void check_all(const trade& x, std::vector<rejection>& out) {
  all_broken(x, out);
}

void check_all(const quote& x, std::vector<rejection>& out) {
  all_broken(x, out);
}

void check_all(const bar& x, std::vector<rejection>& out) {
  all_broken(x, out);
}

} // namespace tickflow
