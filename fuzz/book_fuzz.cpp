// Fuzzes the order-book parsers and the book they feed: Binance spot and
// USD-M futures depth snapshots and diffs (adapters/binance/binance_depth,
// binance_futures_depth), Kraken v1 book frames (adapters/kraken/
// kraken_book), then book::l2_book, book::book_sync and the checksum.
// Input: byte 0 picks the mode (mod 8), the rest is the text:
//   0 spot snapshot, 1 spot diff, 2 futures snapshot, 3 futures diff,
//   4 Kraken frame (each parsed, then applied to a small book);
//   5 spot, 6 futures, 7 Kraken: lines, the first a snapshot, the rest
//   diffs (half fed before the snapshot, half after; then the snapshot
//   again).
// Seeds: scripts/fuzz.sh make_book_seeds (the depth and book fixtures of
// tests/fixtures/{binance,kraken}) plus fuzz/seeds/book/.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/binance/binance_depth.hpp"
#include "adapters/binance/binance_futures_depth.hpp"
#include "adapters/kraken/kraken_book.hpp"
#include "fuzz/fuzz_support.hpp"
#include "pipeline/book/book_checksum.hpp"
#include "pipeline/book/book_sync.hpp"

namespace {

using namespace tickflow;

// Sorted strictly (bids descending, asks ascending), positive prices and
// sizes, normalized decimals, within the depth bound.
void check_book(const book::l2_book& b) {
  for (auto s : {book::side::bid, book::side::ask}) {
    TICKFLOW_FUZZ_CHECK(b.depth(s) <= b.max_depth());
    for (size_t i = 0; i < b.depth(s); ++i) {
      const auto& l = b.at(s, i);
      fuzz::check_decimal(l.price);
      fuzz::check_decimal(l.size);
      TICKFLOW_FUZZ_CHECK(l.price.is_positive());
      TICKFLOW_FUZZ_CHECK(l.size.is_positive());
      if (i > 0) {
        const auto& prev = b.at(s, i - 1);
        TICKFLOW_FUZZ_CHECK(s == book::side::bid ? prev.price > l.price
                                                 : prev.price < l.price);
      }
    }
  }
}

void check_sync(const book::book_sync& s, const book::sync_outcome& o) {
  check_book(s.book());
  if (s.synced())
    TICKFLOW_FUZZ_CHECK(!s.book().crossed());
  TICKFLOW_FUZZ_CHECK(s.buffered() <= s.settings().max_buffered);
  (void) o;
}

void apply_delta(const book::book_delta& d, book::l2_book& b) {
  for (const auto& l : d.bids)
    b.apply(book::side::bid, l.price, l.size);
  for (const auto& l : d.asks)
    b.apply(book::side::ask, l.price, l.size);
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty() && out.size() < 64) {
    auto end = text.find('\n');
    out.push_back(text.substr(0, end));
    if (end == std::string_view::npos)
      break;
    text.remove_prefix(end + 1);
  }
  return out;
}

void binance_sequence(const std::vector<std::string_view>& lines,
                      bool futures) {
  if (lines.empty())
    return;
  auto snap = futures ? binance::parse_futures_depth_snapshot(lines[0])
                      : binance::parse_depth_snapshot(lines[0]);
  if (!snap)
    return;
  book::sync_settings st;
  st.rule = futures ? book::continuity_rule::previous_id
                    : book::continuity_rule::consecutive_ids;
  st.max_depth = 50;
  st.max_buffered = 8;
  book::book_sync s{st};
  size_t half = 1 + (lines.size() - 1) / 2;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (i == half)
      check_sync(s, s.on_snapshot(*snap));
    auto u = futures ? binance::parse_futures_depth_update(lines[i])
                     : binance::parse_depth_update(lines[i]);
    if (u)
      check_sync(s, s.on_delta(u->delta));
  }
  check_sync(s, s.on_snapshot(*snap));
}

void kraken_sequence(const std::vector<std::string_view>& lines) {
  if (lines.empty())
    return;
  auto snap = kraken::parse_book_frame(lines[0]);
  if (!snap || !snap->snapshot)
    return;
  book::l2_book b{10};
  kraken::apply_book_frame(*snap, b);
  auto format = kraken::checksum_format_of(*snap);
  for (size_t i = 1; i < lines.size(); ++i) {
    auto f = kraken::parse_book_frame(lines[i]);
    if (!f)
      continue;
    kraken::apply_book_frame(*f, b);
    check_book(b);
    if (f->checksum)
      (void) book::verify_checksum(b, format, *f->checksum);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1)
    return 0;
  auto text = fuzz::as_text(data + 1, size - 1);
  book::l2_book b{20};
  switch (data[0] % 8) {
    case 0:
    case 2: {
      auto s = data[0] % 8 == 0 ? binance::parse_depth_snapshot(text)
                                : binance::parse_futures_depth_snapshot(text);
      if (s) {
        b.apply_snapshot(s->bids, s->asks, s->last_update_id,
                         s->ts_event_ns);
        check_book(b);
      }
      break;
    }
    case 1:
    case 3: {
      auto u = data[0] % 8 == 1 ? binance::parse_depth_update(text)
                                : binance::parse_futures_depth_update(text);
      if (u) {
        TICKFLOW_FUZZ_CHECK(u->delta.first_update_id
                            <= u->delta.last_update_id);
        apply_delta(u->delta, b);
        check_book(b);
      }
      break;
    }
    case 4: {
      auto f = kraken::parse_book_frame(text);
      if (f) {
        kraken::apply_book_frame(*f, b);
        check_book(b);
        std::string digits;
        (void) book::checksum_text(b, kraken::checksum_format_of(*f), digits);
      }
      break;
    }
    case 5:
    case 6:
      binance_sequence(lines_of(text), data[0] % 8 == 6);
      break;
    default:
      kraken_sequence(lines_of(text));
      break;
  }
  return 0;
}
