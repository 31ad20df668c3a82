#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace tickflow::api {

/// One parsed HTTP request, as the gateway sees it.
struct http_request {
  std::string method;  ///< "GET", "POST", ...
  std::string target;  ///< raw request target ("/api/v1/data/price?symbol=X")
  std::string path;    ///< percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> query; ///< decoded, in order
  std::vector<std::pair<std::string, std::string>> headers; ///< lowercase names
  std::string body;
  std::string remote;  ///< peer address "127.0.0.1:51234"

  /// First query value named `name` as sent, or nullptr (routes read their
  /// query through api::query_reader, api/routes/query.hpp).
  const std::string* param(const std::string& name) const;
  /// First header value named `name` (lowercase), or nullptr.
  const std::string* header(const std::string& name) const;
};

/// One HTTP response.
struct http_response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers; ///< extra headers
};

/// Completes one request. Callable from any thread, exactly once; later calls
/// are ignored. If it is dropped uncalled, the server answers 500.
using responder = std::function<void(http_response)>;

/// Called on the I/O thread for every request; must not block. It hands the
/// request on (to the gateway actor) and the responder answers later.
using request_handler = std::function<void(http_request, responder)>;

} // namespace tickflow::api
