#include "api/event_json.hpp"

#include <charconv>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "pipeline/model/time.hpp"

namespace tickflow::api {

namespace {

// -- primitives -----------------------------------------------------------------
// Hot path: everything appends to the caller's buffer; no DOM, no streams.

template <class Integer>
void append_integer(std::string& out, Integer value) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), value);
  out.append(buf, static_cast<size_t>(res.ptr - buf));
}

/// Appends `"key":`. Keys are literals that never need escaping.
void append_key(std::string& out, std::string_view key) {
  out += '"';
  out.append(key.data(), key.size());
  out += "\":";
}

void append_decimal_field(std::string& out, std::string_view key,
                          const decimal& x) {
  out += ',';
  append_key(out, key);
  out += '"';
  x.append_to(out);
  out += '"';
}

void append_string_field(std::string& out, std::string_view key,
                         std::string_view value) {
  out += ',';
  append_key(out, key);
  append_json_string(out, value);
}

void append_int_field(std::string& out, std::string_view key, int64_t value) {
  out += ',';
  append_key(out, key);
  append_integer(out, value);
}

/// `,"ts":<ns>,"time":"<iso>"` style pair.
void append_time_fields(std::string& out, std::string_view key, int64_t ts_ns) {
  append_int_field(out, key, ts_ns);
  out += ",\"time\":\"";
  out += format_iso8601(ts_ns); // ISO-8601 never needs escaping
  out += '"';
}

void append_flags(std::string& out, uint32_t flags) {
  out += ",\"flags\":";
  append_flag_list(out, flags);
}

/// Opens the object with the instrument and provider fields every event has.
void append_head(std::string& out, const std::string& instrument,
                 provider source) {
  out += '{';
  append_key(out, "instrument");
  append_json_string(out, instrument);
  append_string_field(out, "provider", to_string(source));
}

} // namespace

void append_flag_list(std::string& out, uint32_t flags) {
  out += '[';
  bool first = true;
  for (size_t bit = 0; bit < std::size(quality_flag_names); ++bit) {
    if ((flags & (1u << bit)) == 0)
      continue;
    if (!first)
      out += ',';
    first = false;
    out += '"';
    out += quality_flag_names[bit];
    out += '"';
  }
  out += ']';
}

// -- events -------------------------------------------------------------------

void append_json(std::string& out, const trade& x) {
  append_head(out, x.instrument, x.source);
  append_string_field(out, "provider_symbol", x.provider_symbol);
  append_decimal_field(out, "price", x.price);
  append_decimal_field(out, "size", x.size);
  append_string_field(out, "side", to_string(x.aggressor));
  append_string_field(out, "trade_id", x.trade_id);
  append_time_fields(out, "ts", x.ts_event_ns);
  append_int_field(out, "ts_recv", x.ts_recv_ns);
  append_flags(out, x.flags);
  out += '}';
}

void append_json(std::string& out, const quote& x) {
  append_head(out, x.instrument, x.source);
  append_string_field(out, "provider_symbol", x.provider_symbol);
  append_decimal_field(out, "bid_price", x.bid_price);
  append_decimal_field(out, "bid_size", x.bid_size);
  append_decimal_field(out, "ask_price", x.ask_price);
  append_decimal_field(out, "ask_size", x.ask_size);
  append_time_fields(out, "ts", x.ts_event_ns);
  append_int_field(out, "ts_recv", x.ts_recv_ns);
  append_flags(out, x.flags);
  out += '}';
}

void append_json(std::string& out, const bar& x) {
  append_head(out, x.instrument, x.source);
  append_string_field(out, "provider_symbol", x.provider_symbol);
  append_string_field(out, "interval", to_string(x.span));
  append_time_fields(out, "open_time", x.open_time_ns);
  append_decimal_field(out, "open", x.open);
  append_decimal_field(out, "high", x.high);
  append_decimal_field(out, "low", x.low);
  append_decimal_field(out, "close", x.close);
  append_decimal_field(out, "volume", x.volume);
  out += ',';
  append_key(out, "trades");
  append_integer(out, x.trade_count);
  out += x.closed ? ",\"closed\":true" : ",\"closed\":false";
  append_flags(out, x.flags);
  out += '}';
}

void append_json(std::string& out, const price& x) {
  append_head(out, x.instrument, x.source);
  append_decimal_field(out, "price", x.value);
  if (x.trade_id.empty())
    out += ",\"trade_id\":null";
  else
    append_string_field(out, "trade_id", x.trade_id);
  append_time_fields(out, "ts", x.ts_event_ns);
  append_int_field(out, "ts_recv", x.ts_recv_ns);
  append_flags(out, x.flags);
  out += '}';
}

void append_decimal_or_null(std::string& out, const decimal& d) {
  if (d.is_zero()) {
    out += "null";
    return;
  }
  out += '"';
  d.append_to(out);
  out += '"';
}

} // namespace tickflow::api
