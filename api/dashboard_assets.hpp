#pragma once

#include <string_view>
#include <vector>

namespace tickflow::api {

/// One static file of the dashboard (api/dashboard/), compiled into the
/// binary by api/dashboard/embed.cmake.
struct dashboard_asset {
  std::string_view name;         ///< file name: "index.html", "app.js"
  std::string_view content_type; ///< "text/html; charset=utf-8"
  std::string_view body;         ///< the file's bytes, as written
};

/// Every dashboard file (generated source: build/api/dashboard_assets.cpp).
const std::vector<dashboard_asset>& dashboard_assets();

} // namespace tickflow::api
