#pragma once

// What every area's answers share: the JSON response, the one error shape
// and small JSON pieces (lists of strings, times, "provider: reason" lists).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_error.hpp"
#include "api/http_types.hpp"
#include "pipeline/model/reports.hpp"

namespace tickflow::api {

/// A JSON response.
http_response json(unsigned status, std::string body);

/// The one error shape: {"error":{"code":..,"message":..,"field":..}}.
http_response fail(unsigned status, std::string code, std::string message,
                   std::string field = {});

/// The reply for a lookup that found nothing: 404 unknown_symbol or no_data.
http_response not_found(lookup_status status, const std::string& instrument);

/// The reply when a provider= is known but not in [providers] enabled.
http_response provider_not_enabled(const std::string& provider);

/// Appends ["a","b"].
void append_strings(std::string& out, const std::vector<std::string>& xs);

/// Appends `s` as a JSON string, or null when empty.
void append_text_or_null(std::string& out, std::string_view s);

/// Appends the ISO-8601 time of `ns` as a JSON string, or null when not > 0.
void append_time_or_null(std::string& out, int64_t ns);

/// Appends `v` in decimal.
void append_int(std::string& out, int64_t v);

/// Appends "name: reason" strings as [{"provider":..,"reason":..}] (a string
/// without ": " is all provider, with an empty reason).
void append_reasons(std::string& out, const std::vector<std::string>& xs);

/// The code and message of a response in the one error shape; both empty
/// when it is not one.
std::pair<std::string, std::string> error_of(const http_response& r);

} // namespace tickflow::api
