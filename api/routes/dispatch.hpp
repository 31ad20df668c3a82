#pragma once

// Finding the route of a request: patterns with {name} segments, HEAD
// served by GET routes, 404 for no route and 405 (with Allow) for a path
// whose routes take other methods. The gateway's route table holds the
// handlers; this only matches.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http_types.hpp"

namespace tickflow::api {

/// Path parameters of a match: ("id", "j-1").
using path_params = std::vector<std::pair<std::string, std::string>>;

/// Matches `path` against a pattern whose {name} segments take one
/// non-empty segment each; fills `params` (cleared first).
bool match_path(std::string_view pattern, std::string_view path, path_params& params);

/// The method as a metrics label (unknown methods share the label "other").
std::string method_label(const std::string& method);

/// What a route table said about a request.
struct route_lookup {
  static constexpr size_t none = static_cast<size_t>(-1);
  size_t index = none;         ///< the route to run
  size_t pattern_index = none; ///< no route to run: the last whose path matched
  std::string allowed;         ///< ... and the methods those take ("GET, HEAD, POST")
};

/// Finds the route for `method` (HEAD as GET) and `path` in `routes`
/// (anything with .method and .pattern), in order; fills `params`.
template <class Route>
route_lookup find_route(const std::vector<Route>& routes, const std::string& method,
                        const std::string& path, path_params& params) {
  route_lookup out;
  std::string_view wanted = method == "HEAD" ? std::string_view{"GET"} : method;
  for (size_t i = 0; i < routes.size(); ++i) {
    auto& r = routes[i];
    if (!match_path(r.pattern, path, params))
      continue;
    if (r.method == wanted) {
      out.index = i;
      return out;
    }
    out.pattern_index = i;
    if (out.allowed.find(r.method) == std::string::npos)
      out.allowed += (out.allowed.empty() ? "" : ", ") + r.method
                     + (r.method == "GET" ? ", HEAD" : "");
  }
  return out;
}

/// 404 not_found when no route has the path (`allowed` empty), else 405
/// method_not_allowed with an Allow header.
http_response no_route(const http_request& req, const std::string& allowed);

} // namespace tickflow::api
