#pragma once

// The order book route:
//   GET /api/v1/data/book?symbol=&depth=
// the top levels of an instrument's book as the books actor holds it.

#include <cstddef>
#include <string>

#include "api/api_error.hpp"
#include "api/http_types.hpp"
#include "api/routes/data.hpp"
#include "pipeline/book/book_store.hpp"
#include "pipeline/normalize/symbol_resolver.hpp"

namespace tickflow::api {

/// GET /api/v1/data/book?symbol=BTC-USDT&depth=20
struct book_query {
  std::string instrument; ///< canonical (symbol= resolved)
  std::string requested;  ///< symbol= as the client wrote it (trimmed)
  size_t depth = 20;      ///< levels per side, 1..1000
};

/// symbol= as the other data routes (missing: 400 missing_parameter;
/// not an id: 400 invalid_parameter; ambiguous: 400 ambiguous_symbol);
/// depth= a whole number in 1..1000 (400 invalid_parameter "depth");
/// any other parameter: 400 invalid_parameter naming it.
api_result<book_query> parse_book_query(const http_request& req,
                                        const symbol_resolver& symbols = shape_resolver());

/// Body of GET /api/v1/data/book:
///   {"instrument":..,"update_id":N,"ts":ns,"time":ISO,"provider":..,
///    "ts_recv":ns,"depth":N,"bids":[["price","size"],..],"asks":[..],
///    "crossed":b,"source":..,"cached":..,"as_of":..,"age_ms":..,
///    "freshness":..}
/// (bids best first: highest; asks best first: lowest). A crossed (or
/// locked) book is served with "crossed":true: not a healthy book.
std::string book_body(const book::book_view& v, size_t depth, const provenance& from);

} // namespace tickflow::api
