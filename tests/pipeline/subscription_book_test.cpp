// The subscription book (pipeline/broadcast) without sockets: a fake server
// that records every frame and reports unsent bytes as the test says, and a
// renderer that writes short text instead of JSON. Time is a parameter.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/broadcast/subscription_book.hpp"

using namespace tickflow;
using namespace tickflow::broadcast;

namespace {

/// A shared frame: copies share one buffer, as the server's prepared frames.
struct fake_frame {
  fake_frame() = default;
  explicit fake_frame(std::string text)
    : text(std::make_shared<const std::string>(std::move(text))) {}
  size_t size() const noexcept { return text ? text->size() : 0; }
  std::shared_ptr<const std::string> text;
};

/// The server: a client reads everything at once unless it is stalled.
struct fake_server {
  using client = uint64_t;
  using frame = fake_frame;

  std::map<uint64_t, std::vector<fake_frame>> sent;
  std::map<uint64_t, size_t> held; ///< unsent bytes of stalled clients
  std::set<uint64_t> stalled;
  std::set<uint64_t> gone;
  std::vector<std::tuple<uint64_t, uint16_t, std::string>> closed;

  std::optional<size_t> enqueue(uint64_t c, const fake_frame& f) {
    if (gone.count(c) > 0)
      return std::nullopt;
    sent[c].push_back(f);
    if (stalled.count(c) == 0)
      return size_t{0};
    return held[c] += f.size();
  }
  size_t buffered_bytes(uint64_t c) { return stalled.count(c) ? held[c] : 0; }
  void close(uint64_t c, uint16_t code, const std::string& reason) {
    closed.emplace_back(c, code, reason);
  }

  /// The texts sent to `c`, in order.
  std::vector<std::string> texts(uint64_t c) {
    std::vector<std::string> out;
    for (auto& f : sent[c])
      out.push_back(*f.text);
    return out;
  }
  /// Forgets what was sent so far.
  void clear() { sent.clear(); }
};

/// Short, readable messages instead of JSON.
struct text_renderer : frame_renderer {
  std::string event(const trade& x) const override { return "trade " + x.instrument + " " + x.trade_id; }
  std::string event(const quote& x) const override { return "quote " + x.instrument; }
  std::string event(const bar& x) const override {
    return "bar " + channel_of(x) + " " + std::to_string(x.open_time_ns / 1'000'000'000)
           + (x.closed ? " closed" : " open") + " " + std::to_string(x.trade_count);
  }
  std::string event(const feed_status& x) const override {
    return "status " + x.connection + " " + std::string{to_string(x.state)};
  }
  std::string indicator(std::string_view channel, indicators::indicator_kind,
                        const indicators::point& p) const override {
    return "indicator " + std::string{channel} + " " + std::to_string(p.t_ns / 1'000'000'000);
  }
  std::string price_snapshot(std::string_view channel, const price* last) const override {
    return "snapshot " + std::string{channel} + " " + (last ? last->trade_id : "null");
  }
  std::string bars_snapshot(std::string_view channel,
                            const std::vector<bar>& bars) const override {
    return "snapshot " + std::string{channel} + " " + std::to_string(bars.size()) + " bars";
  }
  std::string status_snapshot(std::string_view channel,
                              const std::vector<feed_status>& last) const override {
    return "snapshot " + std::string{channel} + " " + std::to_string(last.size()) + " statuses";
  }
  std::string indicator_snapshot(std::string_view channel, indicators::indicator_kind,
                                 const std::optional<indicators::point>& last, size_t warmup,
                                 size_t bars) const override {
    return "snapshot " + std::string{channel} + (last ? " value" : " null") + " warmup "
           + std::to_string(warmup) + " bars " + std::to_string(bars);
  }
  std::string book_snapshot(std::string_view channel, const book::book_view& v,
                            size_t) const override {
    return "book_snapshot " + std::string{channel} + " " + std::to_string(v.update_id)
           + levels(v.bids, v.asks);
  }
  std::string book_delta(std::string_view channel, const book::book_view& v,
                         const std::vector<book_level>& bids,
                         const std::vector<book_level>& asks) const override {
    return "book " + std::string{channel} + " " + std::to_string(v.update_id)
           + levels(bids, asks);
  }
  std::string book_top(std::string_view channel, const book::book_view& v,
                       bool snapshot) const override {
    return (snapshot ? "top_snapshot " : "top ") + std::string{channel} + " "
           + std::to_string(v.update_id) + levels(v.bids, v.asks);
  }
  template <class Level>
  static std::string levels(const std::vector<Level>& bids, const std::vector<Level>& asks) {
    std::string out{" b"};
    for (auto& x : bids)
      out += " " + x.price.to_string() + "/" + x.size.to_string();
    out += " a";
    for (auto& x : asks)
      out += " " + x.price.to_string() + "/" + x.size.to_string();
    return out;
  }
  std::string hello() const override { return "hello"; }
  std::string heartbeat(int64_t now_ns) const override {
    return "heartbeat " + std::to_string(now_ns);
  }
  std::string conflation(bool active, uint64_t dropped) const override {
    return active ? "conflation on" : "conflation off " + std::to_string(dropped);
  }
  std::string subscribed(const std::vector<std::string>& xs) const override {
    return "subscribed " + join(xs);
  }
  std::string unsubscribed(const std::vector<std::string>& xs) const override {
    return "unsubscribed " + join(xs);
  }
  std::string pong() const override { return "pong"; }
  std::string gap(std::string_view channel, std::string_view) const override {
    return "gap " + std::string{channel};
  }
  std::string error(std::string_view code, std::string_view,
                    std::string_view channel) const override {
    return "error " + std::string{code} + (channel.empty() ? "" : " " + std::string{channel});
  }

  static std::string join(const std::vector<std::string>& xs) {
    std::string out;
    for (auto& x : xs)
      out += (out.empty() ? "" : ",") + x;
    return out;
  }
};

trade make_trade(const std::string& instrument, int id) {
  trade t;
  t.instrument = instrument;
  t.trade_id = std::to_string(id);
  t.price = decimal::from_parts(100 + id, 0);
  return t;
}

bar make_bar(const std::string& instrument, int64_t open_s, bool closed, uint64_t n = 1) {
  bar b;
  b.instrument = instrument;
  b.span = interval::m1;
  b.open_time_ns = open_s * 1'000'000'000;
  b.open = b.high = b.low = b.close = decimal::from_parts(100 + open_s % 7, 0);
  b.volume = decimal::from_parts(1, 0);
  b.trade_count = n;
  b.closed = closed;
  return b;
}

event_batch trades(const std::string& instrument, int from, int to) {
  event_batch b;
  for (int i = from; i <= to; ++i)
    b.trades.push_back(make_trade(instrument, i));
  return b;
}

client_command sub(std::vector<std::string> channels) {
  return client_command{client_command::op_kind::subscribe, std::move(channels)};
}

client_command resync(std::vector<std::string> channels) {
  return client_command{client_command::op_kind::resync, std::move(channels)};
}

/// Objects as JSON ends them: the book appends ,"seq":N before the '}'.
struct braced_renderer final : text_renderer {
  std::string event(const trade& x) const override {
    return "{" + text_renderer::event(x) + "}";
  }
  std::string price_snapshot(std::string_view channel, const price* last) const override {
    return "{" + text_renderer::price_snapshot(channel, last) + "}";
  }
  std::string event(const feed_status& x) const override {
    return "{" + text_renderer::event(x) + "}";
  }
};

client_command unsub(std::vector<std::string> channels) {
  return client_command{client_command::op_kind::unsubscribe, std::move(channels)};
}

struct BookTest : ::testing::Test {
  fake_server io;
  text_renderer render;
  book_settings settings = [] {
    book_settings s;
    s.has_cache = false;
    s.limits.conflate_bytes = 100;
    s.limits.close_bytes = 1000;
    s.max_queued_bytes = 1 << 20;
    s.max_channels_per_client = 3;
    return s;
  }();
  std::optional<subscription_book<fake_server>> book;

  void make(std::vector<std::string> known = {"BTC-USDT", "ETH-USDT"}) {
    book.emplace(settings, io, render, known);
  }
  void connect(uint64_t id) {
    book->open(id, id);
  }
};

} // namespace

// -- commands ------------------------------------------------------------------------

TEST_F(BookTest, HelloThenAnswersToEveryKindOfCommand) {
  make();
  connect(1);
  book->command(1, sub({"trades:BTC-USDT"}));
  book->command(1, client_command{client_command::op_kind::ping, {}});
  book->command(1, error{errc::malformed, "not JSON"});
  book->command(1, error{errc::invalid_argument, "unknown op: x"});
  book->command(1, sub({"trades:btc$", "trades:NOPE-USD", "status:*", "quotes:ETH-USDT",
                        "bars:1m:ETH-USDT"}));
  book->command(1, unsub({"trades:BTC-USDT", "quotes:AAPL"}));
  EXPECT_EQ(io.texts(1), (std::vector<std::string>{
                           "hello",
                           "subscribed trades:BTC-USDT",
                           "snapshot trades:BTC-USDT null",
                           "pong",
                           "error malformed",
                           "error unknown_op",
                           "error invalid_channel trades:btc$",
                           "error unknown_channel trades:NOPE-USD",
                           "error too_many_channels bars:1m:ETH-USDT",
                           "subscribed status:*,quotes:ETH-USDT",
                           "snapshot status:* 0 statuses",
                           "snapshot quotes:ETH-USDT null",
                           "unsubscribed trades:BTC-USDT,quotes:AAPL",
                         }));
  auto s = book->stats();
  EXPECT_EQ(s.bad_commands, 5u);
  EXPECT_EQ(s.snapshots, 3u);
  EXPECT_EQ(s.clients, 1u);
  EXPECT_EQ(s.frames_sent, 13u);
}

TEST_F(BookTest, SubscribingTwiceChangesNothing) {
  make();
  connect(1);
  book->command(1, sub({"trades:BTC-USDT"}));
  book->command(1, sub({"trades:BTC-USDT"}));
  book->events(trades("BTC-USDT", 1, 1));
  EXPECT_EQ(io.texts(1), (std::vector<std::string>{"hello", "subscribed trades:BTC-USDT",
                                                   "snapshot trades:BTC-USDT null",
                                                   "subscribed trades:BTC-USDT",
                                                   "trade BTC-USDT 1"}));
}

TEST_F(BookTest, InstrumentsSeenInEventsBecomeKnown) {
  make({});
  connect(1);
  book->command(1, sub({"trades:SOL-USDT"}));
  book->events(trades("SOL-USDT", 1, 1));
  book->command(1, sub({"trades:SOL-USDT"}));
  auto texts = io.texts(1);
  ASSERT_EQ(texts.size(), 4u);
  EXPECT_EQ(texts[1], "error unknown_channel trades:SOL-USDT");
  EXPECT_EQ(texts[2], "subscribed trades:SOL-USDT");
}

TEST_F(BookTest, AFloodOfNewInstrumentsForgetsTheOldestNobodyFollows) {
  settings.max_instruments = 100;
  make({"BTC-USDT"}); // configured: always kept
  connect(1);
  book->events(trades("SOL-USDT", 1, 1));
  book->command(1, sub({"trades:SOL-USDT"})); // followed: kept
  for (int i = 0; i < 1000; ++i)
    book->events(trades("X" + std::to_string(i) + "-USD", 1, 1));
  auto s = book->stats();
  EXPECT_LE(s.instruments, 100u);
  EXPECT_GE(s.instruments_evicted, 900u);
  EXPECT_EQ(s.instruments + s.instruments_evicted, 1002u);
  book->command(1, sub({"trades:BTC-USDT", "trades:X999-USD"}));
  book->command(1, sub({"trades:X0-USD"}));
  auto texts = io.texts(1);
  ASSERT_EQ(texts.size(), 7u);
  EXPECT_EQ(texts[3], "subscribed trades:BTC-USDT,trades:X999-USD");
  EXPECT_EQ(texts[6], "error unknown_channel trades:X0-USD");
}

// -- fan-out ---------------------------------------------------------------------------

TEST_F(BookTest, OneSharedFramePerEventForEverySubscriber) {
  make();
  for (uint64_t id : {1, 2, 3})
    connect(id);
  book->command(1, sub({"trades:BTC-USDT"}));
  book->command(2, sub({"trades:BTC-USDT"}));
  book->command(3, sub({"trades:ETH-USDT"}));
  io.clear();
  book->events(trades("BTC-USDT", 1, 2));
  ASSERT_EQ(io.sent[1].size(), 2u);
  ASSERT_EQ(io.sent[2].size(), 2u);
  EXPECT_EQ(io.sent[3].size(), 0u);
  // The same buffer, not a copy per client.
  EXPECT_EQ(io.sent[1][0].text.get(), io.sent[2][0].text.get());
  EXPECT_EQ(*io.sent[2][1].text, "trade BTC-USDT 2");
}

TEST_F(BookTest, UnsubscribedAndClosedClientsGetNothingMore) {
  make();
  connect(1);
  connect(2);
  book->command(1, sub({"trades:BTC-USDT"}));
  book->command(2, sub({"trades:BTC-USDT"}));
  book->command(1, unsub({"trades:BTC-USDT"}));
  book->close(2);
  io.clear();
  book->events(trades("BTC-USDT", 1, 3));
  EXPECT_TRUE(io.sent[1].empty());
  EXPECT_TRUE(io.sent[2].empty());
  EXPECT_EQ(book->stats().clients, 1u);
  auto fx = book->take_effects();
  ASSERT_EQ(fx.notices.size(), 3u);
  EXPECT_EQ(fx.notices[2].kind, client_notice::what::disconnected);
  EXPECT_EQ(fx.notices[2].client, 2u);
  EXPECT_EQ(fx.notices[2].clients, 1u);
}

TEST_F(BookTest, StatusesReachEachClientOnceAndFillSnapshots) {
  make();
  feed_status up;
  up.connection = "feed#0";
  up.state = feed_state::connected;
  event_batch b;
  b.statuses.push_back(up);
  book->events(b); // remembered though nobody listens
  auto own = "status:" + std::string{to_string(up.source)};
  connect(1);
  connect(2);
  book->command(1, sub({"status:*", own}));
  book->command(2, sub({"status:*"}));
  EXPECT_EQ(io.texts(1)[2], "snapshot status:* 1 statuses");
  io.clear();
  up.state = feed_state::disconnected;
  b.statuses = {up};
  book->events(b);
  EXPECT_EQ(io.texts(1), std::vector<std::string>{"status feed#0 disconnected"});
  EXPECT_EQ(io.texts(2), std::vector<std::string>{"status feed#0 disconnected"});
  EXPECT_EQ(book->stats().statuses, 2u);
}

// -- snapshots -------------------------------------------------------------------------

TEST_F(BookTest, LiveEventsWaitForTheirChannelsSnapshot) {
  settings.has_cache = true;
  make();
  connect(1);
  book->command(1, sub({"trades:BTC-USDT", "bars:1m:BTC-USDT"}));
  auto fx = book->take_effects();
  ASSERT_EQ(fx.snapshots.size(), 2u);
  auto price_req = fx.snapshots[0];
  auto bars_req = fx.snapshots[1];
  EXPECT_EQ(price_req.from, snapshot_request::source::price);
  EXPECT_EQ(price_req.ch.instrument, "BTC-USDT");
  EXPECT_EQ(bars_req.from, snapshot_request::source::bars);
  EXPECT_EQ(bars_req.limit, settings.snapshot_bars);
  EXPECT_EQ(bars_req.name, "bars:1m:BTC-USDT");
  book->events(trades("BTC-USDT", 1, 2));
  event_batch bars;
  bars.bars.push_back(make_bar("BTC-USDT", 60, false));
  book->events(bars);
  EXPECT_EQ(io.texts(1).size(), 2u); // hello, subscribed: the rest is held
  EXPECT_EQ(book->stats().backlog_bytes, 2 * std::string{"trade BTC-USDT 1"}.size()
                                            + std::string{"bar bars:1m:BTC-USDT 60 open 1"}.size());
  price last;
  last.trade_id = "0";
  book->answer(price_req, &last);
  book->fail(bars_req);
  EXPECT_EQ(io.texts(1), (std::vector<std::string>{
                           "hello", "subscribed trades:BTC-USDT,bars:1m:BTC-USDT",
                           "snapshot trades:BTC-USDT 0", "trade BTC-USDT 1",
                           "trade BTC-USDT 2", "error snapshot_unavailable bars:1m:BTC-USDT",
                           "bar bars:1m:BTC-USDT 60 open 1"}));
  EXPECT_EQ(book->stats().backlog_bytes, 0u);
}

TEST_F(BookTest, AnswersForGoneClientsOrChannelsAreDropped) {
  settings.has_cache = true;
  make();
  connect(1);
  connect(2);
  book->command(1, sub({"trades:BTC-USDT"}));
  book->command(2, sub({"trades:BTC-USDT"}));
  auto fx = book->take_effects();
  ASSERT_EQ(fx.snapshots.size(), 2u);
  book->events(trades("BTC-USDT", 1, 1));
  book->command(1, unsub({"trades:BTC-USDT"}));
  book->close(2);
  io.clear();
  book->answer(fx.snapshots[0], nullptr);
  book->answer(fx.snapshots[1], nullptr);
  EXPECT_TRUE(io.sent[1].empty());
  EXPECT_TRUE(io.sent[2].empty());
  EXPECT_EQ(book->stats().backlog_bytes, 0u);
}

TEST_F(BookTest, IndicatorChannelsStartFromStoredBarsThenFollowClosedBars) {
  settings.has_cache = true;
  settings.indicators.seed_bars = 10;
  make();
  connect(1);
  book->command(1, sub({"ind:sma2:1m:BTC-USDT", "ind:sma2000000:1m:BTC-USDT"}));
  auto fx = book->take_effects();
  ASSERT_EQ(fx.snapshots.size(), 1u);
  auto req = fx.snapshots[0];
  EXPECT_EQ(req.from, snapshot_request::source::indicator);
  EXPECT_EQ(req.limit, 10u);
  // A closed bar arrives before the stored ones: fed after them.
  event_batch live;
  live.bars.push_back(make_bar("BTC-USDT", 180, true));
  book->events(live);
  book->answer(req, std::vector<bar>{make_bar("BTC-USDT", 60, true),
                                     make_bar("BTC-USDT", 120, true),
                                     make_bar("BTC-USDT", 150, false)});
  live.bars = {make_bar("BTC-USDT", 240, false), make_bar("BTC-USDT", 240, true)};
  book->events(live);
  EXPECT_EQ(io.texts(1), (std::vector<std::string>{
                           "hello", "error invalid_channel ind:sma2000000:1m:BTC-USDT",
                           "subscribed ind:sma2:1m:BTC-USDT",
                           "snapshot ind:sma2:1m:BTC-USDT value warmup 1 bars 3",
                           "indicator ind:sma2:1m:BTC-USDT 240"}));
  // Live indicators off: refused.
  settings.indicators.live = false;
  make();
  connect(1);
  book->command(1, sub({"ind:sma2:1m:BTC-USDT"}));
  EXPECT_EQ(io.texts(1).back(), "error invalid_channel ind:sma2:1m:BTC-USDT");
}

// -- slow clients ----------------------------------------------------------------------

TEST_F(BookTest, ABehindClientGetsTheNewestUpdatePerChannelAtEachFlush) {
  make();
  connect(1);
  connect(2);
  book->command(1, sub({"trades:BTC-USDT", "bars:1m:BTC-USDT"}));
  book->command(2, sub({"trades:BTC-USDT"}));
  book->take_effects();
  io.stalled.insert(1);
  io.clear();
  // 16-byte frames: the 7th passes conflate-bytes (100).
  book->events(trades("BTC-USDT", 1, 7));
  auto fx = book->take_effects();
  EXPECT_TRUE(fx.arm_flush);
  ASSERT_EQ(fx.notices.size(), 1u);
  EXPECT_EQ(fx.notices[0].kind, client_notice::what::behind);
  EXPECT_EQ(io.texts(1).back(), "conflation on");
  // Behind: only the newest trade, and the last update of every bar.
  event_batch b = trades("BTC-USDT", 8, 10);
  b.bars = {make_bar("BTC-USDT", 60, false, 1), make_bar("BTC-USDT", 60, true, 2),
            make_bar("BTC-USDT", 120, false, 1), make_bar("BTC-USDT", 120, false, 3)};
  book->events(b);
  EXPECT_EQ(io.sent[1].size(), 8u);
  EXPECT_EQ(io.sent[2].size(), 10u); // the fast client gets everything
  // The client reads everything: the flush sends what waits and ends it.
  io.held[1] = 0;
  io.clear();
  book->flush();
  EXPECT_EQ(io.texts(1), (std::vector<std::string>{
                           "trade BTC-USDT 10", "bar bars:1m:BTC-USDT 60 closed 2",
                           "bar bars:1m:BTC-USDT 120 open 3", "conflation off 4"}));
  fx = book->take_effects();
  EXPECT_FALSE(fx.arm_flush);
  ASSERT_EQ(fx.notices.size(), 1u);
  EXPECT_EQ(fx.notices[0].kind, client_notice::what::caught_up);
  auto s = book->stats();
  EXPECT_EQ(s.conflated, 4u);
  EXPECT_EQ(s.behind, 0u);
}

TEST_F(BookTest, AClientThatStopsReadingIsClosedAsSlow) {
  make();
  connect(1);
  connect(2);
  book->command(1, sub({"trades:BTC-USDT"}));
  book->command(2, sub({"trades:BTC-USDT"}));
  io.stalled.insert(1);
  book->events(trades("BTC-USDT", 1, 6)); // behind
  for (int round = 0; round < 100 && io.closed.empty(); ++round) {
    book->events(trades("BTC-USDT", 10 + round, 10 + round));
    book->flush(); // never drains: unsent grows
  }
  ASSERT_EQ(io.closed.size(), 1u);
  EXPECT_EQ(io.closed[0], std::make_tuple(uint64_t{1}, uint16_t{1008}, std::string{"slow consumer"}));
  auto s = book->stats();
  EXPECT_EQ(s.closed_slow, 1u);
  EXPECT_EQ(s.behind, 0u);
  // Nothing more goes to it; the other client is unaffected.
  auto before = io.sent[1].size();
  book->events(trades("BTC-USDT", 500, 500));
  EXPECT_EQ(io.sent[1].size(), before);
  EXPECT_EQ(io.texts(2).back(), "trade BTC-USDT 500");
  EXPECT_TRUE(io.gone.empty());
}

TEST_F(BookTest, OverTheGlobalBudgetTheLargestBacklogsAreClosed) {
  settings.limits.conflate_bytes = 1 << 20;
  settings.limits.close_bytes = 2 << 20;
  settings.max_queued_bytes = 200;
  make();
  for (uint64_t id : {1, 2, 3}) {
    connect(id);
    book->command(id, sub({"trades:BTC-USDT"}));
  }
  io.stalled = {1, 2};
  io.held[1] = 150; // client 1 has more unread than client 2
  book->events(trades("BTC-USDT", 1, 3));
  ASSERT_EQ(io.closed.size(), 1u);
  EXPECT_EQ(std::get<0>(io.closed[0]), 1u);
  EXPECT_EQ(std::get<2>(io.closed[0]), "server overloaded");
  EXPECT_EQ(book->stats().closed_overload, 1u);
}

TEST_F(BookTest, GoneClientsAreRetiredQuietly) {
  make();
  connect(1);
  book->command(1, sub({"trades:BTC-USDT"}));
  io.gone.insert(1);
  book->events(trades("BTC-USDT", 1, 2));
  EXPECT_TRUE(io.closed.empty());
  EXPECT_EQ(book->stats().frames_sent, 3u); // hello, subscribed, snapshot
}

// -- heartbeats ------------------------------------------------------------------------

TEST_F(BookTest, HeartbeatsGoOnlyToQuietClients) {
  make();
  connect(1);
  connect(2);
  book->command(2, sub({"trades:BTC-USDT"}));
  io.clear();
  struct step { int64_t now_s; bool busy; size_t beats1; size_t beats2; };
  // Ticks 1..3: too early; 4: both quiet since the start; then client 2 busy.
  std::vector<step> steps{{1, false, 0, 0}, {2, false, 0, 0}, {3, false, 0, 0},
                          {4, false, 1, 1}, {5, true, 1, 1},  {6, true, 1, 1},
                          {7, true, 1, 1},  {8, true, 2, 1}};
  for (auto& s : steps) {
    if (s.busy)
      book->events(trades("BTC-USDT", static_cast<int>(s.now_s), static_cast<int>(s.now_s)));
    book->tick(s.now_s * 1'000'000'000);
    size_t beats1 = 0, beats2 = 0;
    for (auto& t : io.texts(1))
      beats1 += t.rfind("heartbeat", 0) == 0;
    for (auto& t : io.texts(2))
      beats2 += t.rfind("heartbeat", 0) == 0;
    EXPECT_EQ(beats1, s.beats1) << "tick " << s.now_s;
    EXPECT_EQ(beats2, s.beats2) << "tick " << s.now_s;
  }
  EXPECT_EQ(io.texts(1).front(), "heartbeat 4000000000");
  EXPECT_EQ(book->stats().heartbeats, 3u);
}

// -- bars of intervals nobody builds (issue 21) ---------------------------------------

TEST_F(BookTest, ABarsChannelOfAnIntervalNobodyBuildsIsResampledLive) {
  settings.live_spans = {interval::s1, interval::m1};
  make();
  connect(1);
  book->command(1, sub({"bars:5m:BTC-USDT", "bars:1m:BTC-USDT"}));
  event_batch batch;
  batch.bars = {make_bar("BTC-USDT", 0, false, 1), make_bar("BTC-USDT", 0, true, 2),
                make_bar("BTC-USDT", 60, true, 3), make_bar("BTC-USDT", 240, true, 1),
                make_bar("BTC-USDT", 300, false, 4), make_bar("ETH-USDT", 0, true, 9)};
  book->events(batch);
  EXPECT_EQ(io.texts(1), (std::vector<std::string>{
                           "hello", "subscribed bars:5m:BTC-USDT,bars:1m:BTC-USDT",
                           "snapshot bars:5m:BTC-USDT null", "snapshot bars:1m:BTC-USDT null",
                           "bar bars:1m:BTC-USDT 0 open 1", "bar bars:5m:BTC-USDT 0 open 1",
                           "bar bars:1m:BTC-USDT 0 closed 2", "bar bars:5m:BTC-USDT 0 open 2",
                           "bar bars:1m:BTC-USDT 60 closed 3", "bar bars:5m:BTC-USDT 0 open 5",
                           // The window's last minute closes the 5m bar.
                           "bar bars:1m:BTC-USDT 240 closed 1", "bar bars:5m:BTC-USDT 0 closed 6",
                           "bar bars:1m:BTC-USDT 300 open 4", "bar bars:5m:BTC-USDT 300 open 4"}));
  // 1s bars feed nothing here: 5m comes from the coarsest live interval (1m).
  io.clear();
  event_batch secs;
  secs.bars = {make_bar("BTC-USDT", 301, true, 1)};
  secs.bars[0].span = interval::s1;
  book->events(secs);
  EXPECT_TRUE(io.texts(1).empty());
  // Nobody follows the 5m channel any more: its series is dropped at the next tick.
  book->command(1, unsub({"bars:5m:BTC-USDT"}));
  book->tick(1);
  io.clear();
  event_batch later;
  later.bars = {make_bar("BTC-USDT", 360, true, 1)};
  book->events(later);
  EXPECT_EQ(io.texts(1), (std::vector<std::string>{"bar bars:1m:BTC-USDT 360 closed 1"}));
}

// -- sequence numbers, gaps, resync ---------------------------------------------------

TEST_F(BookTest, EveryEventCarriesItsChannelsSequenceNumber) {
  braced_renderer braced;
  settings.has_cache = true;
  book.emplace(settings, io, braced, std::vector<std::string>{"BTC-USDT", "ETH-USDT"});
  connect(1);
  connect(2);
  book->events(trades("BTC-USDT", 1, 2)); // nobody listens: no numbers used
  book->command(1, sub({"trades:BTC-USDT", "trades:ETH-USDT"}));
  auto fx = book->take_effects();
  ASSERT_EQ(fx.snapshots.size(), 2u);
  book->answer(fx.snapshots[0], nullptr);
  book->answer(fx.snapshots[1], nullptr);
  book->events(trades("BTC-USDT", 3, 4));
  book->events(trades("ETH-USDT", 5, 5));
  // A later subscriber's snapshot says where the channel is; live events
  // held meanwhile follow it in order.
  book->command(2, sub({"trades:BTC-USDT"}));
  fx = book->take_effects();
  ASSERT_EQ(fx.snapshots.size(), 1u);
  book->events(trades("BTC-USDT", 6, 6));
  book->answer(fx.snapshots[0], nullptr);
  EXPECT_EQ(io.texts(1), (std::vector<std::string>{
                           "hello", "subscribed trades:BTC-USDT,trades:ETH-USDT",
                           "{snapshot trades:BTC-USDT null,\"seq\":0}",
                           "{snapshot trades:ETH-USDT null,\"seq\":0}",
                           "{trade BTC-USDT 3,\"seq\":1}", "{trade BTC-USDT 4,\"seq\":2}",
                           "{trade ETH-USDT 5,\"seq\":1}", "{trade BTC-USDT 6,\"seq\":3}"}));
  EXPECT_EQ(io.texts(2), (std::vector<std::string>{
                           "hello", "subscribed trades:BTC-USDT",
                           "{snapshot trades:BTC-USDT null,\"seq\":2}",
                           "{trade BTC-USDT 6,\"seq\":3}"}));
  // One frame per event, shared: the same buffer for both clients.
  EXPECT_EQ(io.sent[1].back().text, io.sent[2].back().text);
}

TEST_F(BookTest, AGapRestartsTheAffectedChannelsWithAFreshSnapshot) {
  settings.has_cache = true;
  settings.max_channels_per_client = 8;
  make();
  connect(1);
  book->command(1, sub({"trades:BTC-USDT", "bars:1m:BTC-USDT", "trades:ETH-USDT",
                        "status:*"}));
  for (auto& r : book->take_effects().snapshots)
    book->answer(r, nullptr);
  io.clear();
  book->gap([](const std::string& x) { return x == "BTC-USDT"; }, "trimmed");
  auto fx = book->take_effects();
  ASSERT_EQ(fx.snapshots.size(), 2u); // BTC's trades and bars; not ETH, not status
  book->events(trades("BTC-USDT", 7, 7)); // held until the fresh snapshot
  book->events(trades("ETH-USDT", 8, 8));
  price last;
  last.trade_id = "7";
  book->answer(fx.snapshots[0], std::vector<bar>{}); // channels in name order
  book->answer(fx.snapshots[1], &last);
  EXPECT_EQ(io.texts(1), (std::vector<std::string>{
                           "gap bars:1m:BTC-USDT", "gap trades:BTC-USDT",
                           "trade ETH-USDT 8", "snapshot bars:1m:BTC-USDT 0 bars",
                           "snapshot trades:BTC-USDT 7", "trade BTC-USDT 7"}));
  EXPECT_EQ(book->stats().gaps, 2u);
  // A channel whose snapshot is on its way (quotes) gets no second one.
  book->command(1, sub({"quotes:BTC-USDT"}));
  io.clear();
  book->gap([](const std::string& x) { return x == "BTC-USDT"; }, "trimmed");
  EXPECT_EQ(io.texts(1), (std::vector<std::string>{"gap bars:1m:BTC-USDT",
                                                   "gap trades:BTC-USDT"}));
}

TEST_F(BookTest, ResyncAnswersASnapshotOfASubscribedChannel) {
  settings.has_cache = true;
  make();
  connect(1);
  book->command(1, sub({"trades:BTC-USDT"}));
  book->answer(book->take_effects().snapshots.at(0), nullptr);
  io.clear();
  book->command(1, resync({"trades:BTC-USDT", "trades:ETH-USDT", "nope"}));
  auto fx = book->take_effects();
  ASSERT_EQ(fx.snapshots.size(), 1u);
  EXPECT_EQ(fx.snapshots[0].name, "trades:BTC-USDT");
  book->events(trades("BTC-USDT", 9, 9));
  price last;
  last.trade_id = "9";
  book->answer(fx.snapshots[0], &last);
  EXPECT_EQ(io.texts(1), (std::vector<std::string>{
                           "error not_subscribed trades:ETH-USDT",
                           "error invalid_channel nope", "snapshot trades:BTC-USDT 9",
                           "trade BTC-USDT 9"}));
}

// -- book channels -------------------------------------------------------------------

namespace {

book_update book_of(uint64_t id, bool snapshot, std::vector<std::pair<int, int>> bids,
                    std::vector<std::pair<int, int>> asks) {
  book_update u;
  u.instrument = "BTC-USDT";
  u.update_id = id;
  u.snapshot = snapshot;
  for (auto& [p, z] : bids)
    u.bids.push_back({decimal::from_parts(p, 0), decimal::from_parts(z, 0)});
  for (auto& [p, z] : asks)
    u.asks.push_back({decimal::from_parts(p, 0), decimal::from_parts(z, 0)});
  return u;
}

} // namespace

TEST_F(BookTest, BookChannelsSendASnapshotThenTheirOwnTopLevelChanges) {
  make();
  connect(1);
  book->book(book_of(1, true, {{99, 1}, {98, 2}, {97, 3}}, {{101, 1}, {102, 2}}));
  book->command(1, sub({"book:BTC-USDT:2", "book_top:btcusdt", "book:BTC-USDT:0"}));
  // Inside the top 2: a change; the 97 level only enters once 99 goes.
  book->book(book_of(2, false, {{97, 5}}, {}));
  book->book(book_of(3, false, {{99, 0}}, {{101, 4}}));
  book->book(book_of(4, false, {{50, 1}}, {})); // outside every channel's view
  EXPECT_EQ(io.texts(1), (std::vector<std::string>{
                           "hello",
                           "error invalid_channel book:BTC-USDT:0",
                           "subscribed book:BTC-USDT:2,book_top:BTC-USDT",
                           "book_snapshot book:BTC-USDT:2 1 b 99/1 98/2 a 101/1 102/2",
                           "top_snapshot book_top:BTC-USDT 1 b 99/1 a 101/1",
                           "book book:BTC-USDT:2 3 b 99/0 97/5 a 101/4",
                           "top book_top:BTC-USDT 3 b 98/2 a 101/4",
                         }));
}

TEST_F(BookTest, ABookChannelOfAnInstrumentWithoutABookStartsEmpty) {
  make();
  connect(1);
  book->command(1, sub({"book:ETH-USDT"}));
  EXPECT_EQ(io.texts(1).back(), "book_snapshot book:ETH-USDT 0 b a");
  EXPECT_EQ(book->stats().snapshots, 1u);
}

TEST_F(BookTest, ASlowBookClientGetsTheNewestSnapshotInsteadOfDeltas) {
  make();
  connect(1);
  connect(2);
  book->book(book_of(1, true, {{99, 1}}, {{101, 1}}));
  book->command(1, sub({"book:BTC-USDT"}));
  book->command(2, sub({"book:BTC-USDT"}));
  io.stalled.insert(1);
  io.clear();
  for (uint64_t id = 2; id < 12; ++id)
    book->book(book_of(id, false, {{99, static_cast<int>(id)}}, {}));
  EXPECT_EQ(io.sent[2].size(), 10u); // the fast client: every delta
  EXPECT_EQ(io.texts(2).back(), "book book:BTC-USDT 11 b 99/11 a");
  io.held[1] = 0;
  io.clear();
  book->flush();
  EXPECT_EQ(io.texts(1), (std::vector<std::string>{
                           "book_snapshot book:BTC-USDT 11 b 99/11 a 101/1",
                           "conflation off 5"})); // 4 deltas went out, 6 snapshots queued
}
