#pragma once

// Massive (formerly Polygon.io) futures over REST, as a rest_adapter. What
// each fetch_kind asks for (paths under the prefix, default "/futures/vX"):
//   bars   GET {prefix}/aggs/{ticker}?resolution=...
//   price  GET {prefix}/trades/{ticker}?limit=1&sort=timestamp.desc
//   quote  GET {prefix}/quotes/{ticker}?limit=10&sort=timestamp.desc (the
//          newest two-sided one)
// Contracts and products (reference lists) have their own pure builders and
// parsers in massive_futures_request.hpp / massive_futures_parse.hpp.
// Instruments: the canonical id is the contract ticker as given ("ESZ4"),
// asset class futures; adapter_options::symbol_overrides apply first.
// The key goes in the query (`apiKey`, a secret).

#include <memory>
#include <string>

#include "adapters/common/rest_adapter.hpp"

namespace tickflow {

/// The futures adapter on the documented path prefix ("/futures/vX").
std::unique_ptr<rest_adapter>
make_massive_futures_adapter(const adapter_options& opts);

/// The futures adapter on another path prefix (no trailing '/'), e.g.
/// "/futures/v1" when Massive moves the API out of vX.
std::unique_ptr<rest_adapter>
make_massive_futures_adapter(const adapter_options& opts,
                             std::string path_prefix);

} // namespace tickflow
