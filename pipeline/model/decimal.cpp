#include "pipeline/model/decimal.hpp"

#include <charconv>
#include <cstddef>

namespace tickflow {

namespace {

using int128 = __int128;

// Largest magnitude a mantissa may have: max_digits nines.
constexpr int64_t max_mantissa = 999'999'999'999'999'999;

// Powers of ten up to 10^18 (all fit int64).
constexpr int64_t pow10[] = {
  1,
  10,
  100,
  1'000,
  10'000,
  100'000,
  1'000'000,
  10'000'000,
  100'000'000,
  1'000'000'000,
  10'000'000'000,
  100'000'000'000,
  1'000'000'000'000,
  10'000'000'000'000,
  100'000'000'000'000,
  1'000'000'000'000'000,
  10'000'000'000'000'000,
  100'000'000'000'000'000,
  1'000'000'000'000'000'000,
};
static_assert(sizeof(pow10) / sizeof(pow10[0]) == decimal::max_scale + 1);

// Longest text append_to can produce: sign, "0.", up to 255 fraction digits
// (only for a hand-built struct that breaks the invariant), 20 digits.
constexpr size_t max_text = 1 + 2 + 255 + 20;

// Appends c, or \xNN for a control character, so contexts stay printable.
void append_escaped(std::string& out, char c) {
  static constexpr char hex[] = "0123456789abcdef";
  auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u == 0x7f) {
    out.append("\\x");
    out.push_back(hex[u >> 4]);
    out.push_back(hex[u & 0xf]);
  } else {
    out.push_back(c);
  }
}

// Renders the input for an error context: quoted, escaped, cut after 64
// characters.
std::string quoted(std::string_view text) {
  constexpr size_t max_shown = 64;
  std::string out;
  out.reserve(text.size() < max_shown ? text.size() + 2 : max_shown + 5);
  out.push_back('"');
  for (size_t i = 0; i < text.size() && i < max_shown; ++i)
    append_escaped(out, text[i]);
  if (text.size() > max_shown)
    out.append("...");
  out.push_back('"');
  return out;
}

error bad_number(const char* problem, std::string_view text) {
  std::string ctx{problem};
  ctx.append(": ");
  ctx.append(quoted(text));
  return error{errc::bad_number, std::move(ctx)};
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
         || c == '\v';
}

char to_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (to_lower(a[i]) != b[i])
      return false;
  return true;
}

// Writes the shortest exact text of mantissa * 10^-scale into buf (at least
// max_text bytes) and returns its length.
size_t write_text(int64_t mantissa, unsigned scale, char* buf) noexcept {
  // Digits of the magnitude, least significant first.
  uint64_t mag = mantissa < 0 ? uint64_t{0} - static_cast<uint64_t>(mantissa)
                              : static_cast<uint64_t>(mantissa);
  char rev[20];
  size_t n = 0;
  do {
    rev[n++] = static_cast<char>('0' + mag % 10);
    mag /= 10;
  } while (mag != 0);
  // Drop trailing fraction zeros (only present if the invariant is broken).
  size_t skip = 0;
  while (scale > 0 && skip + 1 < n && rev[skip] == '0') {
    ++skip;
    --scale;
  }
  if (rev[skip] == '0' && n - skip == 1)
    scale = 0; // the value is zero: no sign, no fraction
  size_t len = 0;
  if (mantissa < 0)
    buf[len++] = '-';
  size_t digits = n - skip;
  if (digits <= scale) {
    // 0.000ddd
    buf[len++] = '0';
    buf[len++] = '.';
    for (size_t i = digits; i < scale; ++i)
      buf[len++] = '0';
    for (size_t i = n; i > skip; --i)
      buf[len++] = rev[i - 1];
  } else {
    size_t int_digits = digits - scale;
    for (size_t i = 0; i < digits; ++i) {
      if (i == int_digits)
        buf[len++] = '.';
      buf[len++] = rev[n - 1 - i];
    }
  }
  return len;
}

// Builds a normalized result from a wide mantissa, or out_of_range.
result<decimal> narrow(int128 m, int scale, const char* what, decimal a,
                       char op, decimal b) {
  if (m == 0)
    return decimal{};
  while (scale > 0 && m % 10 == 0) {
    m /= 10;
    --scale;
  }
  const char* problem = nullptr;
  if (scale > decimal::max_scale)
    problem = " needs more than 18 fractional digits: ";
  else if (m > max_mantissa || m < -max_mantissa)
    problem = " does not fit in 18 digits: ";
  if (problem != nullptr) {
    std::string ctx{what};
    ctx.append(problem);
    a.append_to(ctx);
    ctx.push_back(' ');
    ctx.push_back(op);
    ctx.push_back(' ');
    b.append_to(ctx);
    return error{errc::out_of_range, std::move(ctx)};
  }
  return decimal{static_cast<int64_t>(m), static_cast<uint8_t>(scale)};
}

error bad_scale(decimal a, decimal b) {
  return error{errc::out_of_range,
               "operand scale above 18: " + std::to_string(a.scale) + ", "
                 + std::to_string(b.scale)};
}

// a + b or a - b, exact in 128 bits (|m| * 10^18 < 2^127). "Fits" means
// at most max_digits digits, like parse, so every result prints and parses
// back.
result<decimal> add_impl(decimal a, decimal b, bool negate_b) {
  if (a.scale > decimal::max_scale || b.scale > decimal::max_scale)
    return bad_scale(a, b);
  int scale = a.scale > b.scale ? a.scale : b.scale;
  int128 x = static_cast<int128>(a.mantissa) * pow10[scale - a.scale];
  int128 y = static_cast<int128>(b.mantissa) * pow10[scale - b.scale];
  if (negate_b)
    return narrow(x - y, scale, "difference", a, '-', b);
  return narrow(x + y, scale, "sum", a, '+', b);
}

} // namespace

decimal decimal::from_parts(int64_t mantissa, uint8_t scale) noexcept {
  if (mantissa == 0)
    return decimal{};
  while (scale > 0 && mantissa % 10 == 0) {
    mantissa /= 10;
    --scale;
  }
  return decimal{mantissa, scale};
}

// Accepted: [+-]digits[.digits]. Both sides of the point need a digit, so
// ".5" and "5." are rejected: providers never send them and accepting them
// would hide truncated payloads.
result<decimal> decimal::parse(std::string_view text) {
  if (text.empty())
    return bad_number("empty number", text);
  size_t pos = 0;
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    pos = 1;
  }
  auto body = text.substr(pos);
  if (body.empty())
    return bad_number("sign without digits", text);
  if (iequals(body, "nan") || iequals(body, "inf")
      || iequals(body, "infinity"))
    return bad_number("nan/inf not supported", text);
  // Syntax: find the point and reject anything that is not a digit.
  size_t dot = std::string_view::npos;
  for (size_t i = pos; i < text.size(); ++i) {
    char c = text[i];
    if (is_digit(c))
      continue;
    if (c == '.') {
      if (dot != std::string_view::npos)
        return bad_number("multiple decimal points", text);
      dot = i;
      continue;
    }
    if (is_space(c))
      return bad_number("whitespace not allowed", text);
    if (c == 'e' || c == 'E')
      return bad_number("exponent form not supported", text);
    std::string problem = "unexpected character '";
    append_escaped(problem, c);
    problem.append("' at offset ");
    problem.append(std::to_string(i));
    return bad_number(problem.c_str(), text);
  }
  size_t int_begin = pos;
  size_t int_end = dot == std::string_view::npos ? text.size() : dot;
  size_t frac_begin = dot == std::string_view::npos ? text.size() : dot + 1;
  size_t frac_end = text.size();
  if (int_begin == int_end)
    return bad_number("missing digit before the decimal point", text);
  if (dot != std::string_view::npos && frac_begin == frac_end)
    return bad_number("missing digit after the decimal point", text);
  // Leading zeros of the integer part and trailing zeros of the fraction
  // carry no information.
  while (int_begin < int_end && text[int_begin] == '0')
    ++int_begin;
  while (frac_end > frac_begin && text[frac_end - 1] == '0')
    --frac_end;
  size_t scale = frac_end - frac_begin;
  if (scale > static_cast<size_t>(max_scale))
    return bad_number("too many fractional digits (max 18)", text);
  size_t significant = 0;
  if (int_begin < int_end) {
    significant = (int_end - int_begin) + scale;
  } else {
    size_t first = frac_begin;
    while (first < frac_end && text[first] == '0')
      ++first;
    significant = frac_end - first;
  }
  if (significant > static_cast<size_t>(max_digits))
    return bad_number("too many significant digits (max 18)", text);
  // At most 18 digits: no overflow possible.
  int64_t m = 0;
  for (size_t i = int_begin; i < int_end; ++i)
    m = m * 10 + (text[i] - '0');
  for (size_t i = frac_begin; i < frac_end; ++i)
    m = m * 10 + (text[i] - '0');
  if (m == 0)
    return decimal{};
  return decimal{negative ? -m : m, static_cast<uint8_t>(scale)};
}

std::string decimal::to_string() const {
  char buf[max_text];
  auto len = write_text(mantissa, scale, buf);
  return std::string(buf, len);
}

void decimal::append_to(std::string& out) const {
  char buf[max_text];
  auto len = write_text(mantissa, scale, buf);
  out.append(buf, len);
}

double decimal::to_double() const noexcept {
  // Exact operands and one correctly rounded division when the mantissa
  // fits the 53-bit significand (10^18 is exact in a double).
  constexpr int64_t exact_limit = int64_t{1} << 53;
  if (mantissa >= -exact_limit && mantissa <= exact_limit
      && scale <= max_scale)
    return static_cast<double>(mantissa) / static_cast<double>(pow10[scale]);
  // Otherwise let the correctly rounded decimal-to-binary conversion do it.
  char buf[max_text];
  auto len = write_text(mantissa, scale, buf);
  double out = 0;
  std::from_chars(buf, buf + len, out);
  return out;
}

result<decimal> decimal::add(decimal a, decimal b) {
  return add_impl(a, b, false);
}

result<decimal> decimal::sub(decimal a, decimal b) {
  return add_impl(a, b, true);
}

result<decimal> decimal::mul(decimal a, decimal b) {
  if (a.scale > max_scale || b.scale > max_scale)
    return bad_scale(a, b);
  // |a.m * b.m| < 2^126: exact in 128 bits.
  int128 m = static_cast<int128>(a.mantissa) * b.mantissa;
  return narrow(m, a.scale + b.scale, "product", a, '*', b);
}

int decimal::compare(decimal a, decimal b) noexcept {
  if (a.scale > max_scale || b.scale > max_scale) {
    // Broken invariant (hand-built struct): best effort, never out of bounds.
    auto x = a.to_double();
    auto y = b.to_double();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  int scale = a.scale > b.scale ? a.scale : b.scale;
  int128 x = static_cast<int128>(a.mantissa) * pow10[scale - a.scale];
  int128 y = static_cast<int128>(b.mantissa) * pow10[scale - b.scale];
  return x < y ? -1 : (x > y ? 1 : 0);
}

} // namespace tickflow
