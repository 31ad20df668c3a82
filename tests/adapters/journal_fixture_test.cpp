// A journal written before the provider registry (issue 19) replays after
// it: tests/fixtures/journal/providers-v1 (see its MANIFEST) holds events of
// every provider id, stored as one byte each; the current code must read the
// same providers back, by id and by name.

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "adapters/journal/batch_codec.hpp"
#include "adapters/journal/journal.hpp"

namespace tickflow {
namespace {

namespace fs = std::filesystem;

// The ids journals, Redis and capture files store: they never change.
const std::vector<std::string> names_by_id{
  "simulator", "replay",        "binance", "polygon", "coingecko",       "coinmarketcap",
  "alpha_vantage", "eodhd", "finnhub", "yahoo",   "massive_futures", "newsapi"};

std::vector<event_batch> replay_fixture() {
  auto src = fs::path{TICKFLOW_SOURCE_DIR} / "tests/fixtures/journal/providers-v1";
  auto dir = fs::temp_directory_path()
             / ("tickflow-journal-fixture-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (auto& f : fs::directory_iterator(src))
    fs::copy_file(f.path(), dir / f.path().filename());
  std::vector<event_batch> out;
  {
    journal::journal_options opts;
    opts.dir = dir.string();
    opts.sync = journal::fsync_policy::never;
    auto jr = journal::disk_journal::open(opts);
    EXPECT_TRUE(jr) << jr.err().context;
    if (jr) {
      auto n = jr->replay([&](uint64_t, std::string_view payload) {
        auto b = journal::decode_batch(payload);
        EXPECT_TRUE(b) << b.err().context;
        if (b)
          out.push_back(std::move(*b));
        return true;
      });
      EXPECT_TRUE(n);
    }
  }
  fs::remove_all(dir);
  return out;
}

TEST(JournalFixture, ProvidersWrittenBeforeTheRegistryReadBack) {
  auto batches = replay_fixture();
  ASSERT_EQ(batches.size(), 3u);
  auto& all = batches[0].trades;
  ASSERT_EQ(all.size(), names_by_id.size());
  for (size_t i = 0; i < all.size(); ++i) {
    SCOPED_TRACE(names_by_id[i]);
    EXPECT_EQ(static_cast<size_t>(all[i].source), i);
    EXPECT_EQ(to_string(all[i].source), names_by_id[i]);
    EXPECT_EQ(provider_from_string(names_by_id[i]), all[i].source);
    EXPECT_EQ(all[i].trade_id, names_by_id[i] + "-" + std::to_string(i));
    EXPECT_EQ(all[i].provider_symbol, names_by_id[i] + ":BTC");
  }
  auto& mixed = batches[1];
  ASSERT_EQ(mixed.quotes.size(), 3u);
  ASSERT_EQ(mixed.bars.size(), 7u);
  for (auto& q : mixed.quotes)
    EXPECT_EQ(q.provider_symbol, std::string{to_string(q.source)} + ":Q");
  for (auto& b : mixed.bars)
    EXPECT_EQ(b.provider_symbol, std::string{to_string(b.source)} + ":B");
  EXPECT_EQ(to_string(mixed.quotes[0].source), "binance");
  EXPECT_EQ(to_string(mixed.quotes[2].source), "finnhub");
  EXPECT_EQ(to_string(mixed.bars[0].source), "simulator");
  EXPECT_EQ(to_string(mixed.bars[6].source), "coinmarketcap");
  auto& tail = batches[2].trades;
  ASSERT_EQ(tail.size(), 2u);
  EXPECT_EQ(to_string(tail[0].source), "newsapi");
  EXPECT_EQ(tail[0].trade_id, "newsapi-100");
  EXPECT_EQ(to_string(tail[1].source), "replay");
  EXPECT_EQ(tail[1].trade_id, "replay-101");
}

} // namespace
} // namespace tickflow
