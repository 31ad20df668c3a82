#include "adapters/journal/batch_codec.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <limits>

#include "adapters/binance/binance_provider.hpp"
#include "adapters/journal/journal.hpp"
#include "adapters/massive_futures/massive_futures_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/yahoo/yahoo_provider.hpp"
#include "tests/storage/storage_support.hpp"

using namespace tickflow;
using namespace tickflow::journal;
using test::dec;
using test::expect_same;

namespace {

constexpr int64_t i64_min = std::numeric_limits<int64_t>::min();
constexpr int64_t i64_max = std::numeric_limits<int64_t>::max();

event_batch sample_batch() {
  event_batch b;
  trade t;
  t.instrument = "BTC-USDT";
  t.provider_symbol = "BTCUSDT";
  t.source = providers::binance;
  t.price = dec("0.00100000");
  t.size = dec("-999999999999999999");
  t.aggressor = side::sell;
  t.trade_id = std::string{"id\0with\tnul \xC3\xA9", 15};
  t.ts_event_ns = i64_min;
  t.ts_recv_ns = i64_max;
  t.flags = 0xffffffffu;
  b.trades.push_back(t);
  t.trade_id.clear();
  t.provider_symbol.clear();
  t.aggressor = side::unknown;
  t.source = providers::massive_futures;
  t.price = decimal::from_parts(1, 18);
  b.trades.push_back(t);
  quote q;
  q.instrument = "EURUSD=X";
  q.provider_symbol = "EURUSD=X";
  q.source = providers::yahoo;
  q.bid_price = dec("1.0712");
  q.bid_size = dec("0");
  q.ask_price = dec("1.07125");
  q.ask_size = dec("1000000");
  q.ts_event_ns = 1;
  q.ts_recv_ns = -1;
  q.flags = quality_stale;
  b.quotes.push_back(q);
  bar x;
  x.instrument = "AAPL";
  x.provider_symbol = "AAPL";
  x.source = providers::polygon;
  x.span = interval::mo1;
  x.open_time_ns = 1'700'000'000'000'000'000;
  x.open = dec("74.06");
  x.high = dec("75.5");
  x.low = dec("73.0001");
  x.close = dec("74.9");
  x.volume = dec("135647456");
  x.trade_count = std::numeric_limits<uint64_t>::max();
  x.closed = true;
  x.ts_recv_ns = 5;
  x.flags = quality_backfilled;
  b.bars.push_back(x);
  x.closed = false;
  x.span = interval::s1;
  b.bars.push_back(x);
  feed_status st;
  st.source = providers::binance;
  st.connection = "binance#0";
  st.state = feed_state::reconnected;
  st.gap_start_ns = i64_min;
  st.gap_end_ns = i64_max;
  st.reason = std::string{"closed 1006 \0 \xC3\xA9", 16};
  st.ts_ns = 7;
  b.statuses.push_back(st);
  st.state = feed_state::backfilled;
  st.connection.clear();
  st.reason.clear();
  b.statuses.push_back(st);
  return b;
}

void expect_same_batch(const event_batch& a, const event_batch& b) {
  ASSERT_EQ(a.trades.size(), b.trades.size());
  ASSERT_EQ(a.quotes.size(), b.quotes.size());
  ASSERT_EQ(a.bars.size(), b.bars.size());
  for (size_t i = 0; i < a.trades.size(); ++i)
    expect_same(a.trades[i], b.trades[i]);
  for (size_t i = 0; i < a.quotes.size(); ++i)
    expect_same(a.quotes[i], b.quotes[i]);
  for (size_t i = 0; i < a.bars.size(); ++i)
    expect_same(a.bars[i], b.bars[i]);
  ASSERT_EQ(a.statuses.size(), b.statuses.size());
  for (size_t i = 0; i < a.statuses.size(); ++i) {
    auto& x = a.statuses[i];
    auto& y = b.statuses[i];
    EXPECT_EQ(x.source, y.source);
    EXPECT_EQ(x.connection, y.connection);
    EXPECT_EQ(x.state, y.state);
    EXPECT_EQ(x.gap_start_ns, y.gap_start_ns);
    EXPECT_EQ(x.gap_end_ns, y.gap_end_ns);
    EXPECT_EQ(x.reason, y.reason);
    EXPECT_EQ(x.ts_ns, y.ts_ns);
  }
}

} // namespace

TEST(BatchCodec, RoundTripIsExact) {
  auto in = sample_batch();
  auto bytes = encode_batch(in);
  auto out = decode_batch(bytes);
  ASSERT_TRUE(out.ok()) << out.err().message();
  expect_same_batch(*out, in);
  EXPECT_EQ(out->trades[0].price.mantissa, 1);
  EXPECT_EQ(out->trades[0].price.scale, 3);
  EXPECT_EQ(encode_batch(*out), bytes); // stable
  std::string appended = "prefix";
  append_batch(appended, in);
  EXPECT_EQ(appended, "prefix" + bytes);
}

TEST(BatchCodec, EmptyBatch) {
  auto bytes = encode_batch(event_batch{});
  EXPECT_EQ(bytes.size(), 20u);
  auto out = decode_batch(bytes);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->empty());
}

TEST(BatchCodec, EveryTruncationIsMalformed) {
  auto bytes = encode_batch(sample_batch());
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto out = decode_batch(std::string_view{bytes}.substr(0, n));
    ASSERT_FALSE(out.ok()) << n;
    EXPECT_EQ(out.err().code, errc::malformed);
  }
}

TEST(BatchCodec, BadInputIsMalformed) {
  auto good = encode_batch(sample_batch());
  struct row {
    std::string bytes;
    const char* expected;
  };
  auto with = [&](size_t pos, char c) {
    auto s = good;
    s[pos] = c;
    return s;
  };
  // Offsets: magic 4, counts 16, then the first trade: instrument
  // (4 + 8), provider_symbol (4 + 7), provider at 43, price at 44..52.
  // The last status: ..., state 9 bytes before the two i64 gaps' end.
  row rows[] = {
    {"", "bad magic"},
    {"XFB\x01", "bad magic"},
    {with(3, '\x03'), "unknown format version 3"},
    {good + "x", "1 trailing bytes"},
    {with(43, '\x7f'), "provider"},
    {with(52, '\x13'), "trade price"}, // scale 19
    {with(4, '\xff'), "counts exceed"},
    {with(16, '\xff'), "counts exceed"}, // statuses
    {with(good.size() - 8 - 4 - 8 - 8 - 1, '\x05'), "status state"},
  };
  for (auto& r : rows) {
    auto out = decode_batch(r.bytes);
    ASSERT_FALSE(out.ok()) << r.expected;
    EXPECT_EQ(out.err().code, errc::malformed);
    EXPECT_NE(out.err().context.find(r.expected), std::string::npos)
      << out.err().context;
  }
  std::string huge{"TFB\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
                   16};
  EXPECT_FALSE(decode_batch(huge).ok()); // no giant allocation
}

// Journals written before statuses were journaled ("TFB" 0x01: three
// counts, no statuses) still replay after an upgrade.
TEST(BatchCodec, VersionOneRecordsStillDecode) {
  auto in = sample_batch();
  in.statuses.clear();
  auto v2 = encode_batch(in);
  ASSERT_EQ(v2.substr(16, 4), std::string(4, '\0')); // no statuses
  auto v1 = v2.substr(0, 16) + v2.substr(20);
  v1[3] = '\x01';
  auto out = decode_batch(v1);
  ASSERT_TRUE(out.ok()) << out.err().message();
  expect_same_batch(*out, in);
  auto empty = decode_batch(std::string{"TFB\x01", 4} + std::string(12, '\0'));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(BatchCodec, JournalledBatchesReplayExactly) {
  auto dir = test::temp_dir();
  journal_options o;
  o.dir = dir + "/j";
  o.sync = fsync_policy::never;
  auto in = sample_batch();
  {
    auto j = disk_journal::open(o);
    ASSERT_TRUE(j.ok()) << j.err().message();
    ASSERT_TRUE(j->append(encode_batch(in)).ok());
    ASSERT_TRUE(j->append(encode_batch(event_batch{})).ok());
  }
  auto j = disk_journal::open(o);
  ASSERT_TRUE(j.ok());
  std::vector<event_batch> out;
  auto n = j->replay([&](uint64_t, std::string_view bytes) {
    auto b = decode_batch(bytes);
    EXPECT_TRUE(b.ok());
    if (b.ok())
      out.push_back(std::move(b).value());
    return true;
  });
  ASSERT_TRUE(n.ok());
  ASSERT_EQ(out.size(), 2u);
  expect_same_batch(out[0], in);
  EXPECT_TRUE(out[1].empty());
  ASSERT_TRUE(j->ack(2).ok());
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}
