#include "api/http_types.hpp"

namespace tickflow::api {

namespace {

// Requests carry a handful of parameters and headers: a linear scan beats
// building a map per request.
const std::string*
find_first(const std::vector<std::pair<std::string, std::string>>& items,
           const std::string& name) {
  for (const auto& [key, value] : items)
    if (key == name)
      return &value;
  return nullptr;
}

} // namespace

const std::string* http_request::param(const std::string& name) const {
  return find_first(query, name);
}

const std::string* http_request::header(const std::string& name) const {
  return find_first(headers, name);
}

} // namespace tickflow::api
