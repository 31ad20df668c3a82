#pragma once

// Exact numbers from JSON text: the one place that converts a JSON number's
// text to tickflow::decimal or int64 (decimal_from_number,
// int64_from_number; exact_json.hpp uses them too), plus json::number_reader
// for documents parsed with RapidJSON's kParseNumbersAsStringsFlag
// (parse_with_number_text), where a number reaches us as the characters the
// provider wrote ("67187.3358936566", "1.35647456e+08") and never passes
// through a double.
//
// Which JSON reader to use (all three live in adapters/common/):
// - json::number_reader (here): numbers must be exact and may come as JSON
//   numbers or as number text in JSON strings: in such a document both look
//   alike (strings), so the readers accept either form and check the text
//   against the JSON number grammar instead of the JSON type. Alpha Vantage
//   quotes its numbers ("168.18"); CoinGecko, CoinMarketCap, EODHD and Yahoo
//   send JSON numbers.
// - json::exact_reader (exact_json.hpp): the provider documents numbers as
//   JSON numbers and "74.06" in a number field must be a wrong type
//   (exact_document remembers which strings were numbers). Polygon, Massive
//   futures, Finnhub.
// - json::reader (json_reader.hpp): a plain RapidJSON document whose
//   decimals arrive as JSON strings. Binance, the simulator.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "pipeline/model/decimal.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::json {

/// Exact decimal of a JSON number's text: "-12.5", "61942", "0.00100000",
/// and exponent forms, converted by shifting the decimal point in the text:
/// "1.35647456e+08" -> 135647456, "5e-05" -> 0.00005, "1E3" -> 1000.
/// errc::bad_number (context names the problem and quotes the input) for
/// text outside the JSON grammar (empty, "+1", "01", ".5", "1.", "NaN",
/// whitespace, anything after the number) and for values that cannot be
/// exact in a decimal: more than 18 significant digits or more than 18
/// fractional digits once trailing zeros are dropped ("1e-19", "1e18").
/// "-0" and "0e7" are zero.
result<decimal> decimal_from_number(std::string_view text);

/// Integer value of a JSON number's text ("1711356300", "-5"). Fraction and
/// exponent forms are accepted when the value is a whole number that fits in
/// 18 digits ("1.7e12"); plain integers may use the whole int64 range.
/// errc::bad_number otherwise ("1.5", "9223372036854775808", "abc").
result<int64_t> int64_from_number(std::string_view text);

/// Parses `text` into `doc` keeping every number as its text
/// (kParseNumbersAsStringsFlag). errc::malformed with RapidJSON's reason and
/// the byte offset ("Invalid value. at offset 0") when the text is not one
/// complete JSON value (trailing garbage included).
result<void> parse_with_number_text(std::string_view text,
                                    rapidjson::Document& doc);

/// Exact decimal of one value of such a document; errc::bad_number when the
/// value is not a string holding JSON number text (null, object, "abc").
result<decimal> to_decimal(const rapidjson::Value& value);

/// Integer of one value of such a document (see int64_from_number).
result<int64_t> to_int64(const rapidjson::Value& value);

/// The characters of a string value (number text included). Precondition:
/// `value.IsString()`.
inline std::string_view text_of(const rapidjson::Value& value) noexcept {
  return {value.GetString(), value.GetStringLength()};
}

/// The member `name` of `object`; nullptr when `object` is not an object or
/// has no such member. Unlike FindMember it takes any string_view.
const rapidjson::Value* member(const rapidjson::Value& object,
                               std::string_view name) noexcept;

/// Reads fields of one object of a numbers-as-strings document, like
/// json::reader: it remembers the first missing or mistyped field, every
/// getter returns a default value afterwards, and the caller checks once:
///   json::number_reader in{quote, "quote.USD"};
///   x.value = in.decimal("price");
///   x.ts_event_ns = in.int64("last_updated_at") * ns_per_s;
///   if (!in)
///     return in.err(); // e.g. {errc::missing_field, "quote.USD.price"}
/// Contexts start with `path` + "." + the field name when a path is given.
///
/// Error codes: errc::malformed when the value is not an object ("not an
/// object") or a string / object / array field has another type;
/// errc::missing_field for an absent field; errc::bad_number when a number
/// field is not number text or does not fit (decimal_from_number's reason).
/// Never throws; strings and values it returns point into the document.
class number_reader {
 public:
  /// Borrows `value`, which must outlive the reader.
  explicit number_reader(const rapidjson::Value& value,
                         std::string_view path = {});

  /// The string field `name` (a number's text also qualifies); empty on error.
  std::string_view string(const char* name);

  /// The number field `name`, exact; zero on error.
  tickflow::decimal decimal(const char* name);

  /// The integer field `name`; 0 on error.
  int64_t int64(const char* name);

  /// The object field `name`; nullptr on error.
  const rapidjson::Value* object(const char* name);

  /// The array field `name`; nullptr on error.
  const rapidjson::Value* array(const char* name);

  /// True when `name` is present (with any type, null included).
  bool has(const char* name) const noexcept;

  /// True while no field was missing or mistyped.
  explicit operator bool() const noexcept { return !err_.has_value(); }

  /// The first error. Precondition: !*this.
  const error& err() const& { return *err_; }

 private:
  const rapidjson::Value* find(const char* name);
  void fail(errc code, const char* name, std::string_view problem);

  const rapidjson::Value& value_;
  std::string path_;
  std::optional<error> err_;
};

} // namespace tickflow::json
