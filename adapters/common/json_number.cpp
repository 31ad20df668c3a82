#include "adapters/common/json_number.hpp"

#include <charconv>
#include <cstring>

#include <rapidjson/error/en.h>

namespace tickflow::json {

namespace {

// The pieces of a JSON number: [-] int [. frac] [e|E [+|-] exp].
struct number_parts {
  bool negative = false;
  std::string_view int_digits;
  std::string_view frac_digits;
  bool has_exponent = false;
  int64_t exponent = 0; // saturated at +-exponent_cap
};

// Far beyond any exponent that can still yield an 18-digit decimal, small
// enough that adding a text length cannot overflow.
constexpr int64_t exponent_cap = 1'000'000;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Quotes the input for an error context: control characters as \xNN, cut
// after 64 characters.
std::string quoted(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  constexpr size_t max_shown = 64;
  std::string out{"\""};
  for (size_t i = 0; i < text.size() && i < max_shown; ++i) {
    auto u = static_cast<unsigned char>(text[i]);
    if (u < 0x20 || u == 0x7f) {
      out.append("\\x");
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 0xf]);
    } else {
      out.push_back(text[i]);
    }
  }
  if (text.size() > max_shown)
    out.append("...");
  out.push_back('"');
  return out;
}

error bad_number(std::string_view problem, std::string_view text) {
  std::string ctx{problem};
  ctx.append(": ");
  ctx.append(quoted(text));
  return error{errc::bad_number, std::move(ctx)};
}

// Splits `text` by the JSON number grammar (RFC 8259 section 6); returns
// the problem, or nullptr when the text is one complete number.
const char* split_number(std::string_view text, number_parts& out) {
  size_t i = 0;
  size_t n = text.size();
  if (n == 0)
    return "empty number";
  if (text[i] == '-') {
    out.negative = true;
    ++i;
  }
  size_t int_begin = i;
  while (i < n && is_digit(text[i]))
    ++i;
  if (i == int_begin)
    return "not a JSON number";
  if (text[int_begin] == '0' && i - int_begin > 1)
    return "leading zero in a JSON number";
  out.int_digits = text.substr(int_begin, i - int_begin);
  if (i < n && text[i] == '.') {
    size_t frac_begin = ++i;
    while (i < n && is_digit(text[i]))
      ++i;
    if (i == frac_begin)
      return "missing digit after the decimal point";
    out.frac_digits = text.substr(frac_begin, i - frac_begin);
  }
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    out.has_exponent = true;
    ++i;
    bool negative_exp = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) {
      negative_exp = text[i] == '-';
      ++i;
    }
    size_t exp_begin = i;
    int64_t e = 0;
    while (i < n && is_digit(text[i])) {
      if (e < exponent_cap)
        e = e * 10 + (text[i] - '0');
      ++i;
    }
    if (i == exp_begin)
      return "missing exponent digits";
    if (e > exponent_cap)
      e = exponent_cap;
    out.exponent = negative_exp ? -e : e;
  }
  if (i != n)
    return "unexpected character after a JSON number";
  return nullptr;
}

// The exponent form: moves the decimal point in the digit text and hands
// the plain text to decimal::parse, which applies the usual limits.
result<decimal> shift_exponent(const number_parts& p, std::string_view text) {
  std::string digits;
  digits.reserve(p.int_digits.size() + p.frac_digits.size());
  digits.append(p.int_digits);
  digits.append(p.frac_digits);
  // Position of the point, counted in digits from the left.
  auto point = static_cast<int64_t>(p.int_digits.size());
  size_t lead = 0;
  while (lead < digits.size() && digits[lead] == '0')
    ++lead;
  size_t end = digits.size();
  while (end > lead && digits[end - 1] == '0')
    --end;
  if (lead == end)
    return decimal{}; // zero, whatever the exponent
  std::string_view sig{digits.data() + lead, end - lead};
  point = point - static_cast<int64_t>(lead) + p.exponent;
  // Beyond these bounds the value needs more than 18 integer or fractional
  // digits; inside them the plain text stays short.
  if (point > decimal::max_digits || point < -decimal::max_scale)
    return bad_number("cannot be exact within 18 digits", text);
  std::string plain;
  if (p.negative)
    plain.push_back('-');
  auto sig_len = static_cast<int64_t>(sig.size());
  if (point <= 0) {
    plain.append("0.");
    plain.append(static_cast<size_t>(-point), '0');
    plain.append(sig);
  } else if (point >= sig_len) {
    plain.append(sig);
    plain.append(static_cast<size_t>(point - sig_len), '0');
  } else {
    plain.append(sig.substr(0, static_cast<size_t>(point)));
    plain.push_back('.');
    plain.append(sig.substr(static_cast<size_t>(point)));
  }
  auto parsed = decimal::parse(plain);
  if (!parsed) {
    std::string ctx = parsed.err().context;
    ctx.append(" from ");
    ctx.append(quoted(text));
    return error{errc::bad_number, std::move(ctx)};
  }
  return parsed;
}

} // namespace

result<decimal> decimal_from_number(std::string_view text) {
  number_parts parts;
  if (auto problem = split_number(text, parts))
    return bad_number(problem, text);
  if (!parts.has_exponent)
    return decimal::parse(text); // the JSON grammar is a subset of its own
  return shift_exponent(parts, text);
}

result<int64_t> int64_from_number(std::string_view text) {
  number_parts parts;
  if (auto problem = split_number(text, parts))
    return bad_number(problem, text);
  if (parts.frac_digits.empty() && !parts.has_exponent) {
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(),
                                     v);
    if (ec != std::errc{} || ptr != text.data() + text.size())
      return bad_number("integer out of the int64 range", text);
    return v;
  }
  auto d = decimal_from_number(text);
  if (!d)
    return std::move(d).err();
  if (d->scale != 0)
    return bad_number("not a whole number", text);
  return d->mantissa;
}

result<void> parse_with_number_text(std::string_view text,
                                    rapidjson::Document& doc) {
  // RapidJSON reads a NUL byte as the end of the input, which would accept
  // "{}\0garbage"; JSON text never contains one.
  if (auto nul = text.find('\0'); nul != std::string_view::npos)
    return error{errc::malformed,
                 "NUL byte at offset " + std::to_string(nul)};
  // Iterative parsing: deeply nested garbage cannot exhaust the stack.
  constexpr unsigned flags = rapidjson::kParseNumbersAsStringsFlag
                             | rapidjson::kParseIterativeFlag;
  doc.Parse<flags>(text.data(), text.size());
  if (doc.HasParseError()) {
    std::string ctx = rapidjson::GetParseError_En(doc.GetParseError());
    ctx.append(" at offset ");
    ctx.append(std::to_string(doc.GetErrorOffset()));
    return error{errc::malformed, std::move(ctx)};
  }
  return {};
}

result<decimal> to_decimal(const rapidjson::Value& value) {
  if (!value.IsString())
    return error{errc::bad_number, "expected a number"};
  return decimal_from_number({value.GetString(), value.GetStringLength()});
}

result<int64_t> to_int64(const rapidjson::Value& value) {
  if (!value.IsString())
    return error{errc::bad_number, "expected an integer"};
  return int64_from_number({value.GetString(), value.GetStringLength()});
}

const rapidjson::Value* member(const rapidjson::Value& object,
                               std::string_view name) noexcept {
  if (!object.IsObject())
    return nullptr;
  for (auto i = object.MemberBegin(); i != object.MemberEnd(); ++i)
    if (std::string_view{i->name.GetString(), i->name.GetStringLength()}
        == name)
      return &i->value;
  return nullptr;
}

// -- number_reader ------------------------------------------------------------

number_reader::number_reader(const rapidjson::Value& value,
                             std::string_view path)
    : value_(value), path_(path) {
  if (!value_.IsObject()) {
    std::string ctx = path_;
    ctx.append(path_.empty() ? "not an object" : ": not an object");
    err_ = error{errc::malformed, std::move(ctx)};
  }
}

const rapidjson::Value* number_reader::find(const char* name) {
  if (err_)
    return nullptr;
  auto i = value_.FindMember(name);
  if (i == value_.MemberEnd()) {
    std::string ctx = path_;
    if (!ctx.empty())
      ctx.push_back('.');
    ctx.append(name);
    err_ = error{errc::missing_field, std::move(ctx)};
    return nullptr;
  }
  return &i->value;
}

void number_reader::fail(errc code, const char* name,
                         std::string_view problem) {
  std::string ctx = path_;
  if (!ctx.empty())
    ctx.push_back('.');
  ctx.append(name);
  ctx.append(": ");
  ctx.append(problem);
  err_ = error{code, std::move(ctx)};
}

std::string_view number_reader::string(const char* name) {
  auto v = find(name);
  if (v == nullptr)
    return {};
  if (!v->IsString()) {
    fail(errc::malformed, name, "expected a string");
    return {};
  }
  return {v->GetString(), v->GetStringLength()};
}

decimal number_reader::decimal(const char* name) {
  auto v = find(name);
  if (v == nullptr)
    return {};
  auto d = to_decimal(*v);
  if (!d) {
    fail(errc::bad_number, name, d.err().context);
    return {};
  }
  return *d;
}

int64_t number_reader::int64(const char* name) {
  auto v = find(name);
  if (v == nullptr)
    return 0;
  auto i = to_int64(*v);
  if (!i) {
    fail(errc::bad_number, name, i.err().context);
    return 0;
  }
  return *i;
}

const rapidjson::Value* number_reader::object(const char* name) {
  auto v = find(name);
  if (v == nullptr)
    return nullptr;
  if (!v->IsObject()) {
    fail(errc::malformed, name, "expected an object");
    return nullptr;
  }
  return v;
}

const rapidjson::Value* number_reader::array(const char* name) {
  auto v = find(name);
  if (v == nullptr)
    return nullptr;
  if (!v->IsArray()) {
    fail(errc::malformed, name, "expected an array");
    return nullptr;
  }
  return v;
}

bool number_reader::has(const char* name) const noexcept {
  return value_.IsObject() && value_.HasMember(name);
}

} // namespace tickflow::json
