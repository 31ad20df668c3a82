#include "adapters/redis/redis_events_decode.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

#include <rapidjson/document.h>

#include "adapters/common/json_reader.hpp"

namespace tickflow::redis {

namespace {

/// Quality flag names in bit order, as api/event_json writes them.
constexpr std::string_view flag_names[] = {
  "backfilled", "outlier", "stale",  "divergent",
  "duplicate",  "out_of_order", "future", "synthetic",
};

constexpr std::string_view side_names[] = {"unknown", "buy", "sell"};

using value = rapidjson::Value;

/// The fields every event has: instrument, provider and flags. Reads
/// through `in` (which records missing or mistyped fields) and checks the
/// names; the first problem wins.
struct common_fields {
  std::string instrument;
  provider source{};
  uint32_t flags = quality_none;
};

result<common_fields> read_common(const value& v, json::reader& in) {
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
  auto f = v.FindMember("flags");
  if (f == v.MemberEnd())
    return {errc::missing_field, "flags"};
  if (!f->value.IsArray())
    return {errc::malformed, "flags: expected an array"};
  for (auto& x : f->value.GetArray()) {
    if (!x.IsString())
      return {errc::malformed, "flags: expected strings"};
    std::string_view name{x.GetString(), x.GetStringLength()};
    auto pos = std::find(std::begin(flag_names), std::end(flag_names), name);
    if (pos == std::end(flag_names))
      return {errc::malformed, "flags: unknown flag"};
    out.flags |= 1u << static_cast<uint32_t>(pos - std::begin(flag_names));
  }
  return out;
}

result<trade> decode_trade(const value& v) {
  json::reader in{v};
  auto common = read_common(v, in);
  if (!common)
    return std::move(common).err();
  trade x;
  x.instrument = std::move(common->instrument);
  x.source = common->source;
  x.flags = common->flags;
  x.provider_symbol = std::string{in.string("provider_symbol")};
  x.price = in.decimal_from_string("price");
  x.size = in.decimal_from_string("size");
  auto aggressor = in.string("side");
  x.trade_id = std::string{in.string("trade_id")};
  x.ts_event_ns = in.int64("ts");
  x.ts_recv_ns = in.int64("ts_recv");
  if (!in)
    return in.err();
  auto pos = std::find(std::begin(side_names), std::end(side_names), aggressor);
  if (pos == std::end(side_names))
    return {errc::malformed, "side: unknown"};
  x.aggressor = static_cast<side>(pos - std::begin(side_names));
  return x;
}

result<quote> decode_quote(const value& v) {
  json::reader in{v};
  auto common = read_common(v, in);
  if (!common)
    return std::move(common).err();
  quote x;
  x.instrument = std::move(common->instrument);
  x.source = common->source;
  x.flags = common->flags;
  x.provider_symbol = std::string{in.string("provider_symbol")};
  x.bid_price = in.decimal_from_string("bid_price");
  x.bid_size = in.decimal_from_string("bid_size");
  x.ask_price = in.decimal_from_string("ask_price");
  x.ask_size = in.decimal_from_string("ask_size");
  x.ts_event_ns = in.int64("ts");
  x.ts_recv_ns = in.int64("ts_recv");
  if (!in)
    return in.err();
  return x;
}

result<bar> decode_bar(const value& v) {
  json::reader in{v};
  auto common = read_common(v, in);
  if (!common)
    return std::move(common).err();
  bar x;
  x.instrument = std::move(common->instrument);
  x.source = common->source;
  x.flags = common->flags;
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
  return x;
}

result<price> decode_price(const value& v) {
  json::reader in{v};
  auto common = read_common(v, in);
  if (!common)
    return std::move(common).err();
  price x;
  x.instrument = std::move(common->instrument);
  x.source = common->source;
  x.flags = common->flags;
  x.value = in.decimal_from_string("price");
  x.ts_event_ns = in.int64("ts");
  x.ts_recv_ns = in.int64("ts_recv");
  if (!in)
    return in.err();
  // api/event_json writes null for a price no trade set.
  auto id = v.FindMember("trade_id");
  if (id == v.MemberEnd())
    return {errc::missing_field, "trade_id"};
  if (id->value.IsString())
    x.trade_id.assign(id->value.GetString(), id->value.GetStringLength());
  else if (!id->value.IsNull())
    return {errc::malformed, "trade_id: expected a string or null"};
  return x;
}

/// Prefixes an event field's error with "data." so it names its place.
error in_data(error e) {
  e.context.insert(0, "data.");
  return e;
}

template <class T>
result<published_event> wrap(entry_kind kind, std::string origin, result<T> x) {
  if (!x)
    return in_data(std::move(x).err());
  published_event out;
  out.kind = kind;
  out.origin = std::move(origin);
  out.event = std::move(*x);
  return out;
}

} // namespace

std::optional<entry_kind> entry_kind_from_string(std::string_view name) noexcept {
  for (auto k : {entry_kind::price, entry_kind::ticker, entry_kind::bar,
                 entry_kind::trade})
    if (to_string(k) == name)
      return k;
  return std::nullopt;
}

result<published_event> decode_published(std::string_view payload) {
  rapidjson::Document doc;
  doc.Parse(payload.data(), payload.size());
  if (doc.HasParseError())
    return {errc::malformed, "not JSON"};
  if (!doc.IsObject())
    return {errc::malformed, "not a JSON object"};
  json::reader in{doc};
  auto type = in.string("type");
  if (!in)
    return in.err();
  auto kind = entry_kind_from_string(type);
  if (!kind)
    return {errc::malformed, "type: unknown"};
  std::string origin;
  if (auto o = doc.FindMember("origin"); o != doc.MemberEnd()) {
    if (!o->value.IsString())
      return {errc::malformed, "origin: expected a string"};
    origin.assign(o->value.GetString(), o->value.GetStringLength());
  }
  auto d = doc.FindMember("data");
  if (d == doc.MemberEnd())
    return {errc::missing_field, "data"};
  if (!d->value.IsObject())
    return {errc::malformed, "data: expected an object"};
  switch (*kind) {
    case entry_kind::price:
      return wrap(*kind, std::move(origin), decode_price(d->value));
    case entry_kind::ticker:
      return wrap(*kind, std::move(origin), decode_quote(d->value));
    case entry_kind::bar:
      return wrap(*kind, std::move(origin), decode_bar(d->value));
    case entry_kind::trade:
      return wrap(*kind, std::move(origin), decode_trade(d->value));
  }
  return {errc::malformed, "type: unknown"};
}

bool add_to_batch(published_event&& e, event_batch& batch) {
  switch (e.kind) {
    case entry_kind::trade:
      batch.trades.push_back(std::move(std::get<trade>(e.event)));
      return true;
    case entry_kind::ticker:
      batch.quotes.push_back(std::move(std::get<quote>(e.event)));
      return true;
    case entry_kind::bar:
      batch.bars.push_back(std::move(std::get<bar>(e.event)));
      return true;
    case entry_kind::price:
      return false;
  }
  return false;
}

} // namespace tickflow::redis
