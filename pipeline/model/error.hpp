#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tickflow {

/// Error codes of the pure layers. Starts at 1: 0 means "no error" to CAF.
enum class errc : uint8_t {
  malformed = 1,    ///< payload is not what the format says (bad JSON, bad syntax)
  missing_field,    ///< a required field is absent
  bad_number,       ///< a number does not parse exactly (exponent, too many digits)
  out_of_range,     ///< a value is outside its allowed range
  invalid_argument, ///< a caller-supplied parameter is wrong
  unknown_symbol,   ///< the instrument is not known to the provider or to tickflow
  not_found,        ///< the thing asked for does not exist
  stale,            ///< data older than its freshness bound
  rate_limited,     ///< the provider or a limit said "slow down"
  unauthorized,     ///< bad or missing credentials
  provider_error,   ///< the provider answered with an error of its own
  unavailable,      ///< a dependency is down
  config_invalid,   ///< a configuration value is wrong
};

/// Stable snake_case name of an error code, used in logs and JSON errors.
std::string_view to_string(errc code) noexcept;

/// An error code plus what it was about (a field name, a value, a message).
struct error {
  errc code = errc::malformed;
  std::string context;

  /// "code: context", for logs.
  std::string message() const;
};

/// A value or an error. Pure code returns this instead of throwing.
template <class T>
class result {
 public:
  result(T value) : v_(std::move(value)) {}           // NOLINT: implicit on purpose
  result(error err) : v_(std::move(err)) {}           // NOLINT
  result(errc code, std::string context = {})
      : v_(error{code, std::move(context)}) {}

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const error& err() const& { return std::get<1>(v_); }
  error&& err() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, error> v_;
};

/// result<void>: success or an error.
template <>
class result<void> {
 public:
  result() = default;
  result(error err) : err_(std::move(err)), ok_(false) {} // NOLINT
  result(errc code, std::string context = {})
      : err_{code, std::move(context)}, ok_(false) {}

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const error& err() const& { return err_; }

 private:
  error err_;
  bool ok_ = true;
};

} // namespace tickflow
