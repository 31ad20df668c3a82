#include "adapters/binance/binance_depth.hpp"

#include <limits>
#include <string>

#include "adapters/binance/binance_parse.hpp"
#include "adapters/common/json_reader.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::binance {

namespace {

// A level element at position j: a decimal string.
result<decimal> level_number(const rapidjson::Value& v, const char* name,
                             size_t i, size_t j) {
  auto where = [&] {
    return std::string{name} + "[" + std::to_string(i) + "]["
           + std::to_string(j) + "]: ";
  };
  if (!v.IsString())
    return error{errc::bad_number, where() + "expected a decimal string"};
  auto x = decimal::parse({v.GetString(), v.GetStringLength()});
  if (!x)
    return error{errc::bad_number, where() + x.err().context};
  return *x;
}

} // namespace

result<void> parse_levels(const rapidjson::Value& obj, const char* name,
                          std::vector<book::level>& out) {
  out.clear();
  auto m = obj.FindMember(name);
  if (m == obj.MemberEnd())
    return error{errc::missing_field, name};
  const auto& rows = m->value;
  if (!rows.IsArray())
    return error{errc::malformed, std::string{name} + ": expected an array"};
  if (rows.Size() > max_depth_levels)
    return error{errc::out_of_range,
                 std::string{name} + ": " + std::to_string(rows.Size())
                   + " levels, more than "
                   + std::to_string(max_depth_levels)};
  out.reserve(rows.Size());
  for (rapidjson::SizeType i = 0; i < rows.Size(); ++i) {
    const auto& row = rows[i];
    if (!row.IsArray() || row.Size() < 2)
      return error{errc::malformed, std::string{name} + "["
                                      + std::to_string(i)
                                      + "]: expected [price, qty]"};
    auto price = level_number(row[0], name, i, 0);
    if (!price)
      return price.err();
    auto qty = level_number(row[1], name, i, 1);
    if (!qty)
      return qty.err();
    if (!price->is_positive() || qty->is_negative())
      return error{errc::out_of_range,
                   std::string{name} + "[" + std::to_string(i)
                     + "]: price must be > 0 and qty >= 0"};
    out.push_back(book::level{*price, *qty});
  }
  return {};
}

result<int64_t> ms_field_to_ns(const char* name, int64_t ms) {
  constexpr int64_t max_ms = std::numeric_limits<int64_t>::max() / ns_per_ms;
  if (ms < 0 || ms > max_ms)
    return error{errc::out_of_range,
                 std::string{name} + ": time out of range: "
                   + std::to_string(ms)};
  return ms * ns_per_ms;
}

result<void> check_update_range(const book::book_delta& delta) {
  if (delta.first_update_id > delta.last_update_id)
    return error{errc::malformed,
                 "U: first update id " + std::to_string(delta.first_update_id)
                   + " after last " + std::to_string(delta.last_update_id)};
  return {};
}

result<const rapidjson::Value*> depth_payload(const rapidjson::Value& doc) {
  if (!doc.IsObject())
    return error{errc::malformed, "not an object"};
  auto data = doc.FindMember("data");
  if (data == doc.MemberEnd() || !doc.HasMember("stream"))
    return &doc;
  if (!data->value.IsObject())
    return error{errc::malformed, "data: expected an object"};
  return &data->value;
}

result<book::book_snapshot> parse_depth_snapshot(std::string_view body) {
  rapidjson::Document doc;
  if (auto ok = parse_json(body, doc); !ok)
    return ok.err();
  if (!doc.IsObject())
    return error{errc::malformed, "not an object"};
  json::reader in{doc};
  book::book_snapshot out;
  out.last_update_id = in.uint64("lastUpdateId");
  if (!in)
    return in.err();
  if (auto ok = parse_levels(doc, "bids", out.bids); !ok)
    return ok.err();
  if (auto ok = parse_levels(doc, "asks", out.asks); !ok)
    return ok.err();
  return out;
}

result<depth_update> parse_depth_update(std::string_view frame) {
  rapidjson::Document doc;
  if (auto ok = parse_json(frame, doc); !ok)
    return ok.err();
  return parse_depth_update(doc);
}

result<depth_update> parse_depth_update(const rapidjson::Value& doc) {
  auto payload = depth_payload(doc);
  if (!payload)
    return payload.err();
  const auto& data = **payload;
  json::reader in{data};
  auto event = in.string("e");
  depth_update out;
  out.symbol = std::string{in.string("s")};
  auto event_ms = in.int64("E");
  out.delta.first_update_id = in.uint64("U");
  out.delta.last_update_id = in.uint64("u");
  if (!in)
    return in.err();
  if (event != depth_update_event)
    return error{errc::malformed,
                 "e: expected depthUpdate, got " + std::string{event}};
  if (auto ok = check_update_range(out.delta); !ok)
    return ok.err();
  auto ns = ms_field_to_ns("E", event_ms);
  if (!ns)
    return ns.err();
  out.delta.ts_event_ns = *ns;
  if (auto ok = parse_levels(data, "b", out.delta.bids); !ok)
    return ok.err();
  if (auto ok = parse_levels(data, "a", out.delta.asks); !ok)
    return ok.err();
  return out;
}

int depth_weight(int limit) noexcept {
  if (limit < 1 || limit > 5000)
    return 0;
  if (limit <= 100)
    return 5;
  if (limit <= 500)
    return 25;
  if (limit <= 1000)
    return 50;
  return 250;
}

result<depth_request> build_depth_request(std::string_view symbol,
                                          int limit) {
  if (symbol.empty())
    return error{errc::unknown_symbol, "empty symbol"};
  int weight = depth_weight(limit);
  if (weight == 0)
    return error{errc::invalid_argument,
                 "limit: expected 1..5000, got " + std::to_string(limit)};
  depth_request out;
  out.request.path = std::string{depth_path};
  out.request.query = {{"symbol", std::string{symbol}},
                       {"limit", std::to_string(limit)}};
  out.weight = weight;
  return out;
}

} // namespace tickflow::binance
