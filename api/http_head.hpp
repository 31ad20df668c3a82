#pragma once

#include <cstddef>
#include <string>

#include "api/http_types.hpp"

namespace tickflow::api {

/// Writes the status line and headers of an answer into `out` (cleared
/// first, its capacity reused): "HTTP/1.x <status> <reason>", Server,
/// Content-Type and Content-Length (of `body_size` bytes; neither for 204 and
/// 304), then the extra headers of `res` that are well-formed and not among
/// those the server writes itself (Content-Length, Transfer-Encoding,
/// Connection, Server, Content-Type), then Connection when keep-alive is not
/// the version's default, and the blank line.
void render_response_head(std::string& out, const http_response& res,
                          unsigned version, bool keep_alive, size_t body_size);

} // namespace tickflow::api
