#include "adapters/redis/event_codec.hpp"

#include <optional>
#include <string>
#include <utility>

#include "adapters/common/json_reader.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::redis {

namespace {

using value = rapidjson::Value;

/// Instrument and provider, the fields every event starts with, read through
/// `in` (which records the first missing or mistyped field).
struct common_fields {
  std::string instrument;
  provider source{};
};

result<common_fields> read_common(json::reader& in) {
  common_fields out;
  out.instrument = std::string{in.string("instrument")};
  auto source = in.string("provider");
  if (!in)
    return in.err();
  if (!is_canonical_instrument(out.instrument))
    return {errc::malformed, "instrument: not canonical"};
  auto p = provider_from_string(source);
  if (!p)
    return {errc::malformed, "provider: unknown"};
  out.source = *p;
  return out;
}

/// The "flags" array of names: required, every name known.
result<uint32_t> read_flags(const value& v) {
  auto f = v.FindMember("flags");
  if (f == v.MemberEnd())
    return {errc::missing_field, "flags"};
  if (!f->value.IsArray())
    return {errc::malformed, "flags: expected an array"};
  uint32_t out = quality_none;
  for (auto& x : f->value.GetArray()) {
    if (!x.IsString())
      return {errc::malformed, "flags: expected strings"};
    auto flag = quality_flag_from_string({x.GetString(), x.GetStringLength()});
    if (!flag)
      return {errc::malformed, "flags: unknown flag"};
    out |= *flag;
  }
  return out;
}

std::optional<side> side_from_string(std::string_view name) noexcept {
  for (auto s : {side::unknown, side::buy, side::sell})
    if (to_string(s) == name)
      return s;
  return std::nullopt;
}

std::optional<feed_state> feed_state_from_string(std::string_view name) noexcept {
  for (auto s : {feed_state::connected, feed_state::disconnected, feed_state::reconnected,
                 feed_state::degraded, feed_state::backfilled})
    if (to_string(s) == name)
      return s;
  return std::nullopt;
}

/// A time field that is an integer (ns) or null (0).
result<int64_t> optional_time(const value& v, const char* name) {
  auto f = v.FindMember(name);
  if (f == v.MemberEnd())
    return {errc::missing_field, name};
  if (f->value.IsNull())
    return int64_t{0};
  if (!f->value.IsInt64())
    return {errc::malformed, std::string{name} + ": expected an integer or null"};
  return f->value.GetInt64();
}

/// Parses `json` into `doc`; errc::malformed unless it is an object.
result<void> parse_object(std::string_view json, rapidjson::Document& doc) {
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject())
    return {errc::malformed, "not a JSON object"};
  return {};
}

} // namespace

result<trade> decode_trade(const value& v) {
  json::reader in{v};
  auto common = read_common(in);
  if (!common)
    return std::move(common).err();
  trade x;
  x.instrument = std::move(common->instrument);
  x.source = common->source;
  x.provider_symbol = std::string{in.string("provider_symbol")};
  x.price = in.decimal_from_string("price");
  x.size = in.decimal_from_string("size");
  auto aggressor = in.string("side");
  x.trade_id = std::string{in.string("trade_id")};
  x.ts_event_ns = in.int64("ts");
  x.ts_recv_ns = in.int64("ts_recv");
  if (!in)
    return in.err();
  auto s = side_from_string(aggressor);
  if (!s)
    return {errc::malformed, "side: unknown"};
  x.aggressor = *s;
  auto flags = read_flags(v);
  if (!flags)
    return std::move(flags).err();
  x.flags = *flags;
  return x;
}

result<quote> decode_quote(const value& v) {
  json::reader in{v};
  auto common = read_common(in);
  if (!common)
    return std::move(common).err();
  quote x;
  x.instrument = std::move(common->instrument);
  x.source = common->source;
  x.provider_symbol = std::string{in.string("provider_symbol")};
  x.bid_price = in.decimal_from_string("bid_price");
  x.bid_size = in.decimal_from_string("bid_size");
  x.ask_price = in.decimal_from_string("ask_price");
  x.ask_size = in.decimal_from_string("ask_size");
  x.ts_event_ns = in.int64("ts");
  x.ts_recv_ns = in.int64("ts_recv");
  if (!in)
    return in.err();
  auto flags = read_flags(v);
  if (!flags)
    return std::move(flags).err();
  x.flags = *flags;
  return x;
}

result<bar> decode_bar(const value& v) {
  json::reader in{v};
  auto common = read_common(in);
  if (!common)
    return std::move(common).err();
  bar x;
  x.instrument = std::move(common->instrument);
  x.source = common->source;
  x.provider_symbol = std::string{in.string("provider_symbol")};
  auto span = in.string("interval");
  x.open_time_ns = in.int64("open_time");
  x.open = in.decimal_from_string("open");
  x.high = in.decimal_from_string("high");
  x.low = in.decimal_from_string("low");
  x.close = in.decimal_from_string("close");
  x.volume = in.decimal_from_string("volume");
  x.trade_count = in.uint64("trades");
  x.closed = in.boolean("closed");
  if (!in)
    return in.err();
  auto iv = parse_interval(span);
  if (!iv)
    return {errc::malformed, "interval: unknown"};
  x.span = *iv;
  auto flags = read_flags(v);
  if (!flags)
    return std::move(flags).err();
  x.flags = *flags;
  return x;
}

result<price> decode_price(const value& v) {
  json::reader in{v};
  auto common = read_common(in);
  if (!common)
    return std::move(common).err();
  price x;
  x.instrument = std::move(common->instrument);
  x.source = common->source;
  x.value = in.decimal_from_string("price");
  x.ts_event_ns = in.int64("ts");
  x.ts_recv_ns = in.int64("ts_recv");
  if (!in)
    return in.err();
  // api/event_json writes null for a price no trade set.
  if (auto id = v.FindMember("trade_id"); id != v.MemberEnd()) {
    if (id->value.IsString())
      x.trade_id.assign(id->value.GetString(), id->value.GetStringLength());
    else if (!id->value.IsNull())
      return {errc::malformed, "trade_id: expected a string or null"};
  }
  auto flags = read_flags(v);
  if (!flags)
    return std::move(flags).err();
  x.flags = *flags;
  return x;
}

result<price> parse_price_json(std::string_view json) {
  rapidjson::Document doc;
  if (auto ok = parse_object(json, doc); !ok)
    return ok.err();
  return decode_price(doc);
}

result<bar> parse_bar_json(std::string_view json) {
  rapidjson::Document doc;
  if (auto ok = parse_object(json, doc); !ok)
    return ok.err();
  return decode_bar(doc);
}

result<feed_status> decode_feed_status(const value& v) {
  json::reader in{v};
  auto source = in.string("provider");
  feed_status x;
  x.connection = std::string{in.string("connection")};
  auto state = in.string("state");
  x.reason = std::string{in.string("reason")};
  x.ts_ns = in.int64("ts");
  if (!in)
    return in.err();
  auto p = provider_from_string(source);
  if (!p)
    return {errc::malformed, "provider: unknown"};
  x.source = *p;
  auto st = feed_state_from_string(state);
  if (!st)
    return {errc::malformed, "state: unknown"};
  x.state = *st;
  auto from = optional_time(v, "gap_start");
  if (!from)
    return std::move(from).err();
  auto to = optional_time(v, "gap_end");
  if (!to)
    return std::move(to).err();
  x.gap_start_ns = *from;
  x.gap_end_ns = *to;
  return x;
}

namespace {

/// An ISO-8601 time field or null (0).
result<int64_t> optional_iso_time(const value& v, const char* name) {
  auto f = v.FindMember(name);
  if (f == v.MemberEnd())
    return {errc::missing_field, name};
  if (f->value.IsNull())
    return int64_t{0};
  if (!f->value.IsString())
    return {errc::malformed, std::string{name} + ": expected a string or null"};
  auto t = parse_timestamp({f->value.GetString(), f->value.GetStringLength()});
  if (!t)
    return {errc::malformed, std::string{name} + ": not an ISO-8601 time"};
  return *t;
}

constexpr size_t max_quarantine_fields = 64;

} // namespace

result<quarantined_event> decode_quarantined(const value& v) {
  json::reader in{v};
  quarantined_event x;
  x.seq = in.uint64("seq");
  auto why = in.string("rule");
  x.reason = std::string{in.string("reason")};
  x.dropped = in.boolean("dropped");
  auto source = in.string("provider");
  x.instrument = std::string{in.string("instrument")};
  x.type = std::string{in.string("type")};
  if (!in)
    return in.err();
  auto r = rule_from_string(why);
  if (!r)
    return {errc::malformed, "rule: unknown"};
  x.why = *r;
  auto p = provider_from_string(source);
  if (!p)
    return {errc::malformed, "provider: unknown"};
  x.source = *p;
  auto at = optional_iso_time(v, "event_time");
  if (!at)
    return std::move(at).err();
  x.event_time_ns = *at;
  auto seen = optional_iso_time(v, "seen");
  if (!seen)
    return std::move(seen).err();
  x.seen_ns = *seen;
  auto flags = read_flags(v);
  if (!flags)
    return std::move(flags).err();
  x.flags = *flags;
  auto f = v.FindMember("fields");
  if (f == v.MemberEnd())
    return {errc::missing_field, "fields"};
  if (!f->value.IsObject())
    return {errc::malformed, "fields: expected an object"};
  if (f->value.MemberCount() > max_quarantine_fields)
    return {errc::malformed, "fields: more than 64"};
  for (auto& m : f->value.GetObject()) {
    if (!m.value.IsString())
      return {errc::malformed, "fields: expected strings"};
    x.fields.emplace_back(std::string{m.name.GetString(), m.name.GetStringLength()},
                          std::string{m.value.GetString(), m.value.GetStringLength()});
  }
  if (auto n = v.FindMember("node"); n != v.MemberEnd()) {
    if (!n->value.IsString())
      return {errc::malformed, "node: expected a string"};
    x.node.assign(n->value.GetString(), n->value.GetStringLength());
  }
  return x;
}

} // namespace tickflow::redis
