// Kraken v1 book frames on the recorded XBT/USD book-10 traffic: every
// update's CRC32 checksum matches the book built from the frames.

#include "adapters/kraken/kraken_book.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/book/book_checksum.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow::kraken {
namespace {

using test::dec;
using test::read_fixture;

std::vector<std::string> frames() {
  auto text = read_fixture("kraken/ws/v1_book-10_XBT-USD_2023-05-29.ndjson");
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos)
      end = text.size();
    if (end > start)
      out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

TEST(KrakenBook, SnapshotParses) {
  auto all = frames();
  ASSERT_EQ(all.size(), 111u);
  auto f = parse_book_frame(all[0]);
  ASSERT_TRUE(f) << f.err().message();
  EXPECT_TRUE(f->snapshot);
  EXPECT_EQ(f->channel_id, 336);
  EXPECT_EQ(f->channel, "book-10");
  EXPECT_EQ(f->pair, "XBT/USD");
  ASSERT_EQ(f->asks.size(), 10u);
  ASSERT_EQ(f->bids.size(), 10u);
  EXPECT_EQ(f->asks[0].price, dec("27918.6"));
  EXPECT_EQ(f->asks[0].volume, dec("0.10013466"));
  EXPECT_EQ(f->asks[0].ts_ns, 1685349920743439000);
  EXPECT_EQ(f->price_scale, 5);
  EXPECT_EQ(f->volume_scale, 8);
  EXPECT_FALSE(f->checksum);
}

TEST(KrakenBook, EveryRecordedChecksumMatches) {
  auto all = frames();
  auto snap = parse_book_frame(all[0]);
  ASSERT_TRUE(snap);
  auto format = checksum_format_of(*snap, 10);
  book::l2_book b{10};
  apply_book_frame(*snap, b);
  size_t checked = 0, republished = 0;
  for (size_t i = 1; i < all.size(); ++i) {
    SCOPED_TRACE(i);
    auto f = parse_book_frame(all[i]);
    ASSERT_TRUE(f) << f.err().message();
    ASSERT_FALSE(f->snapshot);
    ASSERT_TRUE(f->checksum);
    for (const auto* side : {&f->asks, &f->bids})
      for (const auto& l : *side)
        republished += l.republish ? 1 : 0;
    apply_book_frame(*f, b);
    auto o = book::verify_checksum(b, format, *f->checksum);
    EXPECT_FALSE(o.resync_needed());
    checked += o.resync_needed() ? 0 : 1;
    EXPECT_FALSE(b.crossed());
  }
  EXPECT_EQ(checked, 110u);
  EXPECT_GT(republished, 0u); // the recording has "r" levels

  EXPECT_EQ(b.depth(book::side::ask), 10u);
  EXPECT_EQ(b.depth(book::side::bid), 10u);
}

TEST(KrakenBook, TamperedChecksumAsksForResync) {
  auto all = frames();
  book::l2_book b{10};
  auto snap = parse_book_frame(all[0]);
  ASSERT_TRUE(snap);
  apply_book_frame(*snap, b);
  auto f = parse_book_frame(all[1]);
  ASSERT_TRUE(f);
  apply_book_frame(*f, b);
  auto format = checksum_format_of(*snap);
  EXPECT_FALSE(book::verify_checksum(b, format, *f->checksum).resync_needed());
  auto o = book::verify_checksum(b, format, *f->checksum + 1);
  EXPECT_EQ(o.resync, book::resync_reason::checksum_mismatch);
  // A frame whose "c" text was changed parses and fails the same way.
  auto text = all[2];
  auto at = text.find("\"c\":\"");
  ASSERT_NE(at, std::string::npos);
  text[at + 5] = text[at + 5] == '1' ? '2' : '1';
  auto g = parse_book_frame(text);
  ASSERT_TRUE(g);
  apply_book_frame(*g, b);
  EXPECT_EQ(book::verify_checksum(b, format, *g->checksum).resync,
            book::resync_reason::checksum_mismatch);
}

// The payload object of a one-object recorded frame:
// [336,{...},"book-10","XBT/USD"] -> {...}.
std::string payload_of(const std::string& frame) {
  auto start = frame.find('{');
  auto end = frame.rfind(",\"book-10\"");
  return frame.substr(start, end - start);
}

TEST(KrakenBook, AsksAndBidsInTwoObjects) {
  // The recording sends "a" and "b" in separate frames; Kraken may also
  // send them as two objects of one frame. Join two consecutive recorded
  // frames (an asks-only one, its "c" dropped, then a bids-only one) into
  // that shape: the book and the second checksum must come out the same.
  auto all = frames();
  auto snap = parse_book_frame(all[0]);
  ASSERT_TRUE(snap);
  auto format = checksum_format_of(*snap);
  book::l2_book one_by_one{10};
  apply_book_frame(*snap, one_by_one);
  size_t joined = 0;
  for (size_t i = 1; i + 1 < all.size(); ++i) {
    auto first = payload_of(all[i]);
    auto second = payload_of(all[i + 1]);
    bool asks_then_bids = first.rfind("{\"a\":", 0) == 0
                          && second.rfind("{\"b\":", 0) == 0;
    auto f = parse_book_frame(all[i]);
    ASSERT_TRUE(f);
    if (!asks_then_bids) {
      apply_book_frame(*f, one_by_one);
      continue;
    }
    book::l2_book split = one_by_one;
    auto c = first.rfind(",\"c\":");
    auto text = "[336," + first.substr(0, c) + "}," + second
                + ",\"book-10\",\"XBT/USD\"]";
    auto g = parse_book_frame(text);
    ASSERT_TRUE(g) << g.err().message();
    EXPECT_FALSE(g->asks.empty());
    EXPECT_FALSE(g->bids.empty());
    apply_book_frame(*g, split);
    EXPECT_FALSE(book::verify_checksum(split, format, *g->checksum)
                   .resync_needed())
      << text;
    apply_book_frame(*f, one_by_one);
    ++joined;
  }
  EXPECT_GT(joined, 0u);
}

struct bad_case {
  const char* name;
  const char* text;
  errc code;
  const char* context_start;
};

TEST(KrakenBook, MalformedFrames) {
  const bad_case cases[] = {
    {"not JSON", "[", errc::malformed, "not JSON"},
    {"heartbeat", R"({"event":"heartbeat"})", errc::malformed,
     "not a book frame"},
    {"short", R"([1,{},"book-10"])", errc::malformed, "not a book frame"},
    {"id string", R"(["1",{},"book-10","XBT/USD"])", errc::malformed,
     "not a book frame"},
    {"other channel", R"([1,{},"trade","XBT/USD"])", errc::malformed,
     "channel"},
    {"payload array", R"([1,[],"book-10","XBT/USD"])", errc::malformed,
     "book payload"},
    {"level short", R"([1,{"a":[["1","2"]],"c":"1"},"book-10","XBT/USD"])",
     errc::malformed, "a[0]"},
    {"bad flag",
     R"([1,{"a":[["1","2","3","x"]],"c":"1"},"book-10","XBT/USD"])",
     errc::malformed, "a[0][3]"},
    {"price number", R"([1,{"b":[[1,"2","3"]],"c":"1"},"book-10","XBT/USD"])",
     errc::bad_number, "b[0][0]"},
    {"negative volume",
     R"([1,{"b":[["1","-2","3"]],"c":"1"},"book-10","XBT/USD"])",
     errc::out_of_range, "b[0]"},
    {"negative time",
     R"([1,{"b":[["1","2","-3"]],"c":"1"},"book-10","XBT/USD"])",
     errc::out_of_range, "b[0][2]"},
    {"checksum text", R"([1,{"a":[],"c":"12a"},"book-10","XBT/USD"])",
     errc::bad_number, "c"},
    {"checksum number", R"([1,{"a":[],"c":12},"book-10","XBT/USD"])",
     errc::bad_number, "c"},
    {"checksum too big", R"([1,{"a":[],"c":"4294967296"},"book-10","XBT/USD"])",
     errc::out_of_range, "c"},
    {"snapshot with checksum",
     R"([1,{"as":[],"bs":[],"c":"1"},"book-10","XBT/USD"])", errc::malformed,
     "a snapshot"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto f = parse_book_frame(c.text);
    ASSERT_FALSE(f);
    EXPECT_EQ(f.err().code, c.code) << f.err().message();
    EXPECT_EQ(f.err().context.rfind(c.context_start, 0), 0u)
      << f.err().context;
  }
}

TEST(KrakenBook, TooManyLevelsAreRefused) {
  std::string text = R"([1,{"a":[)";
  for (size_t i = 0; i <= max_book_levels; ++i)
    text += std::string{i ? "," : ""} + R"(["1","1","1"])";
  text += R"(],"c":"1"},"book-10","XBT/USD"])";
  auto f = parse_book_frame(text);
  ASSERT_FALSE(f);
  EXPECT_EQ(f.err().code, errc::out_of_range);
}

} // namespace
} // namespace tickflow::kraken
