#include "adapters/postgres/pg_copy.hpp"
#include "adapters/postgres/pg_schema.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "adapters/binance/binance_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "tests/storage/storage_support.hpp"

using namespace tickflow;
using namespace tickflow::pg;
using test::dec;

TEST(PgSchema, MigrationsAreNumberedAndFlavorSpecificOnlyInStep2) {
  auto plain = migrations(storage_flavor::plain);
  auto ts = migrations(storage_flavor::timescale);
  ASSERT_EQ(plain.size(), ts.size());
  for (size_t i = 0; i < plain.size(); ++i) {
    EXPECT_EQ(plain[i].version, static_cast<int>(i) + 1);
    EXPECT_EQ(ts[i].version, static_cast<int>(i) + 1);
    EXPECT_FALSE(plain[i].description.empty());
  }
  EXPECT_EQ(plain[0].sql, ts[0].sql);
  for (auto table : {"CREATE TABLE bars", "CREATE TABLE trades",
                     "CREATE TABLE quarantine"})
    EXPECT_NE(plain[0].sql.find(table), std::string::npos) << table;
  EXPECT_NE(plain[0].sql.find(
              "PRIMARY KEY (provider, instrument, interval, open_time)"),
            std::string::npos);
  EXPECT_NE(plain[0].sql.find("PRIMARY KEY (provider, instrument, trade_id)"),
            std::string::npos);
  EXPECT_NE(plain[1].sql.find("USING brin (open_time)"), std::string::npos);
  EXPECT_EQ(plain[1].sql.find("timescaledb"), std::string::npos);
  EXPECT_NE(ts[1].sql.find("CREATE EXTENSION IF NOT EXISTS timescaledb"),
            std::string::npos);
  EXPECT_NE(ts[1].sql.find("create_hypertable('bars', 'open_time'"),
            std::string::npos);
  EXPECT_NE(ts[1].sql.find("add_compression_policy('bars'"),
            std::string::npos);
}

TEST(PgSchema, FlavorNames) {
  EXPECT_EQ(to_string(storage_flavor::plain), "plain");
  EXPECT_EQ(to_string(storage_flavor::timescale), "timescale");
  EXPECT_EQ(flavor_from_string("timescale"), storage_flavor::timescale);
  EXPECT_EQ(flavor_from_string("plain"), storage_flavor::plain);
  EXPECT_FALSE(flavor_from_string("Plain").has_value());
}

TEST(PgSchema, RetentionSql) {
  constexpr int64_t cutoff = 1'700'000'000'123'456'789;
  EXPECT_EQ(retention_sql(storage_flavor::plain, table::bars, cutoff),
            "DELETE FROM bars WHERE open_time < "
            "'2023-11-14T22:13:20.123456Z'::timestamptz");
  EXPECT_EQ(retention_sql(storage_flavor::plain, table::trades, cutoff),
            "DELETE FROM trades WHERE ts_event < "
            "'2023-11-14T22:13:20.123456Z'::timestamptz");
  EXPECT_EQ(retention_sql(storage_flavor::plain, table::quarantine, 0),
            "DELETE FROM quarantine WHERE event_time < "
            "'1970-01-01T00:00:00Z'::timestamptz");
  EXPECT_EQ(retention_sql(storage_flavor::timescale, table::bars, cutoff),
            "SELECT drop_chunks('bars', older_than => "
            "'2023-11-14T22:13:20.123456Z'::timestamptz)");
}

TEST(PgSchema, TimestampsFloorToMicroseconds) {
  struct row {
    int64_t ns;
    const char* text;
  };
  row rows[] = {
    {0, "1970-01-01T00:00:00Z"},
    {999, "1970-01-01T00:00:00Z"},
    {1'000, "1970-01-01T00:00:00.000001Z"},
    {1'500, "1970-01-01T00:00:00.000001Z"},
    {-1, "1969-12-31T23:59:59.999999Z"},
    {-1'000, "1969-12-31T23:59:59.999999Z"},
    {-1'001, "1969-12-31T23:59:59.999998Z"},
    {1'700'000'000'000'000'000, "2023-11-14T22:13:20Z"},
  };
  for (auto& r : rows)
    EXPECT_EQ(pg_timestamp(r.ns), r.text) << r.ns;
  // Near the int64 edges: no overflow, something printable.
  EXPECT_FALSE(pg_timestamp(std::numeric_limits<int64_t>::min()).empty());
  EXPECT_FALSE(pg_timestamp(std::numeric_limits<int64_t>::max()).empty());
}

TEST(PgSchema, OnlyTradesHaveADirectCopyWithTheStagingColumns) {
  auto direct = direct_copy_sql(table::trades);
  auto staged = copy_sql(table::trades);
  ASSERT_EQ(direct.rfind("COPY trades (", 0), 0u);
  // Same column list, so the same COPY rows serve both.
  EXPECT_EQ(direct.substr(direct.find('(')), staged.substr(staged.find('(')));
  EXPECT_TRUE(direct_copy_sql(table::bars).empty()); // bars are upserted
  EXPECT_TRUE(direct_copy_sql(table::quarantine).empty());
}

TEST(PgSchema, StagingCopyAndMergeStatementsAgree) {
  for (auto t : {table::bars, table::trades, table::quarantine}) {
    auto name = "tickflow_stage_" + std::string{to_string(t)};
    EXPECT_NE(staging_ddl(t).find("CREATE TEMP TABLE IF NOT EXISTS " + name),
              std::string::npos);
    EXPECT_NE(staging_ddl(t).find("ON COMMIT DELETE ROWS"), std::string::npos);
    EXPECT_EQ(copy_sql(t).rfind("COPY " + name + " (", 0), 0u);
    EXPECT_EQ(copy_sql(t).find("seq"), std::string::npos); // the stage numbers rows
    EXPECT_NE(staging_ddl(t).find("seq BIGSERIAL"), std::string::npos);
    EXPECT_NE(copy_sql(t).find(") FROM STDIN"), std::string::npos);
    EXPECT_NE(merge_sql(t).find("FROM " + name), std::string::npos);
    EXPECT_NE(merge_sql(t).find("ON CONFLICT"), std::string::npos);
  }
  EXPECT_NE(merge_sql(table::trades).find("ON CONFLICT DO NOTHING"),
            std::string::npos);
  EXPECT_NE(merge_sql(table::bars).find("DISTINCT ON"), std::string::npos);
  EXPECT_NE(merge_sql(table::bars).find("IS DISTINCT FROM"),
            std::string::npos);
}

TEST(PgCopy, FieldsAreEscaped) {
  struct row {
    std::string in;
    std::string out;
  };
  row rows[] = {
    {"plain", "plain"},
    {"a\tb", "a\\tb"},
    {"line1\nline2\r", "line1\\nline2\\r"},
    {"back\\slash", "back\\\\slash"},
    {"\\N", "\\\\N"},   // not a NULL marker
    {"\\.", "\\\\."},   // not an end-of-data marker
    {"\b\f\v", "\\b\\f\\v"},
    {"quote\"'", "quote\"'"},
    {"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80",
     "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"},
    {"", ""},
  };
  for (auto& r : rows) {
    std::string out;
    append_copy_field(out, r.in);
    EXPECT_EQ(out, r.out) << r.in;
  }
}

TEST(PgCopy, TextIsSanitizedToValidUtf8WithoutNul) {
  const std::string fffd = "\xEF\xBF\xBD";
  struct row {
    std::string in;
    std::string out;
  };
  row rows[] = {
    {"ok \xC3\xA9", "ok \xC3\xA9"},
    {std::string{"a\0b", 3}, "a" + fffd + "b"},
    {"\xff", fffd},
    {"x\xC3", "x" + fffd},                 // truncated 2-byte sequence
    {"\xE2\x82", fffd},                    // truncated 3-byte sequence
    {"\xED\xA0\x80", fffd + fffd + fffd},  // surrogate: E D, then A0 80 stray
    {"\xC0\xAF", fffd + fffd},             // overlong
    {"\xF4\x90\x80\x80", fffd + fffd + fffd + fffd}, // above U+10FFFF
  };
  for (auto& r : rows)
    EXPECT_EQ(sanitize_text(r.in), r.out);
}

TEST(PgCopy, PayloadsBecomeStorableJson) {
  struct row {
    std::string in;
    std::string out;
  };
  row rows[] = {
    {R"({"a":[1,2.5,"x"]})", R"({"a":[1,2.5,"x"]})"},
    {"123", "123"},
    {"1e400", R"("1e400")"}, // RapidJSON refuses it: kept as text
    {"not json", R"("not json")"},
    {"{\"a\":", R"("{\"a\":")"},
    {"raw\ttext\n", R"("raw\ttext\n")"},
    {R"({"a":"\u0000"})", R"("{\"a\":\"\\u0000\"}")"},
    {R"(["\ud83d\ude00"])", R"("[\"\\ud83d\\ude00\"]")"},
    {R"({"a":"\\u0000"})", R"({"a":"\\u0000"})"}, // an escaped backslash
    {"1e999999", R"("1e999999")"},
    {"", R"("")"},
    {"\xff", "\"\xEF\xBF\xBD\""},
  };
  for (auto& r : rows)
    EXPECT_EQ(jsonb_payload(r.in), r.out) << r.in;
  std::string deep(1000, '[');
  deep.append(1000, ']');
  EXPECT_EQ(jsonb_payload(deep).front(), '"');
}

TEST(PgCopy, BarRowsFollowTheStagingColumns) {
  bar b;
  b.instrument = "BTC-USDT";
  b.provider_symbol = "BTC\tUSDT";
  b.source = providers::binance;
  b.span = interval::m1;
  b.open_time_ns = 1'700'000'040'000'000'000;
  b.open = dec("0.00100000");
  b.high = dec("65000.12");
  b.low = dec("-3");
  b.close = dec("0");
  b.volume = dec("12.5");
  b.trade_count = 42;
  b.closed = true;
  b.ts_recv_ns = 7;
  b.flags = quality_backfilled | quality_synthetic;
  EXPECT_EQ(copy_rows(std::vector<bar>{b, b}),
            "binance\tBTC-USDT\t1m\t2023-11-14T22:14:00Z\t"
            "1700000040000000000\t0.001\t65000.12\t-3\t0\t12.5\t42\tt\t"
            "BTC\\tUSDT\t129\t7\n"
            "binance\tBTC-USDT\t1m\t2023-11-14T22:14:00Z\t"
            "1700000040000000000\t0.001\t65000.12\t-3\t0\t12.5\t42\tt\t"
            "BTC\\tUSDT\t129\t7\n");
}

TEST(PgCopy, TradeIdsAreKeptOrSynthesized) {
  trade t;
  t.trade_id = "17";
  EXPECT_EQ(storage_trade_id(t), "17");
  t.trade_id.clear();
  t.ts_event_ns = 1'000;
  t.price = dec("1.5");
  t.size = dec("0.001");
  t.aggressor = side::sell;
  EXPECT_EQ(storage_trade_id(t), "~1000:1.5:0.001:sell");
  quarantine_record q;
  q.rule = "ohlc";
  q.reason = "high < low";
  q.source = providers::polygon;
  q.instrument = "AAPL";
  q.event_time_ns = 0;
  q.payload = "oops";
  q.seen_at_ns = 1'000'000;
  EXPECT_EQ(copy_rows(std::vector<quarantine_record>{q}),
            "ohlc\thigh < low\tpolygon\tAAPL\t1970-01-01T00:00:00Z\t0\t"
            "\"oops\"\t1970-01-01T00:00:00.001Z\n");
}
