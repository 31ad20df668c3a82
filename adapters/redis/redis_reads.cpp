#include "adapters/redis/redis_reads.hpp"

#include <algorithm>
#include <limits>

#include <rapidjson/document.h>

#include "adapters/common/json_reader.hpp"

namespace tickflow::redis {

namespace {

/// Names of the quality flags in bit order (as api/event_json writes them).
constexpr std::string_view flag_names[] = {
  "backfilled", "outlier", "stale",  "divergent",
  "duplicate",  "out_of_order", "future", "synthetic",
};

/// Parses `json` into `doc`; errc::malformed unless it is an object.
result<void> parse_object(std::string_view json, rapidjson::Document& doc) {
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject())
    return {errc::malformed, "not a JSON object"};
  return {};
}

result<provider> provider_field(const rapidjson::Value& v) {
  auto it = v.FindMember("provider");
  if (it == v.MemberEnd())
    return {errc::missing_field, "provider"};
  if (!it->value.IsString())
    return {errc::malformed, "provider: expected a string"};
  auto p = provider_from_string({it->value.GetString(), it->value.GetStringLength()});
  if (!p)
    return {errc::malformed, "provider: unknown"};
  return *p;
}

result<uint32_t> flags_field(const rapidjson::Value& v) {
  auto it = v.FindMember("flags");
  if (it == v.MemberEnd())
    return uint32_t{0};
  if (!it->value.IsArray())
    return {errc::malformed, "flags: expected an array"};
  uint32_t out = 0;
  for (auto& f : it->value.GetArray()) {
    if (!f.IsString())
      return {errc::malformed, "flags: expected strings"};
    std::string_view name{f.GetString(), f.GetStringLength()};
    auto pos = std::find(std::begin(flag_names), std::end(flag_names), name);
    if (pos == std::end(flag_names))
      return {errc::malformed, "flags: unknown flag"};
    out |= 1u << static_cast<uint32_t>(pos - std::begin(flag_names));
  }
  return out;
}

bool open_before(const bar& b, int64_t t) { return b.open_time_ns < t; }

} // namespace

result<price> parse_price_json(std::string_view json) {
  rapidjson::Document doc;
  if (auto ok = parse_object(json, doc); !ok)
    return ok.err();
  json::reader in{doc};
  price p;
  p.instrument = std::string{in.string("instrument")};
  p.value = in.decimal_from_string("price");
  p.ts_event_ns = in.int64("ts");
  p.ts_recv_ns = in.int64("ts_recv");
  if (!in)
    return in.err();
  if (auto id = doc.FindMember("trade_id"); id != doc.MemberEnd()) {
    if (id->value.IsString())
      p.trade_id.assign(id->value.GetString(), id->value.GetStringLength());
    else if (!id->value.IsNull())
      return {errc::malformed, "trade_id: expected a string or null"};
  }
  auto source = provider_field(doc);
  if (!source)
    return source.err();
  p.source = *source;
  auto flags = flags_field(doc);
  if (!flags)
    return flags.err();
  p.flags = *flags;
  if (!is_canonical_instrument(p.instrument))
    return {errc::malformed, "instrument: not canonical"};
  return p;
}

result<bar> parse_bar_json(std::string_view json) {
  rapidjson::Document doc;
  if (auto ok = parse_object(json, doc); !ok)
    return ok.err();
  json::reader in{doc};
  bar b;
  b.instrument = std::string{in.string("instrument")};
  b.provider_symbol = std::string{in.string("provider_symbol")};
  auto span_name = std::string{in.string("interval")};
  b.open_time_ns = in.int64("open_time");
  b.open = in.decimal_from_string("open");
  b.high = in.decimal_from_string("high");
  b.low = in.decimal_from_string("low");
  b.close = in.decimal_from_string("close");
  b.volume = in.decimal_from_string("volume");
  b.trade_count = in.uint64("trades");
  b.closed = in.boolean("closed");
  if (!in)
    return in.err();
  auto span = parse_interval(span_name);
  if (!span)
    return {errc::malformed, "interval: unknown"};
  b.span = *span;
  auto source = provider_field(doc);
  if (!source)
    return source.err();
  b.source = *source;
  auto flags = flags_field(doc);
  if (!flags)
    return flags.err();
  b.flags = *flags;
  if (!is_canonical_instrument(b.instrument))
    return {errc::malformed, "instrument: not canonical"};
  return b;
}

result<std::optional<price>> read_price(redis_client& client,
                                        const cache_settings& keys,
                                        std::string_view instrument) {
  auto v = client.get(price_key(keys, instrument));
  if (!v)
    return std::move(v).err();
  if (!*v)
    return std::optional<price>{};
  auto p = parse_price_json(**v);
  if (!p)
    return error{errc::malformed, "redis price " + std::string{instrument}
                                    + ": " + p.err().context};
  return std::optional<price>{std::move(*p)};
}

result<bars_read> read_bars(redis_client& client, const cache_settings& keys,
                            interval span, std::string_view instrument,
                            int64_t start_ns, int64_t end_ns, size_t limit) {
  if (limit == 0)
    limit = 1;
  // Without bounds the newest `limit` members; with bounds every member of
  // the range (a series holds at most max_bars), trimmed below.
  command cmd;
  if (start_ns == 0 && end_ns == 0) {
    cmd = recent_bars_command(keys, span, instrument, limit);
  } else {
    auto end = end_ns == 0 || end_ns == std::numeric_limits<int64_t>::max()
                 ? std::numeric_limits<int64_t>::max()
                 : end_ns + 1; // inclusive end
    cmd = bars_between_command(keys, span, instrument, start_ns, end, 0);
  }
  auto members = client.strings(cmd);
  if (!members)
    return std::move(members).err();
  bars_read out;
  for (auto& m : *members) {
    auto b = parse_bar_json(m);
    if (!b || b->span != span) {
      ++out.skipped;
      continue;
    }
    out.bars.push_back(std::move(*b));
  }
  // Members are ordered by score (ms); keep open-time order and one bar per
  // open time all the same.
  std::stable_sort(out.bars.begin(), out.bars.end(),
                   [](const bar& a, const bar& b) {
                     return a.open_time_ns < b.open_time_ns;
                   });
  out.bars.erase(std::unique(out.bars.begin(), out.bars.end(),
                             [](const bar& a, const bar& b) {
                               return a.open_time_ns == b.open_time_ns;
                             }),
                 out.bars.end());
  if (start_ns != 0) {
    auto first = std::lower_bound(out.bars.begin(), out.bars.end(), start_ns,
                                  open_before);
    out.bars.erase(out.bars.begin(), first);
  }
  if (out.bars.size() > limit)
    out.bars.erase(out.bars.begin(),
                   out.bars.end() - static_cast<std::ptrdiff_t>(limit));
  return out;
}

result<uint64_t> delete_matching(redis_client& client,
                                 const cache_settings& keys,
                                 std::string_view pattern, size_t batch) {
  if (batch == 0)
    batch = 1;
  std::string match = keys.prefix + ":";
  match.append(pattern);
  std::string cursor = "0";
  uint64_t removed = 0;
  // SCAN ends when the cursor comes back as 0; the bound only guards against
  // a server that never says so.
  for (size_t round = 0; round < 10'000'000; ++round) {
    auto r = client.execute({"SCAN", cursor, "MATCH", match, "COUNT",
                             std::to_string(batch)});
    if (!r)
      return std::move(r).err();
    if (r->type == reply::kind::error)
      return error{errc::unavailable, "redis: SCAN: " + r->text};
    if (r->type != reply::kind::array || r->elements.size() != 2
        || r->elements[1].type != reply::kind::array)
      return error{errc::malformed, "redis: SCAN: unexpected reply"};
    cursor = r->elements[0].text;
    command del{"UNLINK"};
    for (auto& k : r->elements[1].elements)
      del.push_back(k.text);
    if (del.size() > 1) {
      auto d = client.execute(del);
      if (!d)
        return std::move(d).err();
      if (d->type == reply::kind::error)
        return error{errc::unavailable, "redis: UNLINK: " + d->text};
      removed += static_cast<uint64_t>(std::max<int64_t>(0, d->integer));
    }
    if (cursor == "0")
      break;
  }
  return removed;
}

} // namespace tickflow::redis
