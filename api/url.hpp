#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/model/error.hpp"

namespace tickflow::api {

/// A request target split into its decoded parts.
struct parsed_target {
  std::string path; ///< percent-decoded, starts with '/'
  std::vector<std::pair<std::string, std::string>> query; ///< decoded, in order
};

/// Percent-encodes a query component (RFC 3986 unreserved characters kept).
std::string percent_encode(std::string_view text);

/// Percent-decodes `text`. With `plus_is_space` (query components) '+' means
/// a space; in paths it stays a '+'. errc::malformed for an escape that is
/// not '%' plus two hex digits ("%zz", "%4") and for a NUL byte, escaped
/// ("%00") or not.
result<std::string> percent_decode(std::string_view text, bool plus_is_space);

/// Decodes `text` into `out` (cleared first; its capacity is reused).
/// Same rules as percent_decode.
result<void> percent_decode_into(std::string_view text, bool plus_is_space,
                                 std::string& out);

/// Splits an origin-form request target ("/a/b?x=1&y=2") into its decoded
/// path and query pairs. The path must start with '/'. Query pairs are
/// separated by '&'; empty pairs are skipped; a pair without '=' has an
/// empty value. A fragment ('#') is not allowed in a request target.
/// errc::malformed with the reason on any violation.
result<void> parse_target_into(std::string_view target, std::string& path,
    std::vector<std::pair<std::string, std::string>>& query);

/// As parse_target_into, returning a fresh parsed_target.
result<parsed_target> parse_target(std::string_view target);

} // namespace tickflow::api
