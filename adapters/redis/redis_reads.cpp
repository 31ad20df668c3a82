#include "adapters/redis/redis_reads.hpp"

#include <algorithm>
#include <limits>

#include "adapters/redis/event_codec.hpp"

namespace tickflow::redis {

namespace {

bool open_before(const bar& b, int64_t t) { return b.open_time_ns < t; }

} // namespace

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
