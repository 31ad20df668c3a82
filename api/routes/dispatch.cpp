#include "api/routes/dispatch.hpp"

#include "api/routes/common.hpp"

namespace tickflow::api {

bool match_path(std::string_view pattern, std::string_view path, path_params& params) {
  params.clear();
  size_t i = 0, j = 0;
  while (i < pattern.size() && j < path.size()) {
    if (pattern[i] == '{') {
      auto close = pattern.find('}', i);
      auto end = path.find('/', j);
      if (end == std::string_view::npos)
        end = path.size();
      if (end == j)
        return false;
      params.emplace_back(pattern.substr(i + 1, close - i - 1), path.substr(j, end - j));
      i = close + 1;
      j = end;
      continue;
    }
    if (pattern[i] != path[j])
      return false;
    ++i;
    ++j;
  }
  return i == pattern.size() && j == path.size();
}

std::string method_label(const std::string& m) {
  for (auto known : {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
    if (m == known)
      return m;
  return "other";
}

http_response no_route(const http_request& req, const std::string& allowed) {
  if (allowed.empty())
    return fail(404, "not_found", "no route " + req.path);
  auto r = fail(405, "method_not_allowed", req.method + " is not allowed on " + req.path);
  r.headers.emplace_back("Allow", allowed);
  return r;
}

} // namespace tickflow::api
