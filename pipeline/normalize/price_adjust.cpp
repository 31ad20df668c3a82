#include "pipeline/normalize/price_adjust.hpp"

#include <algorithm>
#include <utility>

namespace tickflow {

namespace {

using int128 = __int128;

constexpr int128 pow10_128(int n) noexcept {
  int128 x = 1;
  for (int i = 0; i < n; ++i)
    x *= 10;
  return x;
}

constexpr int128 max_mantissa = pow10_128(decimal::max_digits); // exclusive

// n / d rounded half away from zero (d > 0).
int128 rounded_div(int128 n, int128 d) noexcept {
  auto q = n / d;
  auto r = n % d;
  if (r < 0)
    r = -r;
  if (2 * r >= d)
    q += n < 0 ? -1 : 1;
  return q;
}

} // namespace

result<decimal> scale_by(decimal x, decimal num, decimal den) {
  if (den.is_zero())
    return error{errc::invalid_argument, "scale_by: zero denominator"};
  if (x.scale > decimal::max_scale || num.scale > decimal::max_scale
      || den.scale > decimal::max_scale)
    return error{errc::out_of_range, "scale_by: scale above 18"};
  // x.m 10^-xs * num.m 10^-ns / (den.m 10^-ds) at scale s:
  //   x.m * num.m * 10^(s - xs - ns + ds) / den.m.
  int s = std::max({int{x.scale}, int{num.scale}, int{den.scale}});
  int128 n = static_cast<int128>(x.mantissa) * num.mantissa; // < 2^126
  int128 d = den.mantissa;
  if (d < 0) {
    d = -d;
    n = -n;
  }
  int e = s - x.scale - num.scale + den.scale;
  if (e > 0) {
    auto f = pow10_128(e);
    auto limit = (pow10_128(38) / 10) / f; // well inside int128
    if (n > limit || n < -limit)
      return error{errc::out_of_range, "scale_by: " + x.to_string() + " * "
                                         + num.to_string() + " does not fit"};
    n *= f;
  } else if (e < 0) {
    d *= pow10_128(-e); // den.m < 10^18, 10^-e <= 10^18: < 10^36
  }
  auto q = rounded_div(n, d);
  while ((q >= max_mantissa || q <= -max_mantissa) && s > 0) {
    q = rounded_div(q, 10);
    --s;
  }
  if (q >= max_mantissa || q <= -max_mantissa)
    return error{errc::out_of_range, "scale_by: " + x.to_string() + " scaled does not fit"};
  return decimal::from_parts(static_cast<int64_t>(q), static_cast<uint8_t>(s));
}

result<bar> adjust_bar(bar b, decimal adjusted_close) {
  if (!b.close.is_positive())
    return error{errc::invalid_argument,
                 "adjust_bar: close " + b.close.to_string() + " is not positive"};
  if (adjusted_close == b.close)
    return b;
  for (auto* x : {&b.open, &b.high, &b.low}) {
    auto v = scale_by(*x, adjusted_close, b.close);
    if (!v)
      return std::move(v).err();
    *x = *v;
  }
  b.close = adjusted_close;
  return b;
}

} // namespace tickflow
