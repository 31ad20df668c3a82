// Against the private PostgreSQL of the services fixture.

#include "adapters/postgres/pg_client.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <thread>

#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/yahoo/yahoo_provider.hpp"
#include "tests/storage/storage_support.hpp"

using namespace tickflow;
using namespace tickflow::pg;
using test::dec;
using test::expect_same;

namespace {

constexpr int64_t minute = 60'000'000'000;
constexpr int64_t t0 = 1'700'000'040'000'000'000; // 2023-11-14T22:14:00Z

class PgClient : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env_.ok()) << env_.problem();
    instrument_ = test::unique_name();
    auto ok = client_.connect(env_.pg_dsn(), 5);
    ASSERT_TRUE(ok.ok()) << ok.err().message();
    auto m = client_.migrate();
    ASSERT_TRUE(m.ok()) << m.err().message();
  }

  void TearDown() override {
    std::string out;
    if (env_.ok())
      env_.control("start-postgres", out);
  }

  bar make_bar(int64_t open_time_ns, const char* close = "65000.12") const {
    bar b;
    b.instrument = instrument_;
    b.provider_symbol = "BTCUSDT";
    b.source = providers::binance;
    b.span = interval::m1;
    b.open_time_ns = open_time_ns;
    b.open = dec("0.00100000");
    b.high = dec("65001");
    b.low = dec("-0.5");
    b.close = dec(close);
    b.volume = dec("123456789.123456789");
    b.trade_count = 17;
    b.closed = true;
    b.ts_recv_ns = open_time_ns + 61'000'000'000;
    b.flags = quality_backfilled;
    return b;
  }

  trade make_trade(std::string id, int64_t ts_ns) const {
    trade t;
    t.instrument = instrument_;
    t.provider_symbol = "BTCUSDT";
    t.source = providers::binance;
    t.price = dec("37001.50");
    t.size = dec("0.00100000");
    t.aggressor = side::sell;
    t.trade_id = std::move(id);
    t.ts_event_ns = ts_ns;
    t.ts_recv_ns = ts_ns + 123;
    t.flags = quality_outlier;
    return t;
  }

  test::services_env env_;
  std::string instrument_;
  pg_client client_;
};

} // namespace

TEST_F(PgClient, MigrationsAreIdempotentAndSerialized) {
  // The fixture already migrated the shared database: nothing left to do.
  auto again = client_.migrate();
  ASSERT_TRUE(again.ok()) << again.err().message();
  EXPECT_EQ(again->applied, 0);
  EXPECT_EQ(again->current_version, 2);
  EXPECT_EQ(again->flavor, storage_flavor::plain); // no TimescaleDB in Debian
  // A fresh database, migrated by two clients at once: the advisory lock
  // lets exactly one apply each step.
  auto db = "migrate_" + test::unique_name();
  for (auto& c : db)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  ASSERT_TRUE(client_.execute("CREATE DATABASE " + db).ok());
  int applied[2] = {-1, -1};
  std::string errors[2];
  {
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i)
      threads.emplace_back([&, i] {
        pg_client c;
        if (auto ok = c.connect(env_.pg_dsn_for(db), 5); !ok) {
          errors[i] = ok.err().message();
          return;
        }
        auto r = c.migrate();
        if (r)
          applied[i] = r->applied;
        else
          errors[i] = r.err().message();
      });
    for (auto& t : threads)
      t.join();
  }
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  EXPECT_EQ(applied[0] + applied[1], 2);
  {
    pg_client c;
    ASSERT_TRUE(c.connect(env_.pg_dsn_for(db), 5).ok());
    auto third = c.migrate();
    ASSERT_TRUE(third.ok());
    EXPECT_EQ(third->applied, 0);
    auto rows = c.execute("SELECT version FROM schema_migrations");
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ(*rows, 2u);
    auto f = c.flavor();
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(*f, storage_flavor::plain);
  }
  EXPECT_TRUE(client_.execute("DROP DATABASE " + db).ok());
}

TEST_F(PgClient, BarsRoundTripExactly) {
  std::vector<bar> in{make_bar(t0),
                      make_bar(t0 + minute, "0.000000000000000001"),
                      make_bar(t0 + 2 * minute, "999999999999999999")};
  in[1].closed = false;
  in[1].trade_count = 0;
  in[2].source = providers::coingecko;
  in[2].flags = 0;
  auto n = client_.write_bars(in);
  ASSERT_TRUE(n.ok()) << n.err().message();
  EXPECT_EQ(*n, 3u);
  auto out = client_.read_bars(instrument_, interval::m1, t0, t0 + 3 * minute,
                               0);
  ASSERT_TRUE(out.ok()) << out.err().message();
  ASSERT_EQ(out->size(), 3u);
  for (size_t i = 0; i < 3; ++i)
    expect_same((*out)[i], in[i]);
  EXPECT_EQ((*out)[0].open.to_string(), "0.001"); // "0.00100000" -> "0.001"
  // NUMERIC kept the text: no double on the way.
  auto exact = client_.execute(
    "SELECT 1 FROM bars WHERE instrument = '" + instrument_
    + "' AND open::text = '0.001' AND volume::text = "
      "'123456789.123456789'");
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(*exact, 3u);
  auto count = client_.count_bars(instrument_);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 3u);
}

TEST_F(PgClient, TheSameBatchTwiceAddsNoRows) {
  std::vector<bar> bars{make_bar(t0), make_bar(t0 + minute)};
  std::vector<trade> trades{make_trade("1", t0), make_trade("2", t0 + 1),
                            make_trade("", t0 + 2)};
  auto b1 = client_.write_bars(bars);
  auto t1 = client_.write_trades(trades);
  ASSERT_TRUE(b1.ok() && t1.ok());
  EXPECT_EQ(*b1, 2u);
  EXPECT_EQ(*t1, 3u);
  auto b2 = client_.write_bars(bars);
  auto t2 = client_.write_trades(trades);
  ASSERT_TRUE(b2.ok()) << b2.err().message();
  ASSERT_TRUE(t2.ok()) << t2.err().message();
  EXPECT_EQ(*b2, 0u);
  EXPECT_EQ(*t2, 0u);
  EXPECT_EQ(*client_.count_bars(instrument_), 2u);
  EXPECT_EQ(*client_.count_trades(instrument_), 3u);
  // Duplicates inside one batch are fine too.
  auto b3 = client_.write_bars({make_bar(t0 + 5 * minute),
                                make_bar(t0 + 5 * minute)});
  ASSERT_TRUE(b3.ok()) << b3.err().message();
  EXPECT_EQ(*b3, 1u);
  EXPECT_EQ(*client_.write_bars({}), 0u);
}

TEST_F(PgClient, NewTradesGoInByDirectCopyAndStoredOnesAreMerged) {
  auto before = client_.copies();
  ASSERT_EQ(*client_.write_trades({make_trade("a", t0), make_trade("b", t0 + 1)}),
            2u);
  EXPECT_EQ(client_.copies().direct, before.direct + 1);
  EXPECT_EQ(client_.copies().conflicts, before.conflicts);
  // "b" is stored: the direct COPY fails as a whole, the merge adds only "c".
  auto mixed = client_.write_trades({make_trade("b", t0 + 1),
                                     make_trade("c", t0 + 2)});
  ASSERT_TRUE(mixed.ok()) << mixed.err().message();
  EXPECT_EQ(*mixed, 1u);
  EXPECT_EQ(client_.copies().conflicts, before.conflicts + 1);
  EXPECT_EQ(client_.copies().merged, before.merged + 1);
  // Replays come in runs: the next 16 batches are merged without trying,
  // then the direct COPY is tried again.
  for (int i = 0; i < 16; ++i)
    ASSERT_EQ(*client_.write_trades({make_trade("d" + std::to_string(i),
                                                t0 + 3 + i)}),
              1u);
  EXPECT_EQ(client_.copies().direct, before.direct + 1);
  EXPECT_EQ(client_.copies().merged, before.merged + 17);
  ASSERT_EQ(*client_.write_trades({make_trade("e", t0 + 20)}), 1u);
  EXPECT_EQ(client_.copies().direct, before.direct + 2);
  // A duplicate inside one fresh batch is a conflict too, and merged.
  ASSERT_EQ(*client_.write_trades({make_trade("f", t0 + 21),
                                   make_trade("f", t0 + 21)}),
            1u);
  EXPECT_EQ(client_.copies().direct, before.direct + 2);
  EXPECT_EQ(client_.copies().conflicts, before.conflicts + 2);
  // The connection is usable after the refused COPYs, and nothing doubled.
  EXPECT_EQ(*client_.count_trades(instrument_), 21u);
  auto out = client_.read_trades(instrument_, t0, t0 + 100, 0);
  ASSERT_TRUE(out.ok()) << out.err().message();
  ASSERT_EQ(out->size(), 21u);
  EXPECT_EQ(out->back().trade_id, "f");
}

TEST_F(PgClient, BarRevisionsReplaceButNeverReopenAClosedBar) {
  auto open_bar = make_bar(t0, "1");
  open_bar.closed = false;
  ASSERT_EQ(*client_.write_bars({open_bar}), 1u);
  open_bar.close = dec("2");
  auto changed = client_.write_bars({open_bar});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 1u);
  auto closed_bar = open_bar;
  closed_bar.close = dec("3");
  closed_bar.closed = true;
  EXPECT_EQ(*client_.write_bars({closed_bar}), 1u);
  auto late_open = open_bar; // a stale in-progress version arrives late
  late_open.close = dec("4");
  EXPECT_EQ(*client_.write_bars({late_open}), 0u);
  // Within a batch the last version of a key wins.
  auto v5 = closed_bar;
  v5.close = dec("5");
  auto v6 = closed_bar;
  v6.close = dec("6");
  EXPECT_EQ(*client_.write_bars({v5, v6}), 1u);
  auto out = client_.read_bars(instrument_, interval::m1, t0, t0 + 1, 0);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), 1u);
  EXPECT_TRUE((*out)[0].closed);
  EXPECT_EQ((*out)[0].close.to_string(), "6");
  EXPECT_EQ(*client_.count_bars(instrument_), 1u);
}

TEST_F(PgClient, AwkwardStringsSurviveCopy) {
  std::vector<std::string> ids{
    "quote\"d'single'",        "tab\there",
    "new\nline\r\n",           "back\\slash\\",
    "\\N",                     "\\.",
    "unicode \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 \xE4\xB8\xAD",
    "comma,semi;pipe|",        "  spaces  ",
    "ctl \x01\x1f\x7f",
  };
  std::vector<trade> in;
  for (size_t i = 0; i < ids.size(); ++i) {
    in.push_back(make_trade(ids[i], t0 + static_cast<int64_t>(i)));
    in.back().provider_symbol = ids[i];
  }
  auto n = client_.write_trades(in);
  ASSERT_TRUE(n.ok()) << n.err().message();
  EXPECT_EQ(*n, ids.size());
  auto out = client_.read_trades(instrument_, t0, t0 + 1'000, 0);
  ASSERT_TRUE(out.ok()) << out.err().message();
  ASSERT_EQ(out->size(), ids.size());
  for (size_t i = 0; i < ids.size(); ++i)
    expect_same((*out)[i], in[i]);
  EXPECT_EQ((*out)[0].price.to_string(), "37001.5");
  EXPECT_EQ((*out)[0].size.to_string(), "0.001");
}

TEST_F(PgClient, BytesPostgresCannotStoreBecomeReplacementCharacters) {
  auto t = make_trade(std::string{"nul\0byte\xff", 9}, t0);
  ASSERT_EQ(*client_.write_trades({t}), 1u);
  auto out = client_.read_trades(instrument_, t0, t0 + 1, 0);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), 1u);
  EXPECT_EQ((*out)[0].trade_id, "nul\xEF\xBF\xBD" "byte\xEF\xBF\xBD");
}

TEST_F(PgClient, QuarantineKeepsEveryPayloadOnce) {
  std::vector<quarantine_record> in;
  for (auto payload : {std::string{R"({"o":"1","h":"0.5","l":"2"})"},
                       std::string{"raw\tframe \"not json\"\n"},
                       std::string{R"({"a":"\u0000"})"}}) {
    quarantine_record q;
    q.rule = "ohlc_sanity";
    q.reason = "high < low: 0.5 < 2";
    q.source = providers::yahoo;
    q.instrument = instrument_;
    q.event_time_ns = t0;
    q.payload = payload;
    q.seen_at_ns = t0 + 5;
    in.push_back(q);
  }
  auto n = client_.write_quarantine(in);
  ASSERT_TRUE(n.ok()) << n.err().message();
  EXPECT_EQ(*n, 3u);
  auto again = client_.write_quarantine(in);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
  EXPECT_EQ(*client_.count_quarantine(instrument_), 3u);
  auto as_json = client_.execute(
    "SELECT 1 FROM quarantine WHERE instrument = '" + instrument_
    + "' AND payload->>'h' = '0.5'");
  ASSERT_TRUE(as_json.ok());
  EXPECT_EQ(*as_json, 1u);
  auto as_string = client_.execute(
    "SELECT 1 FROM quarantine WHERE instrument = '" + instrument_
    + "' AND payload #>> '{}' = E'raw\\tframe \"not json\"\\n'");
  ASSERT_TRUE(as_string.ok()) << as_string.err().message();
  EXPECT_EQ(*as_string, 1u);
}

TEST_F(PgClient, ReadBarsHonoursRangeLimitAndProvider) {
  std::vector<bar> in;
  for (int i = 0; i < 5; ++i)
    in.push_back(make_bar(t0 + i * minute));
  auto other = make_bar(t0 + minute);
  other.source = providers::polygon;
  in.push_back(other);
  ASSERT_EQ(*client_.write_bars(in), 6u);
  auto range = client_.read_bars(instrument_, interval::m1, t0 + minute,
                                 t0 + 3 * minute, 0);
  ASSERT_TRUE(range.ok());
  ASSERT_EQ(range->size(), 3u); // [1, 3) minutes: binance 1, polygon 1, 2
  EXPECT_EQ((*range)[0].source, providers::binance);
  EXPECT_EQ((*range)[1].source, providers::polygon);
  EXPECT_EQ((*range)[2].open_time_ns, t0 + 2 * minute);
  auto limited = client_.read_bars(instrument_, interval::m1, t0,
                                   t0 + 10 * minute, 2, providers::binance);
  ASSERT_TRUE(limited.ok());
  ASSERT_EQ(limited->size(), 2u);
  EXPECT_EQ((*limited)[1].open_time_ns, t0 + minute);
  // The end is exclusive to the nanosecond.
  auto edge = client_.read_bars(instrument_, interval::m1, t0, t0 + 1, 0,
                                providers::binance);
  ASSERT_TRUE(edge.ok());
  EXPECT_EQ(edge->size(), 1u);
  auto none = client_.read_bars(instrument_, interval::h1, t0,
                                t0 + 10 * minute, 0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(PgClient, RetentionDeletesOlderRows) {
  std::vector<bar> in{make_bar(t0), make_bar(t0 + minute),
                      make_bar(t0 + 2 * minute)};
  ASSERT_EQ(*client_.write_bars(in), 3u);
  auto before = client_.count_bars();
  ASSERT_TRUE(before.ok());
  EXPECT_GE(*before, 3u);
  // Rows of every instrument older than t0 + 1 minute go (other tests'
  // leftovers too; none of them depends on old rows).
  auto deleted = client_.apply_retention(table::bars, t0 + minute);
  ASSERT_TRUE(deleted.ok()) << deleted.err().message();
  EXPECT_GE(*deleted, 1u);
  EXPECT_EQ(*client_.count_bars(instrument_), 2u);
}

TEST_F(PgClient, ConnectFailureIsCleanAndHidesThePassword) {
  pg_client c;
  auto port = std::to_string(test::free_port());
  auto r = c.connect("postgresql://postgres:s3cret-pw@127.0.0.1:" + port
                       + "/tickflow",
                     2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().code, errc::unavailable);
  EXPECT_NE(r.err().context.find("Connection refused"), std::string::npos)
    << r.err().context;
  EXPECT_EQ(r.err().context.find("s3cret"), std::string::npos)
    << r.err().context;
  auto w = c.write_bars({make_bar(t0)});
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.err().code, errc::unavailable);
  pg_client never;
  auto m = never.migrate();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.err().code, errc::invalid_argument);
  // A server error names the statement and carries the SQLSTATE.
  auto bad = client_.execute("SELECT no_such_column FROM bars");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.err().context.find("no_such_column"), std::string::npos);
  EXPECT_NE(bad.err().context.find("SQLSTATE 42703"), std::string::npos);
  EXPECT_TRUE(client_.connected());
  EXPECT_EQ(*client_.write_bars({make_bar(t0)}), 1u);
}

TEST_F(PgClient, PostgresStoppedIsACleanErrorAndWorksAfterRestart) {
  ASSERT_EQ(*client_.write_bars({make_bar(t0)}), 1u);
  std::string out;
  ASSERT_EQ(env_.control("stop-postgres", out), 0) << out;
  for (int i = 0; i < 2; ++i) {
    auto r = client_.write_bars({make_bar(t0 + minute)});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, errc::unavailable);
    EXPECT_FALSE(r.err().context.empty());
    EXPECT_FALSE(client_.connected());
  }
  auto c = client_.count_bars(instrument_);
  EXPECT_FALSE(c.ok());
  ASSERT_EQ(env_.control("start-postgres", out), 0) << out;
  auto r = client_.write_bars({make_bar(t0 + minute)}); // reconnects
  ASSERT_TRUE(r.ok()) << r.err().message();
  EXPECT_EQ(*r, 1u);
  EXPECT_EQ(*client_.count_bars(instrument_), 2u);
  auto m = client_.migrate();
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->applied, 0);
}
