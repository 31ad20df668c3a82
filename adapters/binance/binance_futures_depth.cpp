#include "adapters/binance/binance_futures_depth.hpp"

#include <string>

#include "adapters/binance/binance_parse.hpp"
#include "adapters/common/json_reader.hpp"

namespace tickflow::binance {

result<book::book_snapshot>
parse_futures_depth_snapshot(std::string_view body) {
  rapidjson::Document doc;
  if (auto ok = parse_json(body, doc); !ok)
    return ok.err();
  if (!doc.IsObject())
    return error{errc::malformed, "not an object"};
  json::reader in{doc};
  book::book_snapshot out;
  out.last_update_id = in.uint64("lastUpdateId");
  auto event_ms = in.int64("E");
  in.int64("T");
  if (!in)
    return in.err();
  auto ns = ms_field_to_ns("E", event_ms);
  if (!ns)
    return ns.err();
  out.ts_event_ns = *ns;
  if (auto ok = parse_levels(doc, "bids", out.bids); !ok)
    return ok.err();
  if (auto ok = parse_levels(doc, "asks", out.asks); !ok)
    return ok.err();
  return out;
}

result<depth_update> parse_futures_depth_update(std::string_view frame) {
  rapidjson::Document doc;
  if (auto ok = parse_json(frame, doc); !ok)
    return ok.err();
  return parse_futures_depth_update(doc);
}

result<depth_update> parse_futures_depth_update(const rapidjson::Value& doc) {
  auto out = parse_depth_update(doc);
  if (!out)
    return out;
  // parse_depth_update accepted the payload, so it is an object.
  json::reader in{**depth_payload(doc)};
  auto transaction_ms = in.int64("T");
  out->delta.prev_last_update_id = in.uint64("pu");
  if (!in)
    return in.err();
  auto ns = ms_field_to_ns("T", transaction_ms);
  if (!ns)
    return ns.err();
  out->ts_transaction_ns = *ns;
  return out;
}

int futures_depth_weight(int limit) noexcept {
  switch (limit) {
    case 5:
    case 10:
    case 20:
    case 50:
      return 2;
    case 100:
      return 5;
    case 500:
      return 10;
    case 1000:
      return 20;
    default:
      return 0;
  }
}

result<depth_request> build_futures_depth_request(std::string_view symbol,
                                                  int limit) {
  if (symbol.empty())
    return error{errc::unknown_symbol, "empty symbol"};
  int weight = futures_depth_weight(limit);
  if (weight == 0)
    return error{errc::invalid_argument,
                 "limit: expected 5, 10, 20, 50, 100, 500 or 1000, got "
                   + std::to_string(limit)};
  depth_request out;
  out.request.path = std::string{futures_depth_path};
  out.request.query = {{"symbol", std::string{symbol}},
                       {"limit", std::to_string(limit)}};
  out.weight = weight;
  return out;
}

} // namespace tickflow::binance
