#include "adapters/redis/redis_streams.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <map>
#include <utility>

#include "pipeline/model/events.hpp"

namespace tickflow::redis {

namespace {

bool parse_u64(std::string_view s, uint64_t& out) noexcept {
  if (s.empty())
    return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

bool is_text(const reply& r) noexcept {
  return r.type == reply::kind::string || r.type == reply::kind::status;
}

} // namespace

std::string to_string(stream_id id) {
  std::string out = std::to_string(id.ms);
  out.push_back('-');
  out.append(std::to_string(id.seq));
  return out;
}

std::optional<stream_id> parse_stream_id(std::string_view text) noexcept {
  stream_id out;
  auto dash = text.find('-');
  if (!parse_u64(text.substr(0, dash), out.ms))
    return std::nullopt;
  if (dash != std::string_view::npos && !parse_u64(text.substr(dash + 1), out.seq))
    return std::nullopt;
  return out;
}

uint32_t shard_of(std::string_view instrument, uint32_t shards) noexcept {
  if (shards == 0)
    return 0;
  uint32_t h = 2166136261u;
  for (unsigned char c : instrument) {
    h ^= c;
    h *= 16777619u;
  }
  return h % shards;
}

std::string stream_key(std::string_view prefix, uint32_t shard) {
  std::string out{prefix};
  out.append(":stream:");
  out.append(std::to_string(shard));
  return out;
}

std::vector<command> xadd_commands(const std::vector<cache_entry>& entries,
                                   std::string_view prefix,
                                   const stream_settings& s,
                                   std::string_view origin, bool replay) {
  std::vector<command> out;
  if (s.shards == 0)
    return out;
  // shard -> "[payload,payload" (closed below) and its event count;
  // std::map: ascending shards.
  std::map<uint32_t, std::pair<std::string, size_t>> arrays;
  for (auto& e : entries) {
    // A status's "instrument" is its provider's name: one provider's
    // statuses stay in one stream, in order. A quarantined event's may be
    // anything (a bad instrument id is one reason to be there).
    bool any_id = e.kind == entry_kind::quarantine;
    if (e.kind == entry_kind::price || e.json.empty()
        || (e.kind != entry_kind::status && !any_id && !is_canonical_instrument(e.instrument))
        || (e.kind == entry_kind::status && e.instrument.empty()))
      continue;
    auto& [a, n] = arrays[shard_of(e.instrument, s.shards)];
    a.push_back(a.empty() ? '[' : ',');
    a.append(publish_payload(e.kind, e.json));
    ++n;
  }
  auto retention = std::to_string(s.retention);
  out.reserve(arrays.size());
  for (auto& [shard, array] : arrays) {
    auto& [a, n] = array;
    a.push_back(']');
    command c{"XADD", stream_key(prefix, shard), "MAXLEN", "~", retention, "*"};
    if (!origin.empty()) {
      c.emplace_back("o");
      c.emplace_back(origin);
    }
    if (replay) {
      c.emplace_back("r");
      c.emplace_back("1");
    }
    c.emplace_back("n");
    c.push_back(std::to_string(n));
    c.emplace_back("e");
    c.push_back(std::move(a));
    out.push_back(std::move(c));
  }
  return out;
}

void add_stream_commands(command_batch& batch,
                         const std::vector<cache_entry>& entries,
                         std::string_view prefix, const stream_settings& s,
                         std::string_view origin, bool replay) {
  auto& cmds = batch.commands;
  if (cmds.empty())
    return;
  auto xadds = xadd_commands(entries, prefix, s, origin, replay);
  auto at = cmds.end();
  if (cmds.back().size() == 1 && cmds.back()[0] == "EXEC")
    --at;
  cmds.insert(at, std::make_move_iterator(xadds.begin()),
              std::make_move_iterator(xadds.end()));
}

stream_cursor::stream_cursor(std::string_view prefix, uint32_t shards)
  : last_(shards) {
  keys_.reserve(shards);
  for (uint32_t i = 0; i < shards; ++i)
    keys_.push_back(stream_key(prefix, i));
}

void stream_cursor::position(const std::vector<stream_id>& ids) {
  for (size_t i = 0; i < last_.size() && i < ids.size(); ++i)
    last_[i] = ids[i];
  positioned_ = true;
}

void stream_cursor::advance(uint32_t shard, stream_id id) noexcept {
  if (shard < last_.size() && last_[shard] < id)
    last_[shard] = id;
}

command stream_cursor::xread(uint32_t count, int block_ms) const {
  command c{"XREAD", "COUNT", std::to_string(count), "BLOCK",
            std::to_string(block_ms < 0 ? 0 : block_ms), "STREAMS"};
  c.reserve(c.size() + 2 * keys_.size());
  for (auto& k : keys_)
    c.push_back(k);
  for (auto& id : last_)
    c.push_back(to_string(id));
  return c;
}

result<std::vector<stream_entry>> decode_xread(const reply& r,
                                              const stream_cursor& cursor) {
  std::vector<stream_entry> out;
  if (r.type == reply::kind::nil)
    return out; // BLOCK timed out: nothing new
  if (r.type == reply::kind::error)
    return {errc::malformed, "XREAD: " + r.text};
  if (r.type != reply::kind::array)
    return {errc::malformed, "XREAD: expected an array"};
  auto& keys = cursor.keys();
  for (auto& s : r.elements) {
    if (s.type != reply::kind::array || s.elements.size() != 2
        || !is_text(s.elements[0]) || s.elements[1].type != reply::kind::array)
      return {errc::malformed, "XREAD: expected [key, entries]"};
    uint32_t shard = 0;
    while (shard < keys.size() && keys[shard] != s.elements[0].text)
      ++shard;
    if (shard == keys.size())
      continue; // not ours
    for (auto& e : s.elements[1].elements) {
      if (e.type != reply::kind::array || e.elements.size() != 2
          || !is_text(e.elements[0]))
        return {errc::malformed, "XREAD: expected [id, fields]"};
      auto id = parse_stream_id(e.elements[0].text);
      if (!id)
        return {errc::malformed, "XREAD: bad entry id"};
      stream_entry x;
      x.shard = shard;
      x.id = *id;
      auto& f = e.elements[1];
      if (f.type == reply::kind::array) {
        for (size_t i = 0; i + 1 < f.elements.size(); i += 2) {
          auto& name = f.elements[i].text;
          auto& value = f.elements[i + 1].text;
          if (name == "e")
            x.events = value;
          else if (name == "o")
            x.origin = value;
          else if (name == "r")
            x.replay = value == "1";
          else if (name == "n" && !parse_u64(value, x.count))
            x.count = 0;
        }
      }
      out.push_back(std::move(x));
    }
  }
  return out;
}

result<stream_info> decode_xinfo(const reply& r) {
  stream_info out;
  if (r.type == reply::kind::error) {
    if (r.text.find("no such key") != std::string::npos)
      return out;
    return {errc::malformed, "XINFO: " + r.text};
  }
  if (r.type != reply::kind::array || r.elements.size() % 2 != 0)
    return {errc::malformed, "XINFO: expected a key/value array"};
  out.exists = true;
  bool have_last = false;
  for (size_t i = 0; i < r.elements.size(); i += 2) {
    auto& name = r.elements[i].text;
    auto& v = r.elements[i + 1];
    if (name == "length") {
      out.length = v.integer < 0 ? 0 : static_cast<uint64_t>(v.integer);
    } else if (name == "last-generated-id") {
      auto id = parse_stream_id(v.text);
      if (!id)
        return {errc::malformed, "XINFO: bad last-generated-id"};
      out.last_generated = *id;
      have_last = true;
    } else if (name == "first-entry" && v.type == reply::kind::array
               && !v.elements.empty()) {
      auto id = parse_stream_id(v.elements[0].text);
      if (!id)
        return {errc::malformed, "XINFO: bad first-entry id"};
      out.first_entry = *id;
    }
  }
  if (!have_last)
    return {errc::malformed, "XINFO: no last-generated-id"};
  return out;
}

resume_kind classify_resume(const stream_info& info, stream_id last) noexcept {
  if (last == stream_id{})
    return resume_kind::resume;
  if (!info.exists)
    return resume_kind::restarted;
  if (info.last_generated < last)
    return resume_kind::behind;
  if (info.first_entry ? *info.first_entry > last : info.last_generated > last)
    return resume_kind::gap; // empty but written after `last`: all trimmed
  return resume_kind::resume;
}

bool replay_filter::repeat(const stream_entry& x) {
  // FNV-1a, 64 bit: a batch's events are kilobytes; a collision between two
  // different replays of one origin and shard is out of reach.
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : x.events)
    h = (h ^ c) * 1099511628211ull;
  if (seen_.size() >= max_keys)
    seen_.clear();
  auto& ring = seen_[std::to_string(x.shard) + "/" + x.origin];
  if (x.replay && std::find(ring.begin(), ring.end(), h) != ring.end())
    return true;
  ring.push_back(h);
  if (ring.size() > depth_)
    ring.pop_front();
  return false;
}

} // namespace tickflow::redis
