#pragma once

// JSON with exact numbers that also keeps JSON types apart, for REST
// adapters whose providers publish prices as JSON numbers ({"o": 74.06,
// "v": 1.35647456e+08}) and document them as numbers.
//
// Which JSON reader to use (all three live in adapters/common/):
// - json::exact_reader (here): the provider sends numbers as JSON numbers
//   and a number sent as a JSON string ("74.06") must be rejected as a
//   wrong type. Parse with exact_document. Polygon, Massive futures,
//   Finnhub.
// - json::number_reader (json_number.hpp): numbers must be exact but the
//   provider may send them either as JSON numbers or as number text in
//   strings (Alpha Vantage quotes every number). Parse with
//   json::parse_with_number_text. CoinGecko, CoinMarketCap, EODHD, Yahoo,
//   Alpha Vantage.
// - json::reader (json_reader.hpp): a plain RapidJSON document whose
//   decimals arrive as JSON strings and whose integers are JSON integers.
//   Binance, the simulator.
// A number is never turned into a double here: the document keeps its
// source text and the reader converts it with json_number.hpp's
// decimal_from_number / int64_from_number (exponent text is shifted in the
// text, exactly, or rejected), the one place that converts number text.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <rapidjson/document.h>

#include "adapters/common/json_number.hpp"
#include "pipeline/model/decimal.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::json {

// -- exact_document -----------------------------------------------------------

/// A parsed JSON document whose numbers keep their source text. Numbers are
/// stored as string values that point into a buffer owned by the document, so
/// is_number() tells a JSON number (261.74) from a JSON string ("261.74").
/// Not copyable or movable: values point into the document.
class exact_document {
 public:
  exact_document() = default;
  exact_document(const exact_document&) = delete;
  exact_document& operator=(const exact_document&) = delete;

  /// Parses `text` (UTF-8, exactly one JSON value, validated). Replaces any
  /// earlier content. errc::malformed ("offset N: <what RapidJSON said>") for
  /// anything that is not JSON; RapidJSON also refuses numbers beyond the
  /// double range (1e400) here, although it keeps their text. Never throws;
  /// nesting is parsed iteratively.
  result<void> parse(std::string_view text);

  /// The root value (null before a successful parse).
  const rapidjson::Value& root() const noexcept { return doc_; }

  /// True when `v` was a JSON number in the source.
  bool is_number(const rapidjson::Value& v) const noexcept;

  /// The source text of the number `v`; nullopt when `v` is not a number.
  std::optional<std::string_view> number_text(const rapidjson::Value& v) const
    noexcept;

  /// The member `name` of `object` when it is a JSON string (not a number's
  /// text); "" when `object` is not an object, has no such member or holds
  /// another type there. For best-effort reads of error bodies.
  std::string_view string_member(const rapidjson::Value& object,
                                 const char* name) const noexcept;

 private:
  struct handler;

  rapidjson::Document doc_;
  std::unique_ptr<char[]> numbers_; // number texts, NUL-separated
  size_t numbers_capacity_ = 0;
  size_t numbers_size_ = 0;
};

// -- exact_reader -------------------------------------------------------------

/// Reads typed fields of one object of an exact_document and remembers the
/// first missing or mistyped field, like json::reader: read every field, then
/// check once. After the first error every getter returns a default value.
/// Never throws; strings point into the document.
///
/// Contexts are "<where><field>[: problem]", e.g. "results[1].o: expected a
/// number". Error codes:
/// - errc::malformed: the value is not an object ("<where>: not an object"),
///   or a field has the wrong JSON type ("expected a number", "expected a
///   string", ...). A number sent as a JSON string ("74.06") is a wrong type.
/// - errc::missing_field: the field is absent (context "<where><field>").
/// - errc::bad_number: a number that does not convert exactly.
class exact_reader {
 public:
  /// Borrows `doc` and `object` (which must outlive the reader). `where`
  /// prefixes every context ("results[0].").
  exact_reader(const exact_document& doc, const rapidjson::Value& object,
               std::string where = {});

  /// The string field `name`; empty on error.
  std::string_view string(const char* name);

  /// The string field `name`, or "" when it is absent or null.
  std::string_view optional_string(const char* name);

  /// The number field `name` as an exact decimal; zero on error.
  decimal number(const char* name);

  /// The number field `name` holding an integer; 0 on error.
  int64_t integer(const char* name);

  /// Like integer(), and errc::out_of_range below zero.
  uint64_t count(const char* name);

  /// The boolean field `name`; false on error.
  bool boolean(const char* name);

  /// The array field `name`; nullptr on error.
  const rapidjson::Value* array(const char* name);

  /// Element `i` of `array` (read from field `name`) as a decimal.
  decimal number_at(const rapidjson::Value& array, const char* name, size_t i);

  /// Element `i` of `array` (read from field `name`) as an integer.
  int64_t integer_at(const rapidjson::Value& array, const char* name,
                     size_t i);

  /// True when `name` is present (any type, null included).
  bool has(const char* name) const noexcept;

  /// True when `name` is present and not null.
  bool has_value(const char* name) const noexcept;

  /// When the field `name` is present and not null, reads it as a string
  /// and records errc::malformed unless it is `expected` (context
  /// "<where><name>: expected \"X\", got \"Y\""). For echoed tickers.
  void check_optional_string(const char* name, std::string_view expected);

  /// Records an error about field `name` unless one is already recorded
  /// (context "<where><name>: <problem>").
  void fail(errc code, std::string_view name, std::string_view problem);

  /// True while nothing was missing or mistyped.
  explicit operator bool() const noexcept { return !err_.has_value(); }

  /// The first error. Precondition: !*this.
  const error& err() const& { return *err_; }

 private:
  const rapidjson::Value* find(const char* name);
  decimal to_decimal(const rapidjson::Value& v, std::string_view name);
  int64_t to_integer(const rapidjson::Value& v, std::string_view name);

  const exact_document& doc_;
  const rapidjson::Value& object_;
  std::string where_;
  std::optional<error> err_;
};

/// Name of element `i` of the array field `name`: "c[3]".
std::string element_name(std::string_view name, size_t i);

/// Parses `body` into an exact_document and returns `fn(doc)`, or the parse
/// error (errc::malformed) as the same result type: the string_view
/// overloads of the exact parsers are
///   return json::with_exact_document(body, [&](const auto& doc) {
///     return parse_x(doc, ctx);
///   });
template <class Fn>
auto with_exact_document(std::string_view body, Fn fn)
  -> decltype(fn(std::declval<const exact_document&>())) {
  exact_document doc;
  if (auto ok = doc.parse(body); !ok)
    return ok.err();
  return fn(doc);
}

} // namespace tickflow::json
