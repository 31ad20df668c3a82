#include "api/routes/book.hpp"

#include "api/book_json.hpp"
#include "api/routes/query.hpp"
#include "pipeline/broadcast/channel.hpp"

namespace tickflow::api {

api_result<book_query> parse_book_query(const http_request& req,
                                        const symbol_resolver& symbols) {
  for (auto& [key, value] : req.query)
    if (key != "symbol" && key != "depth")
      return api_error{400, "invalid_parameter",
                       "unknown parameter '" + broadcast::echo_input(key)
                         + "' (book takes symbol and depth)",
                       broadcast::echo_input(key)};
  query_reader in{req, symbols};
  book_query q;
  q.instrument = in.symbol();
  q.requested = std::string{in.text("symbol")};
  q.depth = in.whole("depth", 1, 1000, 20);
  if (!in)
    return std::move(in.error());
  return q;
}

std::string book_body(const book::book_view& v, size_t depth, const provenance& from) {
  std::string out;
  out.reserve(256 + (v.bids.size() + v.asks.size()) * 32);
  append_json(out, v, depth);
  out.pop_back(); // reopen the object to add provenance
  append_provenance(out, from);
  out += '}';
  return out;
}

} // namespace tickflow::api
