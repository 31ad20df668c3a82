#include "adapters/common/json_reader.hpp"

#include <string>

namespace tickflow::json {

reader::reader(const rapidjson::Value& value) noexcept : value_(value) {
  if (!value_.IsObject())
    err_ = error{errc::malformed, "not an object"};
}

const rapidjson::Value* reader::find(const char* name) {
  if (err_)
    return nullptr;
  auto i = value_.FindMember(name);
  if (i == value_.MemberEnd()) {
    err_ = error{errc::missing_field, name};
    return nullptr;
  }
  return &i->value;
}

void reader::fail(errc code, const char* name, std::string_view problem) {
  std::string context = name;
  context += ": ";
  context.append(problem);
  err_ = error{code, std::move(context)};
}

std::string_view reader::string(const char* name) {
  auto v = find(name);
  if (v == nullptr)
    return {};
  if (!v->IsString()) {
    fail(errc::malformed, name, "expected a string");
    return {};
  }
  return {v->GetString(), v->GetStringLength()};
}

int64_t reader::int64(const char* name) {
  auto v = find(name);
  if (v == nullptr)
    return 0;
  if (!v->IsInt64()) {
    fail(errc::bad_number, name, "expected an int64");
    return 0;
  }
  return v->GetInt64();
}

uint64_t reader::uint64(const char* name) {
  auto v = find(name);
  if (v == nullptr)
    return 0;
  if (!v->IsUint64()) {
    fail(errc::bad_number, name, "expected a uint64");
    return 0;
  }
  return v->GetUint64();
}

bool reader::boolean(const char* name) {
  auto v = find(name);
  if (v == nullptr)
    return false;
  if (!v->IsBool()) {
    fail(errc::malformed, name, "expected a boolean");
    return false;
  }
  return v->GetBool();
}

decimal reader::decimal_from_string(const char* name) {
  auto v = find(name);
  if (v == nullptr)
    return {};
  if (!v->IsString()) {
    fail(errc::bad_number, name, "expected a decimal string");
    return {};
  }
  auto parsed = decimal::parse({v->GetString(), v->GetStringLength()});
  if (!parsed) {
    fail(errc::bad_number, name, parsed.err().context);
    return {};
  }
  return *parsed;
}

bool reader::has(const char* name) const noexcept {
  return value_.IsObject() && value_.HasMember(name);
}

} // namespace tickflow::json
