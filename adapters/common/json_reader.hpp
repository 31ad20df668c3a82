#pragma once

// json::reader: typed fields of a plain RapidJSON document. Use it when the
// provider sends decimals as JSON strings ("65000.12") and integers as JSON
// integers (Binance, the simulator). When prices are JSON numbers, use
// json::exact_reader (exact_json.hpp: numbers must be JSON numbers) or
// json::number_reader (json_number.hpp: numbers or number text in strings);
// both read the number's text exactly, never through a double.

#include <cstdint>
#include <optional>
#include <string_view>

#include <rapidjson/document.h>

#include "pipeline/model/decimal.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::json {

/// Reads typed fields of one RapidJSON object and remembers the first field
/// that was missing or of the wrong type, so a parser reads every field
/// first and checks once:
///   json::reader in{data};
///   x.price = in.decimal_from_string("p");
///   x.ts_event_ns = in.int64("T");
///   if (!in)
///     return in.err(); // e.g. {errc::missing_field, "p"}
/// After the first error every getter returns a default value and the error
/// stays the first one. Never throws; the reader only borrows the value, and
/// strings it returns point into the document.
///
/// Error codes (the context always starts with the field name):
/// - errc::malformed: the value given to the reader is not an object
///   (context "not an object"), or a string / boolean field has another
///   JSON type ("s: expected a string").
/// - errc::missing_field: the field is absent (context is the field name).
/// - errc::bad_number: an integer field is not an integer that fits
///   ("T: expected an int64"), a decimal field is not a string or its text
///   does not parse ("p: <what decimal::parse said>").
class reader {
 public:
  /// Borrows `value`, which must outlive the reader.
  explicit reader(const rapidjson::Value& value) noexcept;

  /// The string field `name` (may contain NULs); empty on error.
  std::string_view string(const char* name);

  /// The integer field `name`; 0 on error. Floats and integers beyond the
  /// int64 range are errc::bad_number.
  int64_t int64(const char* name);

  /// The non-negative integer field `name`; 0 on error.
  uint64_t uint64(const char* name);

  /// The boolean field `name`; false on error.
  bool boolean(const char* name);

  /// The field `name` holding a decimal as a JSON string ("65000.12"),
  /// parsed exactly by decimal::parse; zero on error.
  decimal decimal_from_string(const char* name);

  /// True when `name` is present (with any type, null included).
  bool has(const char* name) const noexcept;

  /// True while no field was missing or mistyped.
  explicit operator bool() const noexcept { return !err_.has_value(); }

  /// The first error. Precondition: !*this.
  const error& err() const& { return *err_; }

 private:
  // The member `name`, or nullptr after recording missing_field.
  const rapidjson::Value* find(const char* name);
  void fail(errc code, const char* name, std::string_view problem);

  const rapidjson::Value& value_;
  std::optional<error> err_;
};

} // namespace tickflow::json
