#pragma once

#include <string_view>

namespace tickflow::api {

/// The OpenAPI 3 document of the REST API (api/openapi.json, compiled in),
/// served at GET /openapi.json.
std::string_view openapi_document() noexcept;

} // namespace tickflow::api
