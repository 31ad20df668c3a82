#pragma once

#include <string>
#include <variant>
#include <vector>

#include "api/http_types.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::api {

/// An error as REST clients see it. Every error response has one shape:
///   {"error":{"code":"invalid_argument","message":"...","field":"symbol"}}
/// ("field" is omitted when empty, "candidates" too).
struct api_error {
  unsigned status = 400;
  std::string code;    ///< snake_case, e.g. "missing_parameter", "unknown_symbol"
  std::string message; ///< human readable; never contains a secret
  std::string field;   ///< the offending parameter, if any
  /// What the client may have meant (an ambiguous symbol's instruments):
  /// "candidates":[...] when not empty.
  std::vector<std::string> candidates{};
};

/// The one table from errc to HTTP status (invalid_argument 400,
/// unknown_symbol / not_found 404, rate_limited 429, unauthorized 401,
/// unavailable 503, provider_error 502, ...).
unsigned http_status(errc code) noexcept;

/// api_error from a pure-layer error (status from http_status).
api_error to_api_error(const error& e, std::string field = {});

/// The JSON response for an error.
http_response error_response(const api_error& e);

/// A value or an api_error.
template <class T>
using api_result = std::variant<T, api_error>;

} // namespace tickflow::api
