#include "adapters/common/exact_json.hpp"

#include <cstring>
#include <functional>
#include <utility>

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/encodedstream.h>
#include <rapidjson/reader.h>

namespace tickflow::json {

// -- exact_document -----------------------------------------------------------

// SAX handler that builds `doc` and stores every number's text in the
// document's number buffer, as a string value pointing there.
struct exact_document::handler {
  exact_document& self;
  rapidjson::Document& doc;

  bool Null() { return doc.Null(); }
  bool Bool(bool b) { return doc.Bool(b); }
  bool Int(int i) { return doc.Int(i); }
  bool Uint(unsigned i) { return doc.Uint(i); }
  bool Int64(int64_t i) { return doc.Int64(i); }
  bool Uint64(uint64_t i) { return doc.Uint64(i); }
  bool Double(double d) { return doc.Double(d); }
  bool RawNumber(const char* str, rapidjson::SizeType len, bool) {
    if (self.numbers_size_ + len + 1 > self.numbers_capacity_)
      return false; // cannot happen: the buffer holds the whole text
    char* dst = self.numbers_.get() + self.numbers_size_;
    std::memcpy(dst, str, len);
    dst[len] = '\0';
    self.numbers_size_ += len + 1;
    return doc.String(dst, len, false); // points into numbers_, not copied
  }
  bool String(const char* str, rapidjson::SizeType len, bool copy) {
    return doc.String(str, len, copy);
  }
  bool StartObject() { return doc.StartObject(); }
  bool Key(const char* str, rapidjson::SizeType len, bool copy) {
    return doc.Key(str, len, copy);
  }
  bool EndObject(rapidjson::SizeType n) { return doc.EndObject(n); }
  bool StartArray() { return doc.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return doc.EndArray(n); }
};

result<void> exact_document::parse(std::string_view text) {
  doc_.SetNull();
  // Every number text plus its NUL fits: numbers are separated by at least
  // one character, so there are at most (size + 1) / 2 of them.
  numbers_capacity_ = text.size() + text.size() / 2 + 2;
  numbers_ = std::make_unique<char[]>(numbers_capacity_);
  numbers_size_ = 0;
  constexpr unsigned flags = rapidjson::kParseIterativeFlag
                             | rapidjson::kParseNumbersAsStringsFlag
                             | rapidjson::kParseValidateEncodingFlag;
  rapidjson::MemoryStream ms{text.data(), text.size()};
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is{
    ms};
  rapidjson::Reader reader;
  rapidjson::ParseResult status;
  auto generate = [&](rapidjson::Document& d) {
    handler h{*this, d};
    status = reader.Parse<flags>(is, h);
    return !status.IsError();
  };
  doc_.Populate(generate);
  if (status.IsError()) {
    doc_.SetNull();
    std::string ctx = "offset ";
    ctx.append(std::to_string(status.Offset()));
    ctx.append(": ");
    ctx.append(rapidjson::GetParseError_En(status.Code()));
    return error{errc::malformed, std::move(ctx)};
  }
  return {};
}

bool exact_document::is_number(const rapidjson::Value& v) const noexcept {
  if (!v.IsString() || numbers_ == nullptr)
    return false;
  const char* p = v.GetString();
  const char* begin = numbers_.get();
  const char* end = begin + numbers_size_;
  std::less<const char*> before;
  return !before(p, begin) && before(p, end);
}

std::optional<std::string_view>
exact_document::number_text(const rapidjson::Value& v) const noexcept {
  if (!is_number(v))
    return std::nullopt;
  return std::string_view{v.GetString(), v.GetStringLength()};
}

std::string_view exact_document::string_member(const rapidjson::Value& object,
                                              const char* name) const
  noexcept {
  if (!object.IsObject())
    return {};
  auto i = object.FindMember(name);
  if (i == object.MemberEnd() || !i->value.IsString() || is_number(i->value))
    return {};
  return {i->value.GetString(), i->value.GetStringLength()};
}

// -- exact_reader -------------------------------------------------------------

namespace {

// Human name of a value's JSON type, for "expected X, got Y" contexts.
const char* type_name(const exact_document& doc, const rapidjson::Value& v) {
  if (doc.is_number(v))
    return "a number";
  switch (v.GetType()) {
    case rapidjson::kNullType: return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return "a boolean";
    case rapidjson::kObjectType: return "an object";
    case rapidjson::kArrayType: return "an array";
    case rapidjson::kStringType: return "a string";
    case rapidjson::kNumberType: return "a number";
  }
  return "a value";
}

std::string expected(const char* what, const exact_document& doc,
                     const rapidjson::Value& v) {
  std::string out = "expected ";
  out.append(what);
  out.append(", got ");
  out.append(type_name(doc, v));
  return out;
}

} // namespace

std::string element_name(std::string_view name, size_t i) {
  std::string out{name};
  out.push_back('[');
  out.append(std::to_string(i));
  out.push_back(']');
  return out;
}

exact_reader::exact_reader(const exact_document& doc,
                           const rapidjson::Value& object, std::string where)
    : doc_(doc), object_(object), where_(std::move(where)) {
  if (!object_.IsObject()) {
    std::string ctx = where_;
    if (!ctx.empty() && ctx.back() == '.')
      ctx.pop_back();
    ctx.append(ctx.empty() ? "not an object" : ": not an object");
    err_ = error{errc::malformed, std::move(ctx)};
  }
}

void exact_reader::fail(errc code, std::string_view name,
                        std::string_view problem) {
  if (err_)
    return;
  std::string ctx = where_;
  ctx.append(name);
  if (!problem.empty()) {
    ctx.append(": ");
    ctx.append(problem);
  }
  err_ = error{code, std::move(ctx)};
}

const rapidjson::Value* exact_reader::find(const char* name) {
  if (err_)
    return nullptr;
  auto i = object_.FindMember(name);
  if (i == object_.MemberEnd()) {
    fail(errc::missing_field, name, {});
    return nullptr;
  }
  return &i->value;
}

std::string_view exact_reader::string(const char* name) {
  auto v = find(name);
  if (v == nullptr)
    return {};
  if (!v->IsString() || doc_.is_number(*v)) {
    fail(errc::malformed, name, expected("a string", doc_, *v));
    return {};
  }
  return {v->GetString(), v->GetStringLength()};
}

std::string_view exact_reader::optional_string(const char* name) {
  if (err_ || !has_value(name))
    return {};
  return string(name);
}

decimal exact_reader::to_decimal(const rapidjson::Value& v,
                                 std::string_view name) {
  auto text = doc_.number_text(v);
  if (!text) {
    fail(errc::malformed, name, expected("a number", doc_, v));
    return {};
  }
  auto x = decimal_from_number(*text);
  if (!x) {
    fail(errc::bad_number, name, x.err().context);
    return {};
  }
  return *x;
}

int64_t exact_reader::to_integer(const rapidjson::Value& v,
                                 std::string_view name) {
  auto text = doc_.number_text(v);
  if (!text) {
    fail(errc::malformed, name, expected("a number", doc_, v));
    return 0;
  }
  auto x = int64_from_number(*text);
  if (!x) {
    fail(errc::bad_number, name, x.err().context);
    return 0;
  }
  return *x;
}

decimal exact_reader::number(const char* name) {
  auto v = find(name);
  return v == nullptr ? decimal{} : to_decimal(*v, name);
}

int64_t exact_reader::integer(const char* name) {
  auto v = find(name);
  return v == nullptr ? 0 : to_integer(*v, name);
}

uint64_t exact_reader::count(const char* name) {
  auto x = integer(name);
  if (x < 0) {
    fail(errc::out_of_range, name, "expected a count >= 0");
    return 0;
  }
  return static_cast<uint64_t>(x);
}

bool exact_reader::boolean(const char* name) {
  auto v = find(name);
  if (v == nullptr)
    return false;
  if (!v->IsBool()) {
    fail(errc::malformed, name, expected("a boolean", doc_, *v));
    return false;
  }
  return v->GetBool();
}

const rapidjson::Value* exact_reader::array(const char* name) {
  auto v = find(name);
  if (v == nullptr)
    return nullptr;
  if (!v->IsArray()) {
    fail(errc::malformed, name, expected("an array", doc_, *v));
    return nullptr;
  }
  return v;
}

decimal exact_reader::number_at(const rapidjson::Value& array,
                                const char* name, size_t i) {
  if (err_ || !array.IsArray() || i >= array.Size())
    return {};
  return to_decimal(array[static_cast<rapidjson::SizeType>(i)],
                    element_name(name, i));
}

int64_t exact_reader::integer_at(const rapidjson::Value& array,
                                 const char* name, size_t i) {
  if (err_ || !array.IsArray() || i >= array.Size())
    return 0;
  return to_integer(array[static_cast<rapidjson::SizeType>(i)],
                    element_name(name, i));
}

void exact_reader::check_optional_string(const char* name,
                                         std::string_view expected) {
  if (!has_value(name))
    return;
  auto got = string(name);
  if (*this && got != expected) {
    std::string problem = "expected \"";
    problem.append(expected);
    problem.append("\", got \"");
    problem.append(got);
    problem.push_back('"');
    fail(errc::malformed, name, problem);
  }
}

bool exact_reader::has(const char* name) const noexcept {
  return object_.IsObject() && object_.HasMember(name);
}

bool exact_reader::has_value(const char* name) const noexcept {
  if (!object_.IsObject())
    return false;
  auto i = object_.FindMember(name);
  return i != object_.MemberEnd() && !i->value.IsNull();
}

} // namespace tickflow::json
