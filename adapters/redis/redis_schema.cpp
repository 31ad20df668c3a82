#include "adapters/redis/redis_schema.hpp"

#include <cctype>
#include <map>
#include <utility>

#include "pipeline/model/events.hpp"

namespace tickflow::redis {

namespace {

constexpr int64_t ms_ns = 1'000'000;

int64_t floor_div(int64_t x, int64_t y) noexcept {
  auto q = x / y;
  if (x % y != 0 && ((x < 0) != (y < 0)))
    --q;
  return q;
}

int64_t ceil_div(int64_t x, int64_t y) noexcept {
  auto q = x / y;
  if (x % y != 0 && ((x < 0) == (y < 0)))
    ++q;
  return q;
}

std::string key_of(const cache_settings& s, std::string_view kind,
                   std::string_view tail) {
  std::string out;
  out.reserve(s.prefix.size() + kind.size() + tail.size() + 2);
  out.append(s.prefix);
  out.push_back(':');
  out.append(kind);
  out.push_back(':');
  out.append(tail);
  return out;
}

// Where an entry's latest value goes (price and ticker kinds).
struct latest_slot {
  size_t entry = 0; // index of the last entry of the batch for this key
};

} // namespace

std::string_view to_string(entry_kind kind) noexcept {
  switch (kind) {
    case entry_kind::price:
      return "price";
    case entry_kind::ticker:
      return "ticker";
    case entry_kind::bar:
      return "bar";
    case entry_kind::trade:
      return "trade";
    case entry_kind::status:
      return "status";
    case entry_kind::quarantine:
      return "quarantine";
  }
  return "unknown";
}

result<void> validate(const cache_settings& s) {
  if (s.prefix.empty())
    return {errc::config_invalid, "prefix: must not be empty"};
  for (char c : s.prefix) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f)
      return {errc::config_invalid,
              "prefix: no spaces or control characters allowed"};
  }
  if (s.price_ttl_s < 0)
    return {errc::config_invalid, "price_ttl_s: must be >= 0"};
  if (s.ticker_ttl_s < 0)
    return {errc::config_invalid, "ticker_ttl_s: must be >= 0"};
  if (s.bars_ttl_s < 0)
    return {errc::config_invalid, "bars_ttl_s: must be >= 0"};
  if (s.max_bars == 0)
    return {errc::config_invalid, "max_bars: must be >= 1"};
  if (s.origin.size() > 64)
    return {errc::config_invalid, "origin: at most 64 characters"};
  for (char c : s.origin)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'
          || c == '.'))
      return {errc::config_invalid,
              "origin: only A-Z, a-z, 0-9, '_', '-', '.' allowed"};
  return {};
}

std::string price_key(const cache_settings& s, std::string_view instrument) {
  return key_of(s, "price", instrument);
}

std::string ticker_key(const cache_settings& s, std::string_view instrument) {
  return key_of(s, "ticker", instrument);
}

std::string bars_key(const cache_settings& s, interval span,
                     std::string_view instrument) {
  std::string tail{to_string(span)};
  tail.push_back(':');
  tail.append(instrument);
  return key_of(s, "bars", tail);
}

std::string instruments_key(const cache_settings& s) {
  return s.prefix + ":instruments";
}

std::string events_channel(const cache_settings& s,
                           std::string_view instrument) {
  return key_of(s, "events", instrument);
}

int64_t score_ms(int64_t ts_ns) noexcept {
  return floor_div(ts_ns, ms_ns);
}

std::string publish_payload(entry_kind kind, std::string_view json,
                            std::string_view origin) {
  std::string out;
  auto type = to_string(kind);
  out.reserve(json.size() + type.size() + origin.size() + 32);
  out.append(R"({"type":")");
  out.append(type);
  if (!origin.empty()) { // validate() keeps it free of JSON escapes
    out.append(R"(","origin":")");
    out.append(origin);
  }
  out.append(R"(","data":)");
  out.append(json);
  out.push_back('}');
  return out;
}

result<command_batch> build_commands(const std::vector<cache_entry>& entries,
                                     const cache_settings& s) {
  if (auto ok = validate(s); !ok)
    return ok.err();
  command_batch out;
  // Pass 1: keep the valid entries, find the last latest-value entry per key
  // and the highest timestamp per instrument for the index.
  std::vector<bool> valid(entries.size(), false);
  std::map<std::string, latest_slot> latest;        // key -> last entry
  std::map<std::string_view, int64_t> index_score;  // instrument -> max ts_ms
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    if (e.kind == entry_kind::status || e.kind == entry_kind::quarantine)
      continue; // no key: it only rides the streams
    const char* reason = nullptr;
    if (!is_canonical_instrument(e.instrument))
      reason = "instrument is not canonical";
    else if (e.json.empty())
      reason = "empty JSON";
    if (reason != nullptr) {
      if (out.skipped == 0) {
        out.first_skip_reason = "entry ";
        out.first_skip_reason.append(std::to_string(i));
        out.first_skip_reason.append(" (");
        out.first_skip_reason.append(to_string(e.kind));
        out.first_skip_reason.append("): ");
        out.first_skip_reason.append(reason);
      }
      ++out.skipped;
      continue;
    }
    valid[i] = true;
    ++out.entries;
    if (e.kind == entry_kind::price)
      latest[price_key(s, e.instrument)].entry = i;
    else if (e.kind == entry_kind::ticker)
      latest[ticker_key(s, e.instrument)].entry = i;
    if (e.kind != entry_kind::trade) {
      auto ms = score_ms(e.ts_ns);
      auto [it, added] = index_score.emplace(e.instrument, ms);
      if (!added && ms > it->second)
        it->second = ms;
    }
  }
  if (out.entries == 0)
    return out;
  auto& cmds = out.commands;
  if (s.atomic)
    cmds.push_back({"MULTI"});
  // Latest values: one SET per key.
  for (auto& [key, slot] : latest) {
    const auto& e = entries[slot.entry];
    auto ttl = e.kind == entry_kind::price ? s.price_ttl_s : s.ticker_ttl_s;
    if (ttl > 0)
      cmds.push_back({"SET", key, e.json, "EX", std::to_string(ttl)});
    else
      cmds.push_back({"SET", key, e.json});
  }
  // Bars, in input order; trims and TTLs once per series at the end.
  std::vector<std::string> series; // keys in first-touch order
  std::map<std::string, bool> seen_series;
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    if (!valid[i] || e.kind != entry_kind::bar)
      continue;
    auto key = bars_key(s, e.span, e.instrument);
    auto score = std::to_string(score_ms(e.ts_ns));
    cmds.push_back({"ZREMRANGEBYSCORE", key, score, score});
    cmds.push_back({"ZADD", key, score, e.json});
    if (seen_series.emplace(key, true).second)
      series.push_back(std::move(key));
  }
  for (auto& key : series) {
    cmds.push_back({"ZREMRANGEBYRANK", key, "0",
                    std::to_string(-static_cast<int64_t>(s.max_bars) - 1)});
    if (s.bars_ttl_s > 0)
      cmds.push_back({"EXPIRE", key, std::to_string(s.bars_ttl_s)});
  }
  // Instrument index: GT keeps the newest score (Redis >= 6.2).
  if (!index_score.empty()) {
    command zadd{"ZADD", instruments_key(s), "GT"};
    zadd.reserve(3 + 2 * index_score.size());
    for (auto& [instrument, ms] : index_score) {
      zadd.push_back(std::to_string(ms));
      zadd.emplace_back(instrument);
    }
    cmds.push_back(std::move(zadd));
  }
  // Every entry is published, in input order.
  if (s.publish) {
    for (size_t i = 0; i < entries.size(); ++i) {
      if (!valid[i])
        continue;
      const auto& e = entries[i];
      cmds.push_back({"PUBLISH", events_channel(s, e.instrument),
                      publish_payload(e.kind, e.json, s.origin)});
    }
  }
  if (s.atomic)
    cmds.push_back({"EXEC"});
  return out;
}

command get_price_command(const cache_settings& s,
                          std::string_view instrument) {
  return {"GET", price_key(s, instrument)};
}

command get_ticker_command(const cache_settings& s,
                           std::string_view instrument) {
  return {"GET", ticker_key(s, instrument)};
}

command recent_bars_command(const cache_settings& s, interval span,
                            std::string_view instrument, size_t count) {
  if (count == 0) // ZRANGE k -0 -1 would mean "everything"
    return {"ZRANGE", bars_key(s, span, instrument), "1", "0"};
  return {"ZRANGE", bars_key(s, span, instrument),
          std::to_string(-static_cast<int64_t>(count)), "-1"};
}

command bars_between_command(const cache_settings& s, interval span,
                             std::string_view instrument, int64_t start_ns,
                             int64_t end_ns, size_t limit) {
  // Scores are whole ms and bar open times are whole seconds, so
  // open >= start <=> ms >= ceil(start / 1e6) and
  // open < end <=> ms < ceil(end / 1e6).
  command out{"ZRANGE", bars_key(s, span, instrument),
              std::to_string(ceil_div(start_ns, ms_ns)),
              "(" + std::to_string(ceil_div(end_ns, ms_ns)), "BYSCORE"};
  if (limit > 0) {
    out.emplace_back("LIMIT");
    out.emplace_back("0");
    out.push_back(std::to_string(limit));
  }
  return out;
}

command instruments_command(const cache_settings& s) {
  return {"ZRANGE", instruments_key(s), "0", "-1"};
}

} // namespace tickflow::redis
