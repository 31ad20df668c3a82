// The pure parts of the cross-node event streams (adapters/redis/
// redis_streams): shard choice, ids, the XADD the cache writer sends, the
// XREAD a gateway sends and the replies it decodes, and how it tells a
// resume from a gap. Redis itself is in tests/cluster.

#include "adapters/redis/redis_streams.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "adapters/redis/redis_events_decode.hpp"

namespace tickflow::redis {
namespace {

reply text(std::string s) {
  reply r;
  r.type = reply::kind::string;
  r.text = std::move(s);
  return r;
}

reply integer(int64_t v) {
  reply r;
  r.type = reply::kind::integer;
  r.integer = v;
  return r;
}

reply array(std::vector<reply> xs) {
  reply r;
  r.type = reply::kind::array;
  r.elements = std::move(xs);
  return r;
}

reply error_reply(std::string s) {
  reply r;
  r.type = reply::kind::error;
  r.text = std::move(s);
  return r;
}

cache_entry entry(entry_kind kind, std::string instrument, std::string json) {
  cache_entry e;
  e.kind = kind;
  e.instrument = std::move(instrument);
  e.json = std::move(json);
  return e;
}

TEST(RedisStreams, StreamIdsParseAndOrder) {
  struct row {
    const char* in;
    bool ok;
    uint64_t ms, seq;
  } rows[] = {
    {"0-0", true, 0, 0},
    {"1700000000123-7", true, 1700000000123, 7},
    {"42", true, 42, 0},
    {"18446744073709551615-18446744073709551615", true, UINT64_MAX, UINT64_MAX},
    {"", false, 0, 0},
    {"-1", false, 0, 0},
    {"1-", false, 0, 0},
    {"a-1", false, 0, 0},
    {"1-2-3", false, 0, 0},
    {"1 -2", false, 0, 0},
    {"18446744073709551616-0", false, 0, 0},
  };
  for (auto& r : rows) {
    auto id = parse_stream_id(r.in);
    ASSERT_EQ(id.has_value(), r.ok) << r.in;
    if (!r.ok)
      continue;
    EXPECT_EQ(id->ms, r.ms) << r.in;
    EXPECT_EQ(id->seq, r.seq) << r.in;
    EXPECT_EQ(parse_stream_id(to_string(*id)), id) << r.in;
  }
  EXPECT_LT((stream_id{1, 9}), (stream_id{2, 0}));
  EXPECT_LT((stream_id{2, 0}), (stream_id{2, 1}));
  EXPECT_FALSE((stream_id{2, 1}) < (stream_id{2, 1}));
  EXPECT_EQ(to_string(stream_id{}), "0-0");
}

TEST(RedisStreams, ShardOfIsFnv1aModuloAndStable) {
  // FNV-1a 32 of "" is the offset basis; of "a" a published test vector.
  EXPECT_EQ(shard_of("", 1'000'000'007u), 2166136261u % 1'000'000'007u);
  EXPECT_EQ(shard_of("a", 0xffffffffu), 0xe40c292cu % 0xffffffffu);
  EXPECT_EQ(shard_of("BTC-USDT", 0), 0u);
  EXPECT_EQ(shard_of("BTC-USDT", 1), 0u);
  std::set<uint32_t> used;
  for (auto x : {"BTC-USDT", "ETH-USDT", "SOL-USDT", "AAPL", "MSFT", "EURUSD=X",
                 "BRK.B", "ESZ6", "XRP-USDT", "ADA-USDT", "TSLA", "NVDA"}) {
    auto s = shard_of(x, 4);
    EXPECT_LT(s, 4u) << x;
    EXPECT_EQ(s, shard_of(x, 4)) << x;
    used.insert(s);
  }
  EXPECT_GE(used.size(), 3u); // twelve ids do not all land on one shard
  EXPECT_EQ(stream_key("tickflow", 3), "tickflow:stream:3");
}

TEST(RedisStreams, XaddPerShardInBatchOrderWithoutPrices) {
  // Two instruments on different shards of 4.
  std::string a = "BTC-USDT";
  std::string b;
  for (auto x : {"ETH-USDT", "SOL-USDT", "AAPL", "MSFT", "TSLA"})
    if (shard_of(x, 4) != shard_of(a, 4)) {
      b = x;
      break;
    }
  ASSERT_FALSE(b.empty());
  std::vector<cache_entry> entries{
    entry(entry_kind::price, a, R"({"p":1})"),
    entry(entry_kind::trade, a, R"({"t":1})"),
    entry(entry_kind::ticker, b, R"({"q":1})"),
    entry(entry_kind::trade, "not canonical", R"({"t":9})"),
    entry(entry_kind::bar, a, R"({"b":1})"),
    entry(entry_kind::trade, b, ""),
  };
  stream_settings s;
  s.shards = 4;
  s.retention = 5000;
  auto cmds = xadd_commands(entries, "pf", s, "ingest-1", false);
  ASSERT_EQ(cmds.size(), 2u);
  auto sa = shard_of(a, 4);
  auto sb = shard_of(b, 4);
  auto& first = sa < sb ? cmds[0] : cmds[1];
  auto& second = sa < sb ? cmds[1] : cmds[0];
  EXPECT_EQ(first, (command{"XADD", stream_key("pf", sa), "MAXLEN", "~", "5000", "*",
                            "o", "ingest-1", "n", "2", "e",
                            R"([{"type":"trade","data":{"t":1}},{"type":"bar","data":{"b":1}}])"}));
  EXPECT_EQ(second, (command{"XADD", stream_key("pf", sb), "MAXLEN", "~", "5000", "*",
                             "o", "ingest-1", "n", "1", "e",
                             R"([{"type":"ticker","data":{"q":1}}])"}));
  // A replay without an origin; no shards, no commands.
  auto r = xadd_commands({entries[1]}, "pf", s, "", true);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], (command{"XADD", stream_key("pf", sa), "MAXLEN", "~", "5000", "*",
                           "r", "1", "n", "1", "e", R"([{"type":"trade","data":{"t":1}}])"}));
  s.shards = 0;
  EXPECT_TRUE(xadd_commands(entries, "pf", s, "", false).empty());
  // Only prices: nothing to stream.
  s.shards = 4;
  EXPECT_TRUE(xadd_commands({entries[0]}, "pf", s, "", false).empty());
}

TEST(RedisStreams, StreamCommandsGoInsideTheTransaction) {
  std::vector<cache_entry> entries{entry(entry_kind::trade, "BTC-USDT", R"({"t":1})")};
  cache_settings keys;
  keys.publish = false;
  stream_settings s;
  auto batch = build_commands(entries, keys);
  ASSERT_TRUE(batch.ok());
  add_stream_commands(*batch, entries, keys.prefix, s, "", false);
  ASSERT_EQ(batch->commands.size(), 3u); // a trade alone sets no key
  EXPECT_EQ(batch->commands[0], command{"MULTI"});
  EXPECT_EQ(batch->commands[1][0], "XADD");
  EXPECT_EQ(batch->commands[2], command{"EXEC"});
  keys.atomic = false;
  entries.push_back(entry(entry_kind::price, "BTC-USDT", R"({"p":1})"));
  auto plain = build_commands(entries, keys);
  ASSERT_TRUE(plain.ok());
  add_stream_commands(*plain, entries, keys.prefix, s, "", false);
  ASSERT_EQ(plain->commands.size(), 3u); // SET, ZADD index, XADD
  EXPECT_EQ(plain->commands.back()[0], "XADD");
  command_batch empty;
  add_stream_commands(empty, entries, keys.prefix, s, "", false);
  EXPECT_TRUE(empty.commands.empty());
}

TEST(RedisStreams, CursorReadsFromTheLastIdAndOnlyMovesForward) {
  stream_cursor c{"pf", 2};
  EXPECT_FALSE(c.positioned());
  EXPECT_EQ(c.xread(10, 50), (command{"XREAD", "COUNT", "10", "BLOCK", "50", "STREAMS",
                                     "pf:stream:0", "pf:stream:1", "0-0", "0-0"}));
  c.position({stream_id{5, 1}, stream_id{}});
  EXPECT_TRUE(c.positioned());
  c.advance(0, stream_id{5, 0}); // behind: ignored
  c.advance(1, stream_id{7, 3});
  c.advance(9, stream_id{7, 3}); // no such shard: ignored
  EXPECT_EQ(c.last(0), (stream_id{5, 1}));
  EXPECT_EQ(c.last(1), (stream_id{7, 3}));
  c.restart(0);
  EXPECT_EQ(c.xread(1, -5), (command{"XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS",
                                    "pf:stream:0", "pf:stream:1", "0-0", "7-3"}));
}

TEST(RedisStreams, DecodesXreadReplies) {
  stream_cursor c{"pf", 2};
  reply nil;
  auto none = decode_xread(nil, c);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto r = array({
    array({text("pf:stream:1"),
           array({array({text("10-0"), array({text("o"), text("n1"), text("n"), text("1"),
                                              text("e"), text("[1]")})}),
                  array({text("11-2"), array({text("r"), text("1"), text("e"), text("[2]")})})})}),
    array({text("other:stream:0"), array({array({text("12-0"), array({})})})}),
    array({text("pf:stream:0"), array({array({text("3-0"), array({text("e")})})})}),
  });
  auto got = decode_xread(r, c);
  ASSERT_TRUE(got.ok()) << got.err().context;
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].shard, 1u);
  EXPECT_EQ((*got)[0].id, (stream_id{10, 0}));
  EXPECT_EQ((*got)[0].origin, "n1");
  EXPECT_FALSE((*got)[0].replay);
  EXPECT_EQ((*got)[0].events, "[1]");
  EXPECT_EQ((*got)[0].count, 1u);
  EXPECT_EQ((*got)[1].count, 0u); // no "n"
  EXPECT_EQ((*got)[1].id, (stream_id{11, 2}));
  EXPECT_TRUE((*got)[1].replay);
  EXPECT_EQ((*got)[1].origin, "");
  EXPECT_EQ((*got)[2].shard, 0u);
  EXPECT_EQ((*got)[2].events, ""); // odd field list: no "e"
  // Shapes that are not an XREAD answer.
  for (auto& bad : {text("x"), error_reply("ERR wrong"), array({text("pf:stream:0")}),
                    array({array({text("pf:stream:0"), array({text("1-0")})})}),
                    array({array({text("pf:stream:0"),
                                  array({array({text("x-0"), array({})})})})})}) {
    auto e = decode_xread(bad, c);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.err().code, errc::malformed);
  }
}

TEST(RedisStreams, DecodesXinfoStream) {
  // The shape of Redis 7.0's XINFO STREAM (fields we do not read included).
  auto r = array({text("length"), integer(2), text("radix-tree-keys"), integer(1),
                  text("radix-tree-nodes"), integer(2), text("last-generated-id"),
                  text("20-1"), text("max-deleted-entry-id"), text("5-0"),
                  text("entries-added"), integer(9), text("recorded-first-entry-id"),
                  text("19-0"), text("groups"), integer(0), text("first-entry"),
                  array({text("19-0"), array({text("e"), text("[]")})}),
                  text("last-entry"), array({text("20-1"), array({})})});
  auto i = decode_xinfo(r);
  ASSERT_TRUE(i.ok()) << i.err().context;
  EXPECT_TRUE(i->exists);
  EXPECT_EQ(i->length, 2u);
  EXPECT_EQ(i->last_generated, (stream_id{20, 1}));
  ASSERT_TRUE(i->first_entry.has_value());
  EXPECT_EQ(*i->first_entry, (stream_id{19, 0}));
  reply nil;
  auto empty = decode_xinfo(array({text("length"), integer(0), text("last-generated-id"),
                                   text("20-1"), text("first-entry"), nil}));
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->first_entry.has_value());
  auto missing = decode_xinfo(error_reply("ERR no such key"));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->exists);
  for (auto& bad : {error_reply("WRONGTYPE Operation against a key"), text("x"),
                    array({text("length")}), array({text("length"), integer(1)}),
                    array({text("last-generated-id"), text("nope")})})
    EXPECT_FALSE(decode_xinfo(bad).ok());
}

TEST(RedisStreams, ClassifiesAResume) {
  auto info = [](bool exists, stream_id last, std::optional<stream_id> first) {
    stream_info i;
    i.exists = exists;
    i.last_generated = last;
    i.first_entry = first;
    return i;
  };
  struct row {
    const char* what;
    stream_info i;
    stream_id last;
    resume_kind want;
  } rows[] = {
    {"nothing read yet", info(true, {50, 0}, stream_id{40, 0}), {}, resume_kind::resume},
    {"nothing read, no stream", info(false, {}, std::nullopt), {}, resume_kind::resume},
    {"last still held", info(true, {50, 0}, stream_id{40, 0}), {45, 0}, resume_kind::resume},
    {"last is the oldest", info(true, {50, 0}, stream_id{45, 0}), {45, 0}, resume_kind::resume},
    {"caught up", info(true, {50, 0}, stream_id{40, 0}), {50, 0}, resume_kind::resume},
    {"trimmed past last", info(true, {50, 0}, stream_id{46, 0}), {45, 0}, resume_kind::gap},
    {"emptied after last", info(true, {50, 0}, std::nullopt), {45, 0}, resume_kind::gap},
    {"empty, nothing new", info(true, {45, 0}, std::nullopt), {45, 0}, resume_kind::resume},
    {"stream gone", info(false, {}, std::nullopt), {45, 0}, resume_kind::restarted},
    {"newest entries lost (failover)", info(true, {30, 0}, stream_id{29, 0}), {45, 0},
     resume_kind::behind},
    {"emptied and behind", info(true, {30, 0}, std::nullopt), {45, 0}, resume_kind::behind},
  };
  for (auto& r : rows)
    EXPECT_EQ(classify_resume(r.i, r.last), r.want) << r.what;
}

TEST(RedisStreams, ReplayFilterSkipsOnlyReplaysOfSeenEntries) {
  auto entry = [](uint32_t shard, const char* origin, bool replay, const char* events) {
    stream_entry x;
    x.shard = shard;
    x.origin = origin;
    x.replay = replay;
    x.events = events;
    return x;
  };
  replay_filter f{2};
  EXPECT_FALSE(f.repeat(entry(0, "a", false, "[1]")));
  EXPECT_FALSE(f.repeat(entry(0, "a", false, "[1]"))); // live: never skipped
  EXPECT_TRUE(f.repeat(entry(0, "a", true, "[1]")));   // the batch in flight, again
  EXPECT_FALSE(f.repeat(entry(0, "b", true, "[1]")));  // another origin
  EXPECT_FALSE(f.repeat(entry(1, "a", true, "[1]")));  // another shard
  EXPECT_FALSE(f.repeat(entry(0, "a", true, "[2]")));  // a replay of a new batch
  EXPECT_TRUE(f.repeat(entry(0, "a", true, "[2]")));   // ... replayed twice
  EXPECT_FALSE(f.repeat(entry(0, "a", false, "[3]")));
  EXPECT_FALSE(f.repeat(entry(0, "a", false, "[4]")));
  EXPECT_FALSE(f.repeat(entry(0, "a", true, "[1]"))); // beyond the depth: delivered
}

TEST(RedisStreams, EventsOfAnEntryDecodeInOrder) {
  std::vector<std::string> kinds;
  size_t failures = 0;
  auto each = [&](result<published_event>&& e) {
    if (!e) {
      ++failures;
      return;
    }
    kinds.emplace_back(to_string(e->kind));
  };
  auto ok = for_each_stream_event(
    R"([{"type":"price","data":{"instrument":"BTC-USDT","provider":"simulator",)"
    R"("price":"1","trade_id":"","ts":1,"time":"1970-01-01T00:00:00.000000001Z",)"
    R"("ts_recv":1,"flags":[]}},{"type":"nope","data":{}},7])",
    each);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(kinds, std::vector<std::string>{"price"});
  EXPECT_EQ(failures, 2u);
  for (auto bad : {"", "{}", "[", "nonsense"}) {
    auto e = for_each_stream_event(bad, each);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_EQ(e.err().code, errc::malformed);
  }
  EXPECT_EQ(failures, 2u); // no call for an entry that is not an array
}

// Quarantined events ride the streams with no key, whatever their
// instrument text (a bad id is one reason to be quarantined).
TEST(RedisStreams, QuarantinedEventsRideTheStreamsOnly) {
  constexpr const char* q =
    R"({"seq":1,"rule":"instrument_id","reason":"bad id","dropped":true,)"
    R"("provider":"binance","instrument":"btc usdt","type":"trade",)"
    R"("event_time":"2025-11-21T08:00:00Z","seen":"2025-11-21T08:00:00.5Z",)"
    R"("flags":[],"fields":{"id":"17"}})";
  std::vector<cache_entry> entries{entry(entry_kind::quarantine, "btc usdt", q)};
  cache_settings keys;
  auto batch = build_commands(entries, keys);
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE(batch->commands.empty());
  EXPECT_EQ(batch->skipped, 0u);
  stream_settings s;
  s.shards = 8;
  auto xs = xadd_commands(entries, "tf", s, "ingest-1", false);
  ASSERT_EQ(xs.size(), 1u);
  EXPECT_EQ(xs[0][1], stream_key("tf", shard_of("btc usdt", 8)));
  size_t n = 0;
  auto ok = for_each_stream_event(xs[0].back(), [&](result<published_event>&& e) {
    ASSERT_TRUE(e.ok()) << e.err().context;
    EXPECT_EQ(e->kind, entry_kind::quarantine);
    EXPECT_EQ(std::get<quarantined_event>(e->event).instrument, "btc usdt");
    ++n;
  });
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(n, 1u);
}

TEST(RedisStreams, StatusesRideTheShardOfTheirProvider) {
  constexpr const char* disconnected =
    R"({"provider":"binance","connection":"binance#0","state":"disconnected",)"
    R"("gap_start":1763712000000000000,"gap_end":null,"reason":"closed 1006",)"
    R"("ts":1763712000500000000,"time":"2025-11-21T08:00:00.5Z"})";
  std::vector<cache_entry> entries{entry(entry_kind::status, "binance", disconnected),
                                   entry(entry_kind::status, "", disconnected)};
  stream_settings s;
  s.shards = 8;
  // No key: build_commands leaves statuses out, without counting them.
  cache_settings keys;
  auto batch = build_commands(entries, keys);
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE(batch->commands.empty());
  EXPECT_EQ(batch->skipped, 0u);
  auto xs = xadd_commands(entries, "tf", s, "ingest-1", false);
  ASSERT_EQ(xs.size(), 1u); // the one without a provider name is left out
  EXPECT_EQ(xs[0][1], stream_key("tf", shard_of("binance", 8)));
  auto& events = xs[0].back();
  std::vector<feed_status> got;
  auto ok = for_each_stream_event(events, [&](result<published_event>&& e) {
    ASSERT_TRUE(e.ok()) << e.err().context;
    EXPECT_EQ(e->kind, entry_kind::status);
    event_batch b;
    EXPECT_TRUE(add_to_batch(std::move(*e), b));
    ASSERT_EQ(b.statuses.size(), 1u);
    EXPECT_EQ(b.size(), 0u);
    got.push_back(b.statuses[0]);
  });
  ASSERT_TRUE(ok.ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(to_string(got[0].source), "binance");
  EXPECT_EQ(got[0].connection, "binance#0");
  EXPECT_EQ(got[0].state, feed_state::disconnected);
  EXPECT_EQ(got[0].gap_start_ns, 1763712000000000000);
  EXPECT_EQ(got[0].gap_end_ns, 0);
  EXPECT_EQ(got[0].reason, "closed 1006");
  EXPECT_EQ(got[0].ts_ns, 1763712000500000000);
}

TEST(RedisStreams, BrokenStatusesAreTypedErrors) {
  struct row {
    const char* data;
    errc code;
    const char* context;
  } rows[] = {
    {R"({"connection":"c","state":"connected","gap_start":null,"gap_end":null,"reason":"","ts":1})",
     errc::missing_field, "data.provider"},
    {R"({"provider":"nope","connection":"c","state":"connected","gap_start":null,"gap_end":null,"reason":"","ts":1})",
     errc::malformed, "data.provider: unknown"},
    {R"({"provider":"binance","connection":"c","state":"asleep","gap_start":null,"gap_end":null,"reason":"","ts":1})",
     errc::malformed, "data.state: unknown"},
    {R"({"provider":"binance","connection":"c","state":"connected","gap_start":"x","gap_end":null,"reason":"","ts":1})",
     errc::malformed, "data.gap_start"},
    {R"({"provider":"binance","connection":"c","state":"connected","gap_start":null,"reason":"","ts":1})",
     errc::missing_field, "data.gap_end"},
  };
  for (auto& r : rows) {
    auto e = decode_published(std::string{R"({"type":"status","data":)"} + r.data + "}");
    ASSERT_FALSE(e.ok()) << r.data;
    EXPECT_EQ(e.err().code, r.code) << r.data << ": " << e.err().context;
    EXPECT_EQ(e.err().context.rfind(r.context, 0), 0u) << e.err().context;
  }
}

} // namespace
} // namespace tickflow::redis
