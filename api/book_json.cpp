#include "api/book_json.hpp"

#include "pipeline/model/json_string.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::api {

namespace {

void append_pair(std::string& out, const decimal& price, const decimal& size) {
  out += "[\"";
  price.append_to(out);
  out += "\",\"";
  size.append_to(out);
  out += "\"]";
}

template <class Level>
void append_levels(std::string& out, std::string_view key,
                   const std::vector<Level>& xs) {
  out += ",\"";
  out.append(key.data(), key.size());
  out += "\":[";
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i > 0)
      out += ',';
    append_pair(out, xs[i].price, xs[i].size);
  }
  out += ']';
}

void append_int(std::string& out, std::string_view key, int64_t x) {
  out += ",\"";
  out.append(key.data(), key.size());
  out += "\":";
  out += std::to_string(x);
}

/// "instrument", "update_id", "ts" and "time" after an opened object.
void append_book_head(std::string& out, const book::book_view& v) {
  out += "\"instrument\":";
  append_json_string(out, v.instrument);
  out += ",\"update_id\":";
  out += std::to_string(v.update_id);
  append_int(out, "ts", v.ts_event_ns);
  out += ",\"time\":\"";
  out += format_iso8601(v.ts_event_ns);
  out += '"';
}

void append_crossed(std::string& out, bool crossed) {
  out += crossed ? ",\"crossed\":true" : ",\"crossed\":false";
}

std::string message_head(std::string_view type, std::string_view channel) {
  std::string out{"{\"type\":\""};
  out.append(type.data(), type.size());
  out += "\",\"channel\":";
  append_json_string(out, channel);
  out += ',';
  return out;
}

} // namespace

void append_json(std::string& out, const book::book_view& v, size_t depth) {
  out += '{';
  append_book_head(out, v);
  out += ",\"provider\":\"";
  out += to_string(v.source);
  out += '"';
  append_int(out, "ts_recv", v.ts_recv_ns);
  append_int(out, "depth", static_cast<int64_t>(depth));
  append_levels(out, "bids", v.bids);
  append_levels(out, "asks", v.asks);
  append_crossed(out, v.crossed);
  out += '}';
}

std::string book_snapshot_message(std::string_view channel,
                                  const book::book_view& v, size_t depth) {
  std::string out{"{\"type\":\"snapshot\",\"channel\":"};
  append_json_string(out, channel);
  out += ",\"book\":";
  append_json(out, v, depth);
  out += '}';
  return out;
}

std::string book_delta_message(std::string_view channel, const book::book_view& v,
                               const std::vector<book_level>& bids,
                               const std::vector<book_level>& asks) {
  auto out = message_head("book", channel);
  out.reserve(out.size() + 96 + (bids.size() + asks.size()) * 32);
  append_book_head(out, v);
  append_levels(out, "bids", bids);
  append_levels(out, "asks", asks);
  append_crossed(out, v.crossed);
  out += '}';
  return out;
}

std::string book_top_message(std::string_view channel, const book::book_view& v,
                             bool snapshot) {
  auto out = message_head(snapshot ? "snapshot" : "book_top", channel);
  append_book_head(out, v);
  out += ",\"bid\":";
  if (v.bids.empty())
    out += "null";
  else
    append_pair(out, v.bids[0].price, v.bids[0].size);
  out += ",\"ask\":";
  if (v.asks.empty())
    out += "null";
  else
    append_pair(out, v.asks[0].price, v.asks[0].size);
  append_crossed(out, v.crossed);
  out += '}';
  return out;
}

} // namespace tickflow::api
