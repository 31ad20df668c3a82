#pragma once

// Polygon/Massive pagination: a list reply that holds more than one page
// ends with "next_url", the full URL of the next page with a cursor and
// without the key:
//   {"results":[...],"resultsCount":2,"status":"OK",
//    "next_url":"https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/day/
//                1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw"}
// Only its path and query are kept: the next page goes to the configured
// base URL (never to a host a reply names), with the key added again.

#include <string>
#include <string_view>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::polygon {

/// The path and query of `next_url` ("/v2/aggs/...?cursor=..."), or ""
/// when it is empty, not an http(s) URL, or its path does not begin with
/// `path_prefix` (a page of another endpoint is never followed).
std::string page_of_next_url(std::string_view next_url, std::string_view path_prefix);

/// The request of a page kept by page_of_next_url: GET its path with its
/// query (percent-decoded, re-encoded by url(); any apiKey in it dropped)
/// and the key. errc::malformed when `page` is not a path.
result<outbound_request> page_request(std::string_view page, std::string_view api_key);

} // namespace tickflow::polygon
