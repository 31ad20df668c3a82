// The tour of bad input, storage side: what the Redis and PostgreSQL
// adapters build when an injection-like string gets that far. (The REST and
// WebSocket tours show that such symbols never pass the API's validation;
// these check the layer below on its own, as a second line.) Redis commands
// are argument vectors, so a key is one binary-safe argument whatever it
// holds; SQL reads are parameterized; COPY rows escape every field.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/postgres/pg_copy.hpp"
#include "adapters/postgres/pg_schema.hpp"
#include "adapters/redis/redis_schema.hpp"

namespace {

using namespace tickflow;

const std::vector<std::string> nasty = {
  "' OR 1=1 --",
  "BTC'; DROP TABLE bars; --",
  "x\t1\t2\n3",
  "back\\slash\\.",
  "\\.\n",
  "$(rm -rf /)",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "BTC-USDT\r\nSET owned 1\r\n",
  "*",
  std::string{"NUL\0byte", 8},
  "\xff\xfe not UTF-8",
  std::string(10000, 'A'),
};

/// Rows of COPY text format: fields split on tabs, escapes undone.
std::vector<std::vector<std::string>> decode_copy(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      char e = text[++i];
      switch (e) {
        case 'n': field += '\n'; break;
        case 'r': field += '\r'; break;
        case 't': field += '\t'; break;
        case 'b': field += '\b'; break;
        case 'f': field += '\f'; break;
        case 'v': field += '\v'; break;
        default: field += e;
      }
    } else if (c == '\t') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field += c;
    }
  }
  EXPECT_TRUE(field.empty() && row.empty()) << "COPY text must end with a newline";
  return rows;
}

} // namespace

TEST(StorageInjection, RedisRefusesNonCanonicalInstrumentsOnTheWritePath) {
  redis::cache_settings s;
  std::vector<redis::cache_entry> entries;
  for (auto& x : nasty)
    entries.push_back({redis::entry_kind::price, x, interval::m1, 1, "{\"p\":1}"});
  auto batch = redis::build_commands(entries, s);
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->skipped, nasty.size());
  EXPECT_EQ(batch->entries, 0u);
  for (auto& cmd : batch->commands)
    for (auto& arg : cmd)
      for (auto& x : nasty)
        EXPECT_EQ(arg.find(x), std::string::npos) << arg;
}

TEST(StorageInjection, RedisKeysAreOneArgumentWhateverTheyHold) {
  redis::cache_settings s;
  for (auto& x : nasty) {
    auto get = redis::get_price_command(s, x);
    ASSERT_EQ(get.size(), 2u);
    EXPECT_EQ(get[0], "GET");
    EXPECT_EQ(get[1], "tickflow:price:" + x); // verbatim, in its own argument
    auto bars = redis::recent_bars_command(s, interval::m1, x, 10);
    ASSERT_FALSE(bars.empty());
    EXPECT_EQ(bars[1], "tickflow:bars:1m:" + x);
  }
}

TEST(StorageInjection, SqlReadsTakeTheInstrumentAsAParameter) {
  for (auto sql : {std::string{pg::read_bars_sql()}, std::string{pg::read_trades_sql()},
                   pg::count_sql(pg::table::bars)}) {
    EXPECT_NE(sql.find("$1"), std::string::npos) << sql;
    // The statement is fixed text: no quote-delimited value is spliced in.
    EXPECT_EQ(sql.find("'%"), std::string::npos) << sql;
  }
}

TEST(StorageInjection, CopyRowsKeepEveryFieldInItsColumn) {
  std::vector<pg::quarantine_record> q;
  std::vector<trade> trades;
  for (auto& x : nasty) {
    pg::quarantine_record r;
    r.rule = x;
    r.reason = x;
    r.instrument = x;
    r.payload = x;
    r.event_time_ns = 1'700'000'000'000'000'000;
    r.seen_at_ns = r.event_time_ns;
    q.push_back(r);
    trade t;
    t.instrument = x;
    t.provider_symbol = x;
    t.trade_id = x;
    t.price = *decimal::parse("1.5");
    t.size = *decimal::parse("2");
    t.ts_event_ns = r.event_time_ns;
    trades.push_back(t);
  }
  auto qrows = decode_copy(pg::copy_rows(q));
  ASSERT_EQ(qrows.size(), nasty.size());
  for (size_t i = 0; i < qrows.size(); ++i) {
    ASSERT_EQ(qrows[i].size(), 8u) << i; // the quarantine staging columns
    auto clean = pg::sanitize_text(nasty[i]);
    EXPECT_EQ(qrows[i][0], clean);
    EXPECT_EQ(qrows[i][1], clean);
    EXPECT_EQ(qrows[i][3], clean);
  }
  auto trows = decode_copy(pg::copy_rows(trades));
  ASSERT_EQ(trows.size(), nasty.size());
  for (size_t i = 0; i < trows.size(); ++i) {
    ASSERT_EQ(trows[i].size(), 11u) << i; // the trades columns
    auto clean = pg::sanitize_text(nasty[i]);
    EXPECT_EQ(trows[i][1], clean);
    EXPECT_EQ(trows[i][2], clean);
    EXPECT_EQ(trows[i][8], clean);
  }
}
