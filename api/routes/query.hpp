#pragma once

// The one reader of query parameters. Every route reads its query through a
// query_reader, so every route follows the same rules:
//   - names are case-sensitive, and the first of repeated names counts
//     (each_value sees them all, for lists such as indicator=);
//   - surrounding whitespace is ignored, and an empty value is an absent one
//     ("?limit=" means the default, "?symbol=" is a missing symbol);
//   - parameters a route does not read are accepted and ignored;
//   - the first problem wins: later reads keep their fallback, and the route
//     answers 400 with that problem (api_error, the one error shape).
// Reading allocates only what is kept (an instrument id) and the problem's
// message, so the cached price reads its query without a heap allocation.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/api_error.hpp"
#include "api/http_types.hpp"
#include "pipeline/model/interval.hpp"
#include "pipeline/normalize/symbol_resolver.hpp"

namespace tickflow::api {

/// `s` without surrounding ASCII whitespace (space, \t, \n, \r, \f, \v).
std::string_view trim_space(std::string_view s) noexcept;

/// The message for a symbol that is no instrument id (data routes).
inline constexpr std::string_view symbol_rule =
  "'symbol' must be an instrument id such as BTC-USDT "
  "(1-32 of A-Z, 0-9, '-', '.', '=', '_', '/', ':')";

/// An instrument id given outside the query (a path segment), read by the
/// rules of symbol=: trimmed, then resolved to its canonical id (`symbols`:
/// "btcusdt", "BTC/USDT", "BINANCE:BTCUSDT" -> "BTC-USDT"). Empty:
/// missing_parameter; not an id: invalid_parameter with `rule`; several
/// instruments fit: ambiguous_symbol with the candidates; field "symbol"
/// every time.
api_result<std::string> read_instrument(std::string_view value,
                                        std::string_view rule = symbol_rule,
                                        const symbol_resolver& symbols = shape_resolver());

/// How an integer's range reads in its message: "'limit' must be an integer
/// from 1 to 5000" or "'period' must be an integer in 1..500".
enum class range_words : uint8_t { from_to, dots };

/// Reads the query of one request; remembers the first problem.
/// A query's start= and end=; nullopt when absent.
struct time_range {
  std::optional<int64_t> start_ns;
  std::optional<int64_t> end_ns;
};

class query_reader {
public:
  /// `symbols` resolves symbol= and instrument(); the shape rules alone
  /// unless the caller has the configured resolver.
  explicit query_reader(const http_request& req,
                        const symbol_resolver& symbols = shape_resolver()) noexcept
    : req_(&req), symbols_(&symbols) {}

  /// The trimmed value of the first parameter `name`; "" when absent.
  std::string_view text(std::string_view name) const noexcept;

  /// Calls f(value) for every parameter `name`, in order, untrimmed.
  template <class F>
  void each_value(std::string_view name, F&& f) const {
    for (auto& [key, value] : req_->query)
      if (key == name)
        f(std::string_view{value});
  }

  /// symbol=, required: the canonical id it resolves to (read_instrument).
  /// Absent: missing_parameter; not an id: invalid_parameter with `rule`.
  std::string symbol(std::string_view rule = symbol_rule);

  /// symbol=, optional: "" when absent, else as symbol().
  std::string optional_symbol(std::string_view rule = symbol_rule);

  /// An instrument id given elsewhere (a path segment), read as symbol= is;
  /// a problem names the field "symbol".
  std::string instrument(std::string_view value, std::string_view rule);

  /// provider=, optional: "" or a known provider name (lower-cased).
  std::string provider();

  /// interval=, an interval name ("1m" and "1M" differ); `fallback` when absent.
  interval span(interval fallback);

  /// A whole number (digits only) in lo..hi; `fallback` when absent.
  size_t whole(std::string_view name, size_t lo, size_t hi, size_t fallback,
               range_words words = range_words::from_to);

  /// A finite number in (0, hi]; `fallback` when absent; `rule` says why not.
  double positive(std::string_view name, double hi, double fallback,
                  std::string_view rule);

  /// A time (parse_timestamp: date, ISO 8601 UTC or epoch number) at or
  /// after the epoch; 0 (unbounded) when absent.
  int64_t timestamp(std::string_view name);

  /// Checks that start is not after end (when both are given).
  void ordered(int64_t start_ns, int64_t end_ns);

  /// start= and end= (timestamp() rules), told apart from absent: a given
  /// start of 0 is the epoch, not "no start". start after end is 400
  /// invalid_parameter "start"; an end at the epoch is 400 "end" (nothing
  /// is that old, and 0 would otherwise mean "open"). With
  /// `whole_end_date`, an end given as a date (YYYY-MM-DD) is the last ns
  /// of that day, so all of the date's bars are in the range (ohlcv,
  /// historical, corporate-actions; docs/API.md "Bar convention").
  time_range range(bool whole_end_date = false);

  /// true/1 or false/0; false when absent.
  bool flag(std::string_view name);

  /// Records a missing parameter ("missing required parameter 'x'", or
  /// `message` when given) unless a problem is known already.
  void missing(std::string_view field, std::string message = {});

  /// Records an invalid parameter unless a problem is known already.
  void invalid(std::string_view field, std::string message);

  /// No problem so far.
  explicit operator bool() const noexcept { return !failed_; }

  /// The first problem (meaningful once the reader tests false).
  api_error& error() noexcept { return error_; }

private:
  const http_request* req_;
  const symbol_resolver* symbols_;
  api_error error_;
  bool failed_ = false;
};

} // namespace tickflow::api
