#include "adapters/journal/batch_codec.hpp"

#include <cstdint>
#include <limits>

namespace tickflow::journal {

namespace {

// Version 2 adds feed statuses (so a node's statuses of a Redis outage reach
// the other nodes after it); version 1 records (no statuses) still decode.
constexpr char magic[4] = {'T', 'F', 'B', 0x02};
constexpr char version_1 = 0x01;

// Smallest encoding of each record (empty strings), to bound counts.
constexpr size_t min_trade = 4 + 4 + 1 + 9 + 9 + 1 + 4 + 8 + 8 + 4;
constexpr size_t min_quote = 4 + 4 + 1 + 4 * 9 + 8 + 8 + 4;
constexpr size_t min_bar = 4 + 4 + 1 + 1 + 8 + 5 * 9 + 8 + 1 + 8 + 4;
constexpr size_t min_status = 1 + 4 + 1 + 8 + 8 + 4 + 8;

// -- writing ------------------------------------------------------------------

void put_u8(std::string& out, uint8_t v) {
  out.push_back(static_cast<char>(v));
}

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_i64(std::string& out, int64_t v) {
  put_u64(out, static_cast<uint64_t>(v));
}

void put_str(std::string& out, const std::string& s) {
  put_u32(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

void put_dec(std::string& out, decimal d) {
  put_i64(out, d.mantissa);
  put_u8(out, d.scale);
}

// -- reading ------------------------------------------------------------------

// Reads fields in order; remembers the first failure.
class reader {
 public:
  explicit reader(std::string_view in) : in_(in) {}

  bool ok() const noexcept { return err_.empty(); }
  size_t remaining() const noexcept { return in_.size() - pos_; }
  const std::string& failure() const noexcept { return err_; }

  void fail(const char* what) {
    if (err_.empty()) {
      err_ = what;
      err_.append(" at offset ");
      err_.append(std::to_string(pos_));
    }
  }

  uint8_t u8(const char* what) {
    if (!need(1, what))
      return 0;
    return static_cast<uint8_t>(in_[pos_++]);
  }

  uint32_t u32(const char* what) {
    if (!need(4, what))
      return 0;
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i)
      v = (v << 8) | static_cast<unsigned char>(in_[pos_ + i]);
    pos_ += 4;
    return v;
  }

  uint64_t u64(const char* what) {
    if (!need(8, what))
      return 0;
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
      v = (v << 8) | static_cast<unsigned char>(in_[pos_ + i]);
    pos_ += 8;
    return v;
  }

  int64_t i64(const char* what) { return static_cast<int64_t>(u64(what)); }

  std::string str(const char* what) {
    auto n = u32(what);
    if (!need(n, what))
      return {};
    std::string out{in_.substr(pos_, n)};
    pos_ += n;
    return out;
  }

  decimal dec(const char* what) {
    decimal d;
    d.mantissa = i64(what);
    d.scale = u8(what);
    if (d.scale > decimal::max_scale)
      fail(what);
    return d;
  }

  provider source() {
    auto p = static_cast<provider>(u8("provider"));
    auto back = provider_from_string(to_string(p));
    if (!back || *back != p)
      fail("provider");
    return p;
  }

  side aggressor() {
    auto v = u8("side");
    if (v > static_cast<uint8_t>(side::sell))
      fail("side");
    return static_cast<side>(v);
  }

  feed_state state() {
    auto v = u8("status state");
    if (v > static_cast<uint8_t>(feed_state::backfilled))
      fail("status state");
    return static_cast<feed_state>(v);
  }

  interval span() {
    auto iv = static_cast<interval>(u8("interval"));
    auto back = parse_interval(to_string(iv));
    if (!back || *back != iv)
      fail("interval");
    return iv;
  }

  bool boolean(const char* what) {
    auto v = u8(what);
    if (v > 1)
      fail(what);
    return v == 1;
  }

 private:
  bool need(size_t n, const char* what) {
    if (!ok())
      return false;
    if (remaining() < n) {
      fail(what);
      return false;
    }
    return true;
  }

  std::string_view in_;
  size_t pos_ = 0;
  std::string err_;
};

} // namespace

void append_batch(std::string& out, const event_batch& batch) {
  out.append(magic, sizeof magic);
  put_u32(out, static_cast<uint32_t>(batch.trades.size()));
  put_u32(out, static_cast<uint32_t>(batch.quotes.size()));
  put_u32(out, static_cast<uint32_t>(batch.bars.size()));
  put_u32(out, static_cast<uint32_t>(batch.statuses.size()));
  for (auto& x : batch.trades) {
    put_str(out, x.instrument);
    put_str(out, x.provider_symbol);
    put_u8(out, static_cast<uint8_t>(x.source));
    put_dec(out, x.price);
    put_dec(out, x.size);
    put_u8(out, static_cast<uint8_t>(x.aggressor));
    put_str(out, x.trade_id);
    put_i64(out, x.ts_event_ns);
    put_i64(out, x.ts_recv_ns);
    put_u32(out, x.flags);
  }
  for (auto& x : batch.quotes) {
    put_str(out, x.instrument);
    put_str(out, x.provider_symbol);
    put_u8(out, static_cast<uint8_t>(x.source));
    put_dec(out, x.bid_price);
    put_dec(out, x.bid_size);
    put_dec(out, x.ask_price);
    put_dec(out, x.ask_size);
    put_i64(out, x.ts_event_ns);
    put_i64(out, x.ts_recv_ns);
    put_u32(out, x.flags);
  }
  for (auto& x : batch.bars) {
    put_str(out, x.instrument);
    put_str(out, x.provider_symbol);
    put_u8(out, static_cast<uint8_t>(x.source));
    put_u8(out, static_cast<uint8_t>(x.span));
    put_i64(out, x.open_time_ns);
    put_dec(out, x.open);
    put_dec(out, x.high);
    put_dec(out, x.low);
    put_dec(out, x.close);
    put_dec(out, x.volume);
    put_u64(out, x.trade_count);
    put_u8(out, x.closed ? 1 : 0);
    put_i64(out, x.ts_recv_ns);
    put_u32(out, x.flags);
  }
  for (auto& x : batch.statuses) {
    put_u8(out, static_cast<uint8_t>(x.source));
    put_str(out, x.connection);
    put_u8(out, static_cast<uint8_t>(x.state));
    put_i64(out, x.gap_start_ns);
    put_i64(out, x.gap_end_ns);
    put_str(out, x.reason);
    put_i64(out, x.ts_ns);
  }
}

std::string encode_batch(const event_batch& batch) {
  std::string out;
  out.reserve(20 + batch.trades.size() * 96 + batch.quotes.size() * 96
              + batch.bars.size() * 128);
  append_batch(out, batch);
  return out;
}

result<event_batch> decode_batch(std::string_view bytes) {
  if (bytes.size() < sizeof magic
      || bytes.substr(0, 3) != std::string_view{magic, 3})
    return {errc::malformed, "batch: bad magic"};
  bool v1 = bytes[3] == version_1;
  if (bytes[3] != magic[3] && !v1)
    return {errc::malformed,
            "batch: unknown format version "
              + std::to_string(static_cast<unsigned char>(bytes[3]))};
  reader in{bytes.substr(sizeof magic)};
  auto trades = in.u32("trade count");
  auto quotes = in.u32("quote count");
  auto bars = in.u32("bar count");
  uint32_t statuses = v1 ? 0 : in.u32("status count");
  if (!in.ok())
    return {errc::malformed, "batch: " + in.failure()};
  // Counts the input cannot hold are lies: refuse before allocating.
  uint64_t least = uint64_t{trades} * min_trade + uint64_t{quotes} * min_quote
                   + uint64_t{bars} * min_bar + uint64_t{statuses} * min_status;
  if (least > in.remaining())
    return {errc::malformed, "batch: counts exceed the input size"};
  event_batch out;
  out.trades.reserve(trades);
  out.quotes.reserve(quotes);
  out.bars.reserve(bars);
  out.statuses.reserve(statuses);
  for (uint32_t i = 0; i < trades && in.ok(); ++i) {
    trade x;
    x.instrument = in.str("trade instrument");
    x.provider_symbol = in.str("trade provider_symbol");
    x.source = in.source();
    x.price = in.dec("trade price");
    x.size = in.dec("trade size");
    x.aggressor = in.aggressor();
    x.trade_id = in.str("trade id");
    x.ts_event_ns = in.i64("trade ts_event_ns");
    x.ts_recv_ns = in.i64("trade ts_recv_ns");
    x.flags = in.u32("trade flags");
    out.trades.push_back(std::move(x));
  }
  for (uint32_t i = 0; i < quotes && in.ok(); ++i) {
    quote x;
    x.instrument = in.str("quote instrument");
    x.provider_symbol = in.str("quote provider_symbol");
    x.source = in.source();
    x.bid_price = in.dec("quote bid_price");
    x.bid_size = in.dec("quote bid_size");
    x.ask_price = in.dec("quote ask_price");
    x.ask_size = in.dec("quote ask_size");
    x.ts_event_ns = in.i64("quote ts_event_ns");
    x.ts_recv_ns = in.i64("quote ts_recv_ns");
    x.flags = in.u32("quote flags");
    out.quotes.push_back(std::move(x));
  }
  for (uint32_t i = 0; i < bars && in.ok(); ++i) {
    bar x;
    x.instrument = in.str("bar instrument");
    x.provider_symbol = in.str("bar provider_symbol");
    x.source = in.source();
    x.span = in.span();
    x.open_time_ns = in.i64("bar open_time_ns");
    x.open = in.dec("bar open");
    x.high = in.dec("bar high");
    x.low = in.dec("bar low");
    x.close = in.dec("bar close");
    x.volume = in.dec("bar volume");
    x.trade_count = in.u64("bar trade_count");
    x.closed = in.boolean("bar closed");
    x.ts_recv_ns = in.i64("bar ts_recv_ns");
    x.flags = in.u32("bar flags");
    out.bars.push_back(std::move(x));
  }
  for (uint32_t i = 0; i < statuses && in.ok(); ++i) {
    feed_status x;
    x.source = in.source();
    x.connection = in.str("status connection");
    x.state = in.state();
    x.gap_start_ns = in.i64("status gap_start_ns");
    x.gap_end_ns = in.i64("status gap_end_ns");
    x.reason = in.str("status reason");
    x.ts_ns = in.i64("status ts_ns");
    out.statuses.push_back(std::move(x));
  }
  if (!in.ok())
    return {errc::malformed, "batch: " + in.failure()};
  if (in.remaining() != 0)
    return {errc::malformed, "batch: " + std::to_string(in.remaining())
                               + " trailing bytes"};
  return out;
}

} // namespace tickflow::journal
