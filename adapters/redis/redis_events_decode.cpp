#include "adapters/redis/redis_events_decode.hpp"

#include <functional>
#include <utility>

#include <rapidjson/document.h>

#include "adapters/common/json_reader.hpp"
#include "adapters/redis/event_codec.hpp"

namespace tickflow::redis {

namespace {

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
                 entry_kind::trade, entry_kind::status, entry_kind::quarantine})
    if (to_string(k) == name)
      return k;
  return std::nullopt;
}

result<published_event> decode_published(std::string_view payload) {
  rapidjson::Document doc;
  doc.Parse(payload.data(), payload.size());
  if (doc.HasParseError())
    return {errc::malformed, "not JSON"};
  return decode_published(doc);
}

result<void> for_each_stream_event(
  std::string_view events,
  const std::function<void(result<published_event>&&)>& each) {
  rapidjson::Document doc;
  doc.Parse(events.data(), events.size());
  if (doc.HasParseError() || !doc.IsArray())
    return {errc::malformed, "events: expected a JSON array"};
  for (auto& v : doc.GetArray())
    each(decode_published(v));
  return {};
}

result<published_event> decode_published(const rapidjson::Value& doc) {
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
    case entry_kind::status:
      return wrap(*kind, std::move(origin), decode_feed_status(d->value));
    case entry_kind::quarantine:
      return wrap(*kind, std::move(origin), decode_quarantined(d->value));
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
    case entry_kind::status:
      batch.statuses.push_back(std::move(std::get<feed_status>(e.event)));
      return true;
    case entry_kind::price:
    case entry_kind::quarantine:
      return false;
  }
  return false;
}

} // namespace tickflow::redis
