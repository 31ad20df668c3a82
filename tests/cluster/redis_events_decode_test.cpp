// The PUBLISH payload decoder (adapters/redis/redis_events_decode) against
// the encoder it inverts (api/event_json + redis_schema publish_payload and
// build_commands): every event kind, every enum value and flag round-trips
// exactly, and every kind of garbage is refused with a typed error.

#include "adapters/redis/redis_events_decode.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/alpha_vantage/alpha_vantage_provider.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/coinmarketcap/coinmarketcap_provider.hpp"
#include "adapters/eodhd/eodhd_provider.hpp"
#include "adapters/finnhub/finnhub_provider.hpp"
#include "adapters/massive_futures/massive_futures_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/redis/redis_schema.hpp"
#include "adapters/replay/replay_provider.hpp"
#include "adapters/simulator/simulator_provider.hpp"
#include "adapters/yahoo/yahoo_provider.hpp"
#include "api/event_json.hpp"
#include "api/quality_json.hpp"
#include "api/ws_protocol.hpp"
#include "pipeline/topology/topology.hpp"
#include "tests/storage/storage_support.hpp"

using namespace tickflow;
using namespace tickflow::redis;
using tickflow::test::dec;
using tickflow::test::expect_same;

namespace {

constexpr int64_t t0 = 1'700'000'000'123'456'789;

trade sample_trade() {
  trade x;
  x.instrument = "BTC-USDT";
  x.provider_symbol = "BTCUSDT";
  x.source = providers::binance;
  x.price = dec("65000.12");
  x.size = dec("0.000015");
  x.aggressor = side::sell;
  x.trade_id = "5933014";
  x.ts_event_ns = t0;
  x.ts_recv_ns = t0 + 4321;
  x.flags = quality_outlier | quality_backfilled;
  return x;
}

quote sample_quote() {
  quote x;
  x.instrument = "AAPL";
  x.provider_symbol = "AAPL";
  x.source = providers::polygon;
  x.bid_price = dec("189.5");
  x.bid_size = dec("300");
  x.ask_price = dec("189.51");
  x.ask_size = dec("12.25");
  x.ts_event_ns = t0;
  x.ts_recv_ns = t0 + 99;
  x.flags = quality_stale;
  return x;
}

bar sample_bar() {
  bar x;
  x.instrument = "EURUSD=X";
  x.provider_symbol = "EURUSD=X";
  x.source = providers::yahoo;
  x.span = interval::h4;
  x.open_time_ns = 1'700'000'000 * ns_per_s;
  x.open = dec("1.0712");
  x.high = dec("1.0755");
  x.low = dec("1.0701");
  x.close = dec("1.0749");
  x.volume = dec("123456.789");
  x.trade_count = 4242;
  x.closed = true;
  x.ts_recv_ns = 0; // not published
  x.flags = quality_divergent | quality_synthetic;
  return x;
}

price sample_price() {
  price x;
  x.instrument = "ETH-USDT";
  x.source = providers::simulator;
  x.value = dec("3500.5");
  x.trade_id = "77";
  x.ts_event_ns = t0;
  x.ts_recv_ns = t0 + 1;
  x.flags = quality_synthetic;
  return x;
}

template <class Event>
std::string payload_of(entry_kind kind, const Event& x,
                       std::string_view origin = {}) {
  std::string json;
  api::append_json(json, x);
  return publish_payload(kind, json, origin);
}

void expect_same_price(const price& a, const price& b) {
  EXPECT_EQ(a.instrument, b.instrument);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.value, b.value);
  EXPECT_EQ(a.trade_id, b.trade_id);
  EXPECT_EQ(a.ts_event_ns, b.ts_event_ns);
  EXPECT_EQ(a.ts_recv_ns, b.ts_recv_ns);
  EXPECT_EQ(a.flags, b.flags);
}

/// Decodes `payload` and renders the event again: the same bytes.
void expect_reencodes(const std::string& payload) {
  auto e = decode_published(payload);
  ASSERT_TRUE(e.ok()) << e.err().message() << " in " << payload;
  std::string json;
  std::visit([&](const auto& x) { api::append_json(json, x); }, e->event);
  EXPECT_EQ(publish_payload(e->kind, json, e->origin), payload);
}

} // namespace

TEST(PublishedEvents, EveryKindRoundTripsExactly) {
  auto t = decode_published(payload_of(entry_kind::trade, sample_trade(), "ingest-1"));
  ASSERT_TRUE(t.ok()) << t.err().message();
  EXPECT_EQ(t->kind, entry_kind::trade);
  EXPECT_EQ(t->origin, "ingest-1");
  expect_same(std::get<trade>(t->event), sample_trade());

  auto q = decode_published(payload_of(entry_kind::ticker, sample_quote(), "n.2"));
  ASSERT_TRUE(q.ok()) << q.err().message();
  EXPECT_EQ(q->kind, entry_kind::ticker);
  EXPECT_EQ(q->origin, "n.2");
  expect_same(std::get<quote>(q->event), sample_quote());

  auto b = decode_published(payload_of(entry_kind::bar, sample_bar()));
  ASSERT_TRUE(b.ok()) << b.err().message();
  EXPECT_EQ(b->kind, entry_kind::bar);
  EXPECT_EQ(b->origin, ""); // untagged
  expect_same(std::get<bar>(b->event), sample_bar());

  auto p = decode_published(payload_of(entry_kind::price, sample_price(), "x"));
  ASSERT_TRUE(p.ok()) << p.err().message();
  EXPECT_EQ(p->kind, entry_kind::price);
  expect_same_price(std::get<price>(p->event), sample_price());

  for (auto& payload :
       {payload_of(entry_kind::trade, sample_trade(), "ingest-1"),
        payload_of(entry_kind::ticker, sample_quote()),
        payload_of(entry_kind::bar, sample_bar(), "gw_3"),
        payload_of(entry_kind::price, sample_price(), "a")})
    expect_reencodes(payload);
}

TEST(PublishedEvents, EveryEnumValueAndFlagRoundTrips) {
  for (auto p : {providers::simulator, providers::replay, providers::binance,
                 providers::polygon, providers::coingecko, providers::coinmarketcap,
                 providers::alpha_vantage, providers::eodhd, providers::finnhub,
                 providers::yahoo, providers::massive_futures}) {
    auto x = sample_trade();
    x.source = p;
    auto e = decode_published(payload_of(entry_kind::trade, x));
    ASSERT_TRUE(e.ok()) << to_string(p);
    EXPECT_EQ(std::get<trade>(e->event).source, p);
  }
  for (auto s : {side::unknown, side::buy, side::sell}) {
    auto x = sample_trade();
    x.aggressor = s;
    auto e = decode_published(payload_of(entry_kind::trade, x));
    ASSERT_TRUE(e.ok()) << to_string(s);
    EXPECT_EQ(std::get<trade>(e->event).aggressor, s);
  }
  for (int i = 0; i <= static_cast<int>(interval::mo1); ++i) {
    auto x = sample_bar();
    x.span = static_cast<interval>(i);
    x.closed = i % 2 == 0;
    auto e = decode_published(payload_of(entry_kind::bar, x));
    ASSERT_TRUE(e.ok()) << to_string(x.span);
    expect_same(std::get<bar>(e->event), x);
  }
  for (uint32_t flags = 0; flags < 1u << std::size(quality_flag_names); ++flags) {
    auto x = sample_quote();
    x.flags = flags;
    auto e = decode_published(payload_of(entry_kind::ticker, x));
    ASSERT_TRUE(e.ok()) << flags;
    EXPECT_EQ(std::get<quote>(e->event).flags, flags);
  }
}

TEST(PublishedEvents, OddButValidValuesRoundTrip) {
  auto x = sample_trade();
  x.instrument = "X:BTCUSD";
  x.provider_symbol = "we\"ird\\sym\n\x01"; // escaped by the encoder
  x.trade_id = "";
  x.price = dec("-0.000000000000000001");
  x.size = dec("999999999999999999");
  x.ts_event_ns = -1;
  x.ts_recv_ns = 0;
  x.flags = 0;
  auto payload = payload_of(entry_kind::trade, x, "n");
  auto e = decode_published(payload);
  ASSERT_TRUE(e.ok()) << e.err().message();
  expect_same(std::get<trade>(e->event), x);
  expect_reencodes(payload);
  // A price no trade set: trade_id null.
  auto p = sample_price();
  p.trade_id.clear();
  auto pp = decode_published(payload_of(entry_kind::price, p));
  ASSERT_TRUE(pp.ok()) << pp.err().message();
  expect_same_price(std::get<price>(pp->event), p);
}

TEST(PublishedEvents, TheWritersCommandsDecode) {
  // The PUBLISH commands exactly as the cache writer builds them.
  std::vector<cache_entry> entries;
  auto add = [&](entry_kind kind, const std::string& instrument, auto&& x) {
    cache_entry e;
    e.kind = kind;
    e.instrument = instrument;
    api::append_json(e.json, x);
    entries.push_back(std::move(e));
  };
  add(entry_kind::price, "ETH-USDT", sample_price());
  add(entry_kind::trade, "BTC-USDT", sample_trade());
  add(entry_kind::ticker, "AAPL", sample_quote());
  add(entry_kind::bar, "EURUSD=X", sample_bar());
  redis::cache_settings s;
  s.origin = "ingest-7";
  auto cmds = build_commands(entries, s);
  ASSERT_TRUE(cmds.ok());
  event_batch batch;
  size_t published = 0;
  size_t left_out = 0;
  for (auto& c : cmds->commands) {
    if (c[0] != "PUBLISH")
      continue;
    ++published;
    auto e = decode_published(c[2]);
    ASSERT_TRUE(e.ok()) << e.err().message() << " in " << c[2];
    EXPECT_EQ(e->origin, "ingest-7");
    EXPECT_EQ(c[1], events_channel(s, entries[published - 1].instrument));
    if (!add_to_batch(std::move(*e), batch))
      ++left_out;
  }
  EXPECT_EQ(published, 4u);
  EXPECT_EQ(left_out, 1u); // the price: its trade carries it
  ASSERT_EQ(batch.trades.size(), 1u);
  ASSERT_EQ(batch.quotes.size(), 1u);
  ASSERT_EQ(batch.bars.size(), 1u);
  expect_same(batch.trades[0], sample_trade());
  expect_same(batch.quotes[0], sample_quote());
  expect_same(batch.bars[0], sample_bar());
}

TEST(PublishedEvents, GarbageIsRefusedWithATypedError) {
  auto good = payload_of(entry_kind::trade, sample_trade());
  auto with = [&](const std::string& from, const std::string& to) {
    auto s = good;
    auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? s : s.replace(at, from.size(), to);
  };
  struct row {
    std::string payload;
    errc code;
    std::string context;
  };
  std::vector<row> rows{
    {"", errc::malformed, "not JSON"},
    {"\xff\xfe garbage", errc::malformed, "not JSON"},
    {good.substr(0, good.size() - 3), errc::malformed, "not JSON"},
    {"[1,2]", errc::malformed, "not a JSON object"},
    {R"("trade")", errc::malformed, "not a JSON object"},
    {R"({"data":{}})", errc::missing_field, "type"},
    {R"({"type":7,"data":{}})", errc::malformed, "type: expected a string"},
    {R"({"type":"order","data":{}})", errc::malformed, "type: unknown"},
    {R"({"type":"trade"})", errc::missing_field, "data"},
    {R"({"type":"trade","data":[]})", errc::malformed, "data: expected an object"},
    {R"({"type":"trade","origin":1,"data":{}})", errc::malformed,
     "origin: expected a string"},
    {R"({"type":"trade","data":{}})", errc::missing_field, "data.instrument"},
    {with(R"("price":"65000.12",)", ""), errc::missing_field, "data.price"},
    {with(R"("65000.12")", R"("65,000.12")"), errc::bad_number, "data.price"},
    {with(R"("65000.12")", "65000.12"), errc::bad_number, "data.price"},
    {with(R"("0.000015")", R"("1e-5")"), errc::bad_number, "data.size"},
    {with(R"("side":"sell")", R"("side":"short")"), errc::malformed, "data.side: unknown"},
    {with(R"("provider":"binance")", R"("provider":"nyse")"), errc::malformed,
     "data.provider: unknown"},
    {with(R"("instrument":"BTC-USDT")", R"("instrument":"btc-usdt")"),
     errc::malformed, "data.instrument: not canonical"},
    {with(R"("flags":["backfilled","outlier"])", R"("flags":["shiny"])"),
     errc::malformed, "data.flags: unknown flag"},
    {with(R"("flags":["backfilled","outlier"])", R"("flags":"outlier")"),
     errc::malformed, "data.flags: expected an array"},
    {with(R"(,"flags":["backfilled","outlier"])", ""), errc::missing_field, "data.flags"},
    {with(R"("ts_recv":1700000000123461110)", R"("ts_recv":1.5)"), errc::bad_number,
     "data.ts_recv"},
    {with(R"("trade_id":"5933014")", R"("trade_id":5933014)"), errc::malformed,
     "data.trade_id"},
  };
  // Bars and prices have fields of their own.
  auto bar_payload = payload_of(entry_kind::bar, sample_bar());
  auto bad_bar = bar_payload;
  bad_bar.replace(bad_bar.find(R"("interval":"4h")"), 15, R"("interval":"7m")");
  rows.push_back({bad_bar, errc::malformed, "data.interval: unknown"});
  bad_bar = bar_payload;
  bad_bar.replace(bad_bar.find(R"("trades":4242)"), 13, R"("trades":-1)");
  rows.push_back({bad_bar, errc::bad_number, "data.trades"});
  bad_bar = bar_payload;
  bad_bar.replace(bad_bar.find(R"("closed":true)"), 13, R"("closed":1)");
  rows.push_back({bad_bar, errc::malformed, "data.closed"});
  auto bad_price = payload_of(entry_kind::price, sample_price());
  bad_price.replace(bad_price.find(R"("trade_id":"77")"), 15, R"("trade_id":77)");
  rows.push_back({bad_price, errc::malformed, "data.trade_id: expected a string or null"});
  // A trade published under another kind lacks that kind's fields.
  auto as_bar = good;
  as_bar.replace(as_bar.find(R"("type":"trade")"), 14, R"("type":"bar")");
  rows.push_back({as_bar, errc::missing_field, "data.interval"});
  for (auto& r : rows) {
    auto e = decode_published(r.payload);
    ASSERT_FALSE(e.ok()) << r.payload;
    EXPECT_EQ(e.err().code, r.code) << r.payload << ": " << e.err().message();
    EXPECT_EQ(e.err().context.rfind(r.context, 0), 0u)
      << r.payload << ": " << e.err().message();
  }
}

TEST(PublishedEvents, KindNamesAreTheSchemaNames) {
  for (auto k : {entry_kind::price, entry_kind::ticker, entry_kind::bar,
                 entry_kind::trade, entry_kind::status, entry_kind::quarantine}) {
    auto back = entry_kind_from_string(to_string(k));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, k);
  }
  EXPECT_FALSE(entry_kind_from_string("quote").has_value());
  EXPECT_FALSE(entry_kind_from_string("").has_value());
}

// A validator's quarantined event, as the cache writer streams it, decodes
// back exactly (another node lists it); garbage is a typed error.
TEST(PublishedEvents, QuarantinedEventsRoundTrip) {
  quarantined_event x;
  x.seq = 42;
  x.why = rule::instrument_id;
  x.reason = "not a canonical id: \"btc usdt\"";
  x.dropped = true;
  x.source = providers::binance;
  x.instrument = "btc usdt"; // a bad id is a reason to be here
  x.event_time_ns = t0;
  x.seen_ns = t0 + 1;
  x.flags = quality_stale | quality_replayed;
  x.type = "trade";
  x.fields = {{"id", "17"}, {"price", "65000.12"}};
  for (auto node : {"", "ingest-1"}) {
    x.node = node;
    std::string json;
    api::append_json(json, x);
    auto e = decode_published(publish_payload(entry_kind::quarantine, json));
    ASSERT_TRUE(e.ok()) << e.err().message() << " " << json;
    ASSERT_EQ(e->kind, entry_kind::quarantine);
    auto& y = std::get<quarantined_event>(e->event);
    EXPECT_EQ(y.seq, x.seq);
    EXPECT_EQ(y.why, x.why);
    EXPECT_EQ(y.reason, x.reason);
    EXPECT_EQ(y.dropped, x.dropped);
    EXPECT_EQ(y.source, x.source);
    EXPECT_EQ(y.instrument, x.instrument);
    EXPECT_EQ(y.event_time_ns, x.event_time_ns);
    EXPECT_EQ(y.seen_ns, x.seen_ns);
    EXPECT_EQ(y.flags, x.flags);
    EXPECT_EQ(y.type, x.type);
    EXPECT_EQ(y.fields, x.fields);
    EXPECT_EQ(y.node, x.node);
    event_batch b;
    EXPECT_FALSE(add_to_batch(std::move(*e), b)); // not a pipeline event
    EXPECT_TRUE(b.empty());
  }
  x.node.clear();
  std::string good;
  api::append_json(good, x);
  auto with = [&](const std::string& from, const std::string& to) {
    auto s = good;
    auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? s : s.replace(at, from.size(), to);
  };
  struct row {
    std::string data;
    std::string context;
  } rows[] = {
    {with("\"rule\":\"instrument_id\"", "\"rule\":\"nope\""), "data.rule"},
    {with("\"provider\":\"binance\"", "\"provider\":\"nope\""), "data.provider"},
    {with("\"seen\":\"", "\"seen\":\"x"), "data.seen"},
    {with("\"fields\":{", "\"fields\":{\"n\":1,"), "data.fields"},
    {with("\"flags\":[", "\"flags\":[\"nope\","), "data.flags"},
    {with("\"seq\":42", "\"seq\":-1"), "data.seq"},
    {with("}}", "},\"node\":7}"), "data.node"},
  };
  for (auto& r : rows) {
    auto e = decode_published(publish_payload(entry_kind::quarantine, r.data));
    ASSERT_FALSE(e.ok()) << r.data;
    EXPECT_EQ(e.err().context.rfind(r.context, 0), 0u) << e.err().context;
  }
}

TEST(PublishedEvents, OriginMustBeJsonSafe) {
  redis::cache_settings s;
  for (auto ok : {"", "a", "ingest-1", "gw_2.eu"}) {
    s.origin = ok;
    EXPECT_TRUE(validate(s).ok()) << ok;
  }
  for (auto& bad : std::vector<std::string>{"a\"b", "a b", "n\\1", std::string(65, 'x')}) {
    s.origin = bad;
    auto v = validate(s);
    ASSERT_FALSE(v.ok()) << bad;
    EXPECT_EQ(v.err().code, errc::config_invalid);
  }
}

// -- [cluster] ------------------------------------------------------------------

/// The two lines every test config needs (the simulator is on by default).
constexpr const char* simulator = "[simulator]\nsymbols = BTC-USDT:1\n";

TEST(ClusterConfig, DefaultsAndKeys) {
  auto d = load_topology(default_config_text(), "<embedded default>");
  ASSERT_TRUE(d.ok()) << d.err().context;
  EXPECT_EQ(d->cluster.node_id, "");
  EXPECT_FALSE(d->cluster.subscribe);
  auto t = load_topology(std::string{simulator} + "[cluster]\nnode-id = gw-1\nsubscribe = true\n",
                         "t.ini");
  ASSERT_TRUE(t.ok()) << t.err().context;
  EXPECT_EQ(t->cluster.node_id, "gw-1");
  EXPECT_TRUE(t->cluster.subscribe);
  // Every key is documented in the default file.
  auto text = std::string{default_config_text()};
  auto at = text.find("\n[cluster]\n");
  ASSERT_NE(at, std::string::npos);
  for (auto key : {"node-id =", "subscribe ="}) {
    auto k = text.find(std::string{"\n"} + key, at);
    ASSERT_NE(k, std::string::npos) << key;
    EXPECT_EQ(text[text.rfind('\n', k - 1) + 1], '#') << key << " is undocumented";
  }
}

TEST(ClusterConfig, BadValuesNameTheKey) {
  struct row {
    std::string ini;
    std::string context;
  };
  for (auto& r : std::vector<row>{
         {"[cluster]\nsubscribe = true\n",
          "t.ini:4: cluster.node-id: required because cluster.subscribe is true"},
         {"[cluster]\nnode-id = \nsubscribe = true\n",
          "t.ini:5: cluster.node-id: required because cluster.subscribe is true"},
         {"[cluster]\nnode-id = gw 1\n", "t.ini:4: cluster.node-id: must be empty or 1 to 64"},
         {"[cluster]\nnode-id = " + std::string(65, 'n') + "\n",
          "t.ini:4: cluster.node-id: must be empty or 1 to 64"},
         {"[cluster]\nsubscribe = yes\n", "t.ini:4: cluster.subscribe:"},
         {"[cluster]\nrole = gateway\n", "t.ini:4: cluster.role: unknown key"},
       }) {
    auto t = load_topology(simulator + r.ini, "t.ini");
    ASSERT_FALSE(t.ok()) << r.ini;
    EXPECT_EQ(t.err().code, errc::config_invalid);
    EXPECT_EQ(t.err().context.rfind(r.context, 0), 0u) << t.err().context;
  }
}
