#include "pipeline/model/error.hpp"

namespace tickflow {

std::string_view to_string(errc code) noexcept {
  switch (code) {
    case errc::malformed:
      return "malformed";
    case errc::missing_field:
      return "missing_field";
    case errc::bad_number:
      return "bad_number";
    case errc::out_of_range:
      return "out_of_range";
    case errc::invalid_argument:
      return "invalid_argument";
    case errc::unknown_symbol:
      return "unknown_symbol";
    case errc::not_found:
      return "not_found";
    case errc::stale:
      return "stale";
    case errc::rate_limited:
      return "rate_limited";
    case errc::unauthorized:
      return "unauthorized";
    case errc::provider_error:
      return "provider_error";
    case errc::unavailable:
      return "unavailable";
    case errc::config_invalid:
      return "config_invalid";
  }
  return "unknown_error";
}

std::string error::message() const {
  auto name = to_string(code);
  std::string out;
  out.reserve(name.size() + 2 + context.size());
  out.append(name);
  if (!context.empty()) {
    out.append(": ");
    out.append(context);
  }
  return out;
}

} // namespace tickflow
