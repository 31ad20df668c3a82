#include "adapters/redis/redis_budget.hpp"

#include <algorithm>

namespace tickflow::redis {

namespace {

// Every script reads the server clock in ms.
constexpr const char* clock_lua = R"(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
)";

// KEYS: log, ban, seq. ARGV: weight, hold_ms, then window_ms, limit pairs.
// A member counts in a window while its score > now - window.
constexpr const char* grant_lua = R"(
local ban = redis.call('PTTL', KEYS[2])
if ban > 0 then return {0, ban, 1, 0} end
local w = tonumber(ARGV[1])
local hold = tonumber(ARGV[2])
local longest = 0
local wait = 0
local held = 0
for i = 3, #ARGV, 2 do
  local win = tonumber(ARGV[i])
  local limit = tonumber(ARGV[i + 1])
  if win > longest then longest = win end
  local from = '(' .. (now - win)
  local used = redis.call('ZCOUNT', KEYS[1], from, '+inf')
  if used + w > limit then
    local r = redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'WITHSCORES',
                         'LIMIT', used + w - limit - 1, 1)
    local score = tonumber(r[2])
    local free = score + win - now
    if score > now then held = 1 end
    if free > wait then wait = free end
  end
end
if wait > 0 then return {0, wait, 0, held} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
local id = redis.call('INCR', KEYS[3])
for j = 1, w do redis.call('ZADD', KEYS[1], now + hold, id .. ':' .. j) end
redis.call('PEXPIRE', KEYS[1], longest + hold)
redis.call('PEXPIRE', KEYS[3], longest + hold)
return {1, id, 0, 0}
)";

// KEYS: log. ARGV: id, weight. Restamps the grant's members (if still there).
constexpr const char* complete_lua = R"(
for j = 1, tonumber(ARGV[2]) do
  redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1] .. ':' .. j)
end
return 1
)";

// KEYS: ban. ARGV: ms. Keeps the longer ban.
constexpr const char* ban_lua = R"(
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 1
)";

// KEYS: log, seq. ARGV: window_ms, used. Tops the window up to `used`.
constexpr const char* observe_lua = R"(
local win = tonumber(ARGV[1])
local have = redis.call('ZCOUNT', KEYS[1], '(' .. (now - win), '+inf')
local want = tonumber(ARGV[2])
if want > have then
  local id = redis.call('INCR', KEYS[2])
  for j = 1, want - have do redis.call('ZADD', KEYS[1], now, 'seen' .. id .. ':' .. j) end
  if redis.call('PTTL', KEYS[1]) < win then redis.call('PEXPIRE', KEYS[1], win) end
end
return 1
)";

// KEYS: log. ARGV: window_ms.
constexpr const char* used_lua = R"(
return redis.call('ZCOUNT', KEYS[1], '(' .. (now - tonumber(ARGV[1])), '+inf')
)";

std::string script_text(size_t which) {
  static const char* bodies[] = {grant_lua, complete_lua, ban_lua, observe_lua, used_lua};
  return std::string{clock_lua} + bodies[which];
}

int64_t integer_at(const reply& r, size_t i) {
  return i < r.elements.size() && r.elements[i].type == reply::kind::integer
           ? r.elements[i].integer
           : 0;
}

} // namespace

redis_budget::redis_budget(client_options opts, std::string prefix)
    : client_(std::move(opts)), prefix_(std::move(prefix)) {
  // nop
}

std::string redis_budget::key(std::string_view kind, const budget_owner& who) const {
  // {provider:key} is the hash tag: every key one script touches is in one
  // slot, so the scripts also run behind Redis Cluster.
  return prefix_ + ":" + std::string{kind} + ":{" + who.provider + ":" + who.key + "}";
}

std::string redis_budget::log_key(const budget_owner& who) const {
  return key("budget", who);
}

result<reply> redis_budget::run(script which, std::vector<std::string> keys,
                                std::vector<std::string> args) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto& sha = sha_[which];
    if (sha.empty()) {
      auto loaded = client_.execute({"SCRIPT", "LOAD", script_text(which)});
      if (!loaded)
        return loaded.err();
      if (loaded->type != reply::kind::string)
        return error{errc::unavailable, "redis: SCRIPT LOAD failed: " + loaded->text};
      sha = loaded->text;
    }
    command cmd{"EVALSHA", sha, std::to_string(keys.size())};
    cmd.insert(cmd.end(), keys.begin(), keys.end());
    cmd.insert(cmd.end(), args.begin(), args.end());
    auto r = client_.execute(cmd);
    if (!r)
      return r.err();
    if (r->type == reply::kind::error) {
      if (r->text.rfind("NOSCRIPT", 0) == 0) { // the server restarted
        sha.clear();
        continue;
      }
      return error{errc::unavailable, "redis: budget script: " + r->text};
    }
    return r;
  }
  return error{errc::unavailable, "redis: budget script could not be loaded"};
}

result<budget_grant> redis_budget::grant(const budget_owner& who, uint64_t weight,
                                         int64_t hold_ms,
                                         const std::vector<budget_window>& windows) {
  std::vector<std::string> args{std::to_string(weight), std::to_string(std::max<int64_t>(hold_ms, 1))};
  for (auto& w : windows) {
    if (w.window_ms <= 0 || w.limit == 0)
      continue;
    args.push_back(std::to_string(w.window_ms));
    args.push_back(std::to_string(w.limit));
  }
  auto r = run(grant_script, {log_key(who), key("ban", who), key("budget-seq", who)},
               std::move(args));
  if (!r)
    return r.err();
  if (r->type != reply::kind::array || r->elements.size() != 4)
    return error{errc::unavailable, "redis: unexpected budget answer"};
  budget_grant g;
  g.granted = integer_at(*r, 0) == 1;
  if (g.granted) {
    g.id = static_cast<uint64_t>(integer_at(*r, 1));
  } else {
    g.wait_ms = std::max<int64_t>(1, integer_at(*r, 1));
    g.banned = integer_at(*r, 2) == 1;
    g.held = integer_at(*r, 3) == 1;
  }
  return g;
}

result<void> redis_budget::complete(const budget_owner& who, uint64_t id, uint64_t weight) {
  auto r = run(complete_script, {log_key(who)}, {std::to_string(id), std::to_string(weight)});
  if (!r)
    return r.err();
  return {};
}

result<void> redis_budget::ban(const budget_owner& who, int64_t ms) {
  auto r = run(ban_script, {key("ban", who)}, {std::to_string(std::max<int64_t>(ms, 1))});
  if (!r)
    return r.err();
  return {};
}

result<void> redis_budget::observe_used(const budget_owner& who, int64_t window_ms,
                                        uint64_t used) {
  auto r = run(observe_script, {log_key(who), key("budget-seq", who)},
               {std::to_string(window_ms), std::to_string(used)});
  if (!r)
    return r.err();
  return {};
}

result<uint64_t> redis_budget::used(const budget_owner& who, int64_t window_ms) {
  auto r = run(used_script, {log_key(who)}, {std::to_string(window_ms)});
  if (!r)
    return r.err();
  return static_cast<uint64_t>(std::max<int64_t>(0, r->integer));
}

} // namespace tickflow::redis
