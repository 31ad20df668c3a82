#include "adapters/simulator/simulator_feed.hpp"
#include "adapters/simulator/simulator_parse.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "adapters/simulator/simulator_provider.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::simulator {
namespace {

// 2023-11-14T22:14:00Z: aligned to the minute.
constexpr int64_t t0 = 1'700'000'040 * ns_per_s;
// Where generate() starts when advance() never ran.
constexpr int64_t generate_epoch = 1'700'000'000 * ns_per_s;

decimal dec(std::string_view text) {
  auto x = decimal::parse(text);
  EXPECT_TRUE(x) << text;
  return x ? *x : decimal{};
}

simulator_settings settings_for(std::vector<std::pair<const char*, const char*>>
                                  symbols,
                                uint64_t seed = 42) {
  simulator_settings s;
  for (auto& [id, price] : symbols)
    s.symbols.push_back({id, dec(price)});
  s.seed = seed;
  return s;
}

simulator_settings three_symbols(uint64_t seed = 42) {
  return settings_for({{"BTC-USDT", "65000.12"},
                       {"ETH-USDT", "3000.5"},
                       {"BRK.B", "410"}},
                      seed);
}

// Parses every frame; a frame that does not parse fails the test.
event_batch parse_all(const std::vector<std::string>& frames,
                      const symbol_map& symbols, int64_t recv_ns) {
  event_batch out;
  for (auto& f : frames) {
    auto r = parse_frame(f, symbols, recv_ns, out);
    EXPECT_TRUE(r) << f << ": " << (r ? "" : r.err().message());
  }
  return out;
}

void expect_same_trade(const trade& a, const trade& b) {
  EXPECT_EQ(a.instrument, b.instrument);
  EXPECT_EQ(a.provider_symbol, b.provider_symbol);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.price, b.price) << a.price.to_string() << " vs "
                              << b.price.to_string();
  EXPECT_EQ(a.size, b.size) << a.size.to_string() << " vs "
                            << b.size.to_string();
  EXPECT_EQ(a.aggressor, b.aggressor);
  EXPECT_EQ(a.trade_id, b.trade_id);
  EXPECT_EQ(a.ts_event_ns, b.ts_event_ns);
  EXPECT_EQ(a.ts_recv_ns, b.ts_recv_ns);
  EXPECT_EQ(a.flags, b.flags);
}

// ts_recv_ns is compared unless same_recv is false: a bar frame is received
// with the call that emits it, which may come after its last trade's call.
void expect_same_bar(const bar& a, const bar& b, bool same_recv = true) {
  SCOPED_TRACE(a.instrument + " " + std::string{to_string(a.span)} + " "
               + std::to_string(a.open_time_ns));
  EXPECT_EQ(a.instrument, b.instrument);
  EXPECT_EQ(a.provider_symbol, b.provider_symbol);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.span, b.span);
  EXPECT_EQ(a.open_time_ns, b.open_time_ns);
  EXPECT_EQ(a.open, b.open);
  EXPECT_EQ(a.high, b.high);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.close, b.close);
  EXPECT_EQ(a.volume, b.volume);
  EXPECT_EQ(a.trade_count, b.trade_count);
  EXPECT_EQ(a.closed, b.closed);
  if (same_recv) {
    EXPECT_EQ(a.ts_recv_ns, b.ts_recv_ns);
  }
  EXPECT_EQ(a.flags, b.flags);
}

// x as a whole number of 10^-scale units; fails when x is finer than that.
int64_t units(decimal x, int scale) {
  EXPECT_LE(x.scale, scale) << x.to_string();
  auto m = x.mantissa;
  for (int i = x.scale; i < scale; ++i)
    m *= 10;
  return m;
}

// -- the documented algorithm, written out again -----------------------------

// splitmix64, checked against the reference vectors below.
struct reference_rng {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t uniform(uint64_t n) {
    return static_cast<uint64_t>(
      (static_cast<unsigned __int128>(next()) * n) >> 64);
  }
};

TEST(SimulatorReference, SplitMix64Vectors) {
  // Vigna's splitmix64.c with seed 1234567.
  reference_rng rng{1234567};
  const uint64_t want[] = {6457827717110365317ULL, 3203168211198807973ULL,
                           9817491932198370423ULL, 4593380528125082431ULL,
                           16408922859458223821ULL};
  for (auto w : want)
    EXPECT_EQ(rng.next(), w);
}

// -- the feed ----------------------------------------------------------------

TEST(SimulatorFeed, MapsSymbols) {
  feed f{three_symbols()};
  EXPECT_EQ(f.symbols().size(), 3u);
  EXPECT_EQ(f.symbols().to_canonical("BTCUSDT"), "BTC-USDT");
  EXPECT_EQ(f.symbols().to_canonical("BRK.B"), "BRK.B");
  EXPECT_EQ(f.symbols().to_provider("ETH-USDT"), "ETHUSDT");
  EXPECT_EQ(f.trades(), 0u);
}

TEST(SimulatorFeed, RepeatedSymbolsSimulateOnce) {
  feed f{settings_for(
    {{"BTC-USDT", "1"}, {"BTC-USDT", "2"}, {"BTCUSDT", "3"}})};
  EXPECT_EQ(f.symbols().size(), 1u);
  std::vector<std::string> out;
  f.generate(4, out);
  auto events = parse_all(out, f.symbols(), 0);
  for (auto& t : events.trades)
    EXPECT_EQ(t.instrument, "BTC-USDT");
}

TEST(SimulatorFeed, FirstAdvanceOnlySetsTheClock) {
  feed f{three_symbols()};
  std::vector<std::string> out;
  EXPECT_EQ(f.advance(t0, out), 0u);
  EXPECT_TRUE(out.empty());
  // Time standing still or going back produces nothing either.
  EXPECT_EQ(f.advance(t0, out), 0u);
  EXPECT_EQ(f.advance(t0 - ns_per_s, out), 0u);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(f.trades(), 0u);
}

TEST(SimulatorFeed, GenerateFollowsTheDocumentedAlgorithm) {
  auto settings =
    settings_for({{"BTC-USDT", "65000.12"}, {"ETH-USDT", "3000.5"}}, 7);
  settings.bar_intervals = {interval::m1};
  feed f{settings};
  std::vector<std::string> out;
  constexpr size_t n = 2000;
  EXPECT_EQ(f.generate(n, out), n); // 2 ms: no bar closes
  ASSERT_EQ(out.size(), n);
  EXPECT_EQ(f.trades(), n);

  // Prices in ticks of 0.01, sizes in lots of 0.001; three draws per trade.
  reference_rng rng{7};
  int64_t ticks[] = {6'500'012, 300'050};
  const char* ids[] = {"BTC-USDT", "ETH-USDT"};
  const char* syms[] = {"BTCUSDT", "ETHUSDT"};
  constexpr int64_t recv = 5;
  auto events = parse_all(out, f.symbols(), recv);
  ASSERT_EQ(events.trades.size(), n);
  for (size_t k = 0; k < n; ++k) {
    SCOPED_TRACE(k);
    auto w = k % 2;
    auto step = static_cast<int64_t>(rng.uniform(11)) - 5;
    ticks[w] = std::max<int64_t>(1, ticks[w] + step);
    auto lots = static_cast<int64_t>(1 + rng.uniform(1000));
    bool buyer_is_maker = (rng.next() >> 63) != 0;
    trade want;
    want.instrument = ids[w];
    want.provider_symbol = syms[w];
    want.source = providers::simulator;
    want.price = decimal::from_parts(ticks[w], 2);
    want.size = decimal::from_parts(lots, 3);
    want.aggressor = buyer_is_maker ? side::sell : side::buy;
    want.trade_id = std::to_string(k + 1);
    want.ts_event_ns = generate_epoch + static_cast<int64_t>(k + 1) * ns_per_us;
    want.ts_recv_ns = recv;
    want.flags = quality_synthetic;
    // The frame text is exactly the documented format ...
    std::string frame = R"({"e":"trade","s":")" + want.provider_symbol
                        + R"(","t":)" + want.trade_id + R"(,"p":")"
                        + want.price.to_string() + R"(","q":")"
                        + want.size.to_string() + R"(","m":)"
                        + (buyer_is_maker ? "true" : "false") + R"(,"T":)"
                        + std::to_string(want.ts_event_ns) + "}";
    EXPECT_EQ(out[k], frame);
    // ... and parses back into the trade that was intended.
    expect_same_trade(events.trades[k], want);
  }
}

TEST(SimulatorFeed, SameSeedSameFramesOtherSeedOtherFrames) {
  auto run = [](uint64_t seed) {
    feed f{three_symbols(seed)};
    std::vector<std::string> out;
    f.advance(t0, out);
    for (int64_t ms = 7; ms <= 3'000; ms += 7)
      f.advance(t0 + ms * ns_per_ms, out);
    f.generate(500, out);
    return out;
  };
  auto a = run(42);
  auto b = run(42);
  auto c = run(43);
  ASSERT_GT(a.size(), 500u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(SimulatorFeed, RateIsExactAcrossCallSizes) {
  struct row {
    double trades_per_second;
    size_t symbols;
    int64_t step_ns;
    uint64_t want_per_symbol; // over 10 s
  };
  const row rows[] = {
    {20, 3, ns_per_ms, 200},         {20, 3, 10 * ns_per_ms, 200},
    {20, 3, 333 * ns_per_ms, 200},   {20, 3, ns_per_s, 200},
    {20, 3, 10 * ns_per_s, 200},     {20, 1, 7 * ns_per_ms, 200},
    {0.5, 1, 300 * ns_per_ms, 5},    {1000, 2, 10 * ns_per_ms, 10000},
    {0, 3, 10 * ns_per_ms, 0},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(std::to_string(r.trades_per_second) + " tps, step "
                 + std::to_string(r.step_ns));
    auto settings = settings_for({{"AAA", "10"}, {"BBB", "20"}, {"CCC", "30"}});
    settings.symbols.resize(r.symbols);
    settings.trades_per_second = r.trades_per_second;
    feed f{settings};
    std::vector<std::string> out;
    f.advance(t0, out);
    for (int64_t now = t0; now < t0 + 10 * ns_per_s;) {
      now = std::min(now + r.step_ns, t0 + 10 * ns_per_s);
      f.advance(now, out);
    }
    auto events = parse_all(out, f.symbols(), 0);
    std::map<std::string, uint64_t> per_symbol;
    for (auto& t : events.trades)
      ++per_symbol[t.instrument];
    EXPECT_EQ(f.trades(), r.want_per_symbol * r.symbols);
    EXPECT_EQ(events.trades.size(), r.want_per_symbol * r.symbols);
    for (auto& [id, n] : per_symbol)
      EXPECT_EQ(n, r.want_per_symbol) << id;
  }
}

TEST(SimulatorFeed, TradesAreSpreadEvenlyOverTheCall) {
  auto settings = settings_for({{"AAA", "10"}, {"BBB", "20"}});
  settings.trades_per_second = 2; // 4 per second in all
  feed f{settings};
  std::vector<std::string> out;
  f.advance(t0, out);
  f.advance(t0 + ns_per_s, out);
  auto events = parse_all(out, f.symbols(), 0);
  ASSERT_EQ(events.trades.size(), 4u);
  const int64_t want_ts[] = {250, 500, 750, 1000};
  const char* want_id[] = {"AAA", "BBB", "AAA", "BBB"}; // round-robin
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(events.trades[i].ts_event_ns, t0 + want_ts[i] * ns_per_ms);
    EXPECT_EQ(events.trades[i].instrument, want_id[i]);
    EXPECT_EQ(events.trades[i].trade_id, std::to_string(i + 1));
  }
}

TEST(SimulatorFeed, StartPricesAreRoundedToTheTickGrid) {
  struct row {
    const char* start;
    const char* tick;
    const char* want;
  };
  const row rows[] = {
    {"100.005", "0.01", "100.01"},  // halves round up
    {"100.004", "0.01", "100"},
    {"100.0049999", "0.01", "100"},
    {"0.004", "0.01", "0.01"},      // never below one tick
    {"0", "0.01", "0.01"},
    {"-5", "0.01", "0.01"},
    {"65000.12", "0.5", "65000"},
    {"65000.25", "0.5", "65000.5"},
    {"12345", "100", "12300"},
    {"12350", "100", "12400"},
    {"7", "0.25", "7"},
    {"1234567.12345675", "0.0000001", "1234567.1234568"},
    {"0.3", "0.000000000000000001", "0.3"},
    {"3", "0.000000000000000001", "0.999999999999999999"}, // 18 digits max
    {"0.000000000000000003", "1", "1"},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(std::string{r.start} + " on " + r.tick);
    auto settings = settings_for({{"AAA", r.start}});
    settings.tick_size = dec(r.tick);
    settings.max_step_ticks = 0;
    feed f{settings};
    std::vector<std::string> out;
    f.generate(3, out);
    auto events = parse_all(out, f.symbols(), 0);
    ASSERT_EQ(events.trades.size(), 3u);
    for (auto& t : events.trades)
      EXPECT_EQ(t.price.to_string(), r.want);
  }
}

TEST(SimulatorFeed, PricesStayOnTheGridAboveZeroAndSizesOnTheLotGrid) {
  auto settings = settings_for({{"AAA", "0.15"}, {"BBB", "0.35"}}, 99);
  settings.tick_size = dec("0.05");
  settings.lot_size = dec("0.25");
  settings.max_step_ticks = 10;
  settings.max_lots = 4;
  feed f{settings};
  std::vector<std::string> out;
  f.generate(4000, out);
  auto events = parse_all(out, f.symbols(), 0);
  ASSERT_EQ(events.trades.size(), 4000u);
  std::map<std::string, int64_t> last_ticks{{"AAA", 3}, {"BBB", 7}};
  std::set<int64_t> lots_seen;
  size_t at_floor = 0;
  size_t sells = 0;
  for (auto& t : events.trades) {
    SCOPED_TRACE(t.trade_id);
    auto cents = units(t.price, 2);
    ASSERT_EQ(cents % 5, 0) << t.price.to_string();
    auto ticks = cents / 5;
    EXPECT_GE(ticks, 1);
    auto& last = last_ticks[t.instrument];
    if (ticks > 1) { // at the floor the step may have been cut short
      EXPECT_LE(std::abs(ticks - last), 10);
    } else {
      ++at_floor;
    }
    last = ticks;
    auto quarter_lots = units(t.size, 2);
    ASSERT_EQ(quarter_lots % 25, 0) << t.size.to_string();
    lots_seen.insert(quarter_lots / 25);
    sells += t.aggressor == side::sell;
  }
  EXPECT_GT(at_floor, 0u); // the floor was actually exercised
  EXPECT_EQ(lots_seen, (std::set<int64_t>{1, 2, 3, 4}));
  EXPECT_GT(sells, 1000u); // both sides occur
  EXPECT_LT(sells, 3000u);
}

TEST(SimulatorFeed, AdvanceFramesParseBackAndBarsMatchTheTrades) {
  feed f{three_symbols()};
  bar_aggregator mine{{interval::s1, interval::m1}};
  std::vector<bar> my_closed;
  std::vector<bar> their_closed;
  std::vector<std::string> out;
  f.advance(t0, out);
  int64_t last = t0;
  uint64_t next_id = 1;
  size_t snapshots = 0;
  for (int64_t now = t0 + 37 * ns_per_ms; now <= t0 + 125 * ns_per_s;
       now += 37 * ns_per_ms) {
    out.clear();
    f.advance(now, out);
    auto recv = now + 1;
    event_batch events = parse_all(out, f.symbols(), recv);
    ASSERT_EQ(events.size(), out.size());

    // Trades: consecutive ids, spread over (last, now], in time order.
    std::set<std::string> traded;
    for (auto& t : events.trades) {
      EXPECT_EQ(t.trade_id, std::to_string(next_id++));
      EXPECT_GT(t.ts_event_ns, last);
      EXPECT_LE(t.ts_event_ns, now);
      EXPECT_EQ(t.source, providers::simulator);
      EXPECT_EQ(t.flags, uint32_t{quality_synthetic});
      EXPECT_EQ(t.ts_recv_ns, recv);
      EXPECT_EQ(f.symbols().to_provider(t.instrument), t.provider_symbol);
      traded.insert(t.instrument);
      mine.add(t, my_closed);
    }
    if (!events.trades.empty()) {
      EXPECT_EQ(events.trades.back().ts_event_ns, now);
    }
    mine.close_until(now, my_closed);

    // Bars: the closed ones equal those built from the parsed trades; the
    // open snapshots are the open bars of the symbols that traded.
    std::vector<bar> my_open;
    mine.open_bars(my_open);
    my_open.erase(std::remove_if(my_open.begin(), my_open.end(),
                                 [&](const bar& b) {
                                   return traded.count(b.instrument) == 0;
                                 }),
                  my_open.end());
    std::vector<bar> their_open;
    for (auto& b : events.bars) {
      EXPECT_EQ(b.ts_recv_ns, recv);
      (b.closed ? their_closed : their_open).push_back(b);
    }
    ASSERT_EQ(their_open.size(), my_open.size());
    for (size_t i = 0; i < my_open.size(); ++i)
      expect_same_bar(their_open[i], my_open[i]);
    snapshots += their_open.size();
    last = now;
  }
  ASSERT_EQ(their_closed.size(), my_closed.size());
  for (size_t i = 0; i < my_closed.size(); ++i)
    expect_same_bar(their_closed[i], my_closed[i], false);
  // 125 s of three symbols: 3 x 2 minutes of 1m bars and ~3 x 125 1s bars.
  EXPECT_EQ(std::count_if(their_closed.begin(), their_closed.end(),
                          [](const bar& b) { return b.span == interval::m1; }),
            6);
  EXPECT_GT(their_closed.size(), 350u);
  EXPECT_GT(snapshots, 0u);
  EXPECT_EQ(mine.late_trades(), 0u);
}

TEST(SimulatorFeed, QuietBarsCloseOnTime) {
  auto settings = settings_for({{"BTC-USDT", "65000.12"}}, 3);
  settings.trades_per_second = 0.5;
  settings.max_step_ticks = 0;
  settings.max_lots = 1;
  feed f{settings};
  std::vector<std::string> out;
  f.advance(t0, out);
  EXPECT_EQ(f.advance(t0 + 1 * ns_per_s, out), 0u); // half a trade due
  // trade + two snapshots + the quote (issue 21: the simulator quotes too)
  EXPECT_EQ(f.advance(t0 + 2 * ns_per_s, out), 4u);

  reference_rng rng{3};
  rng.next(); // step
  rng.next(); // lots
  bool buyer_is_maker = (rng.next() >> 63) != 0;
  const std::string open_bar_1s = R"({"e":"bar","s":"BTCUSDT","i":"1s","t":)"
    + std::to_string(t0 + 2 * ns_per_s) + R"(,"o":"65000.12","h":"65000.12",)"
    R"("l":"65000.12","c":"65000.12","v":"0.001","n":1,"x":)";
  const std::string open_bar_1m = R"({"e":"bar","s":"BTCUSDT","i":"1m","t":)"
    + std::to_string(t0) + R"(,"o":"65000.12","h":"65000.12",)"
    R"("l":"65000.12","c":"65000.12","v":"0.001","n":1,"x":false})";
  const std::vector<std::string> want = {
    R"({"e":"trade","s":"BTCUSDT","t":1,"p":"65000.12","q":"0.001","m":)"
      + std::string{buyer_is_maker ? "true" : "false"} + R"(,"T":)"
      + std::to_string(t0 + 2 * ns_per_s) + "}",
    open_bar_1s + "false}",
    open_bar_1m,
    R"({"e":"quote","s":"BTCUSDT","b":"65000.11","B":"0.001","a":"65000.13",)"
      R"("A":"0.001","T":)" + std::to_string(t0 + 2 * ns_per_s) + "}",
  };
  EXPECT_EQ(out, want);

  // No trade is due by t0 + 3 s, yet the 1s bar ended and closes; the open
  // 1m bar did not change, so it is not sent again.
  out.clear();
  EXPECT_EQ(f.advance(t0 + 3 * ns_per_s, out), 1u);
  EXPECT_EQ(out, std::vector<std::string>{open_bar_1s + "true}"});
  out.clear();
  EXPECT_EQ(f.advance(t0 + 3'500 * ns_per_ms, out), 0u);
}

TEST(SimulatorFeed, QuotesFollowTheLastTradeAndDrawNothing) {
  auto with = three_symbols();
  auto without = three_symbols();
  without.quotes = false;
  feed a{with};
  feed b{without};
  std::vector<std::string> qa, qb;
  a.advance(t0, qa);
  b.advance(t0, qb);
  a.advance(t0 + ns_per_s, qa);
  b.advance(t0 + ns_per_s, qb);
  auto ea = parse_all(qa, a.symbols(), 0);
  auto eb = parse_all(qb, b.symbols(), 0);
  // The same market either way: quotes take no random draw.
  ASSERT_EQ(ea.trades.size(), eb.trades.size());
  for (size_t i = 0; i < ea.trades.size(); ++i)
    expect_same_trade(ea.trades[i], eb.trades[i]);
  EXPECT_TRUE(eb.quotes.empty());
  ASSERT_EQ(ea.quotes.size(), 3u); // one per symbol that traded
  for (auto& q : ea.quotes) {
    // The last trade of the symbol, one tick either side of it.
    const trade* last = nullptr;
    for (auto& t : ea.trades)
      if (t.instrument == q.instrument)
        last = &t;
    ASSERT_NE(last, nullptr) << q.instrument;
    EXPECT_EQ(q.ts_event_ns, last->ts_event_ns);
    auto tick = decimal::from_parts(1, 2);
    EXPECT_EQ(*decimal::add(q.bid_price, tick), last->price);
    EXPECT_EQ(q.ask_price, *decimal::add(last->price, tick));
    EXPECT_EQ(q.bid_size, dec("0.5")); // max_lots 1000 / 2 lots of 0.001
    EXPECT_EQ(q.ask_size, dec("0.5"));
    EXPECT_EQ(q.source, providers::simulator);
    EXPECT_EQ(q.flags, quality_synthetic);
  }
}

TEST(SimulatorFeed, MaxFramesCapsACallWithoutCatchingUpLater) {
  auto settings = three_symbols(); // 20 tps each, 1s and 1m bars
  feed f{settings};
  std::vector<std::string> out;
  f.advance(t0, out);
  // 10 s at once would be 600 trades; only what fits in 50 frames is made,
  // keeping room for the bars that close_until may close (3 x 2).
  auto n = f.advance(t0 + 10 * ns_per_s, out, 50);
  EXPECT_EQ(n, out.size());
  EXPECT_LE(out.size(), 50u);
  auto events = parse_all(out, f.symbols(), 0);
  EXPECT_GT(events.trades.size(), 10u);
  EXPECT_LT(events.trades.size(), 50u);
  EXPECT_EQ(f.trades(), events.trades.size());
  for (auto& t : events.trades) // spread over the whole span all the same
    EXPECT_LE(t.ts_event_ns, t0 + 10 * ns_per_s);

  // The skipped trades are gone: the next 100 ms bring the usual 6.
  auto before = f.trades();
  out.clear();
  f.advance(t0 + 10'100 * ns_per_ms, out);
  EXPECT_EQ(f.trades() - before, 6u);
  events = parse_all(out, f.symbols(), 0);
  EXPECT_EQ(events.trades.size(), 6u);
}

TEST(SimulatorFeed, TinyCapsNeverOverflow) {
  for (size_t cap : {0u, 1u, 3u, 6u, 7u, 9u, 10u, 12u}) {
    SCOPED_TRACE(cap);
    feed f{three_symbols()};
    std::vector<std::string> out;
    f.advance(t0, out);
    size_t total = 0;
    for (int64_t s = 1; s <= 130; ++s) {
      out.clear();
      auto n = f.advance(t0 + s * ns_per_s, out, cap);
      EXPECT_EQ(n, out.size());
      EXPECT_LE(n, cap);
      total += n;
      parse_all(out, f.symbols(), 0);
    }
    // 3 symbols x 2 intervals of room are kept for closing bars.
    if (cap < 9) {
      EXPECT_EQ(f.trades(), 0u);
    } else {
      EXPECT_GT(f.trades(), 0u);
    }
  }
}

TEST(SimulatorFeed, GenerateClosesBarsItCrosses) {
  feed f{settings_for({{"BTC-USDT", "10"}})};
  std::vector<std::string> out;
  f.advance(t0 + ns_per_s - 2 * ns_per_us, out); // sets the clock
  EXPECT_EQ(f.generate(3, out), 4u); // -1 us, 0 (closes 1s), +1 us
  auto events = parse_all(out, f.symbols(), 0);
  ASSERT_EQ(events.trades.size(), 3u);
  EXPECT_EQ(events.trades[0].ts_event_ns, t0 + ns_per_s - ns_per_us);
  EXPECT_EQ(events.trades[2].ts_event_ns, t0 + ns_per_s + ns_per_us);
  ASSERT_EQ(events.bars.size(), 1u);
  EXPECT_TRUE(events.bars[0].closed);
  EXPECT_EQ(events.bars[0].span, interval::s1);
  EXPECT_EQ(events.bars[0].open_time_ns, t0);
  EXPECT_EQ(events.bars[0].trade_count, 1u);
}

TEST(SimulatorFeed, NoSymbolsNoFrames) {
  feed f{simulator_settings{}};
  std::vector<std::string> out;
  f.advance(t0, out);
  EXPECT_EQ(f.advance(t0 + ns_per_s, out), 0u);
  EXPECT_EQ(f.generate(10, out), 0u);
  EXPECT_TRUE(out.empty());
}

// -- parsing -----------------------------------------------------------------

symbol_map test_symbols() {
  symbol_map m;
  m.add("BTC-USDT", "BTCUSDT");
  return m;
}

constexpr std::string_view trade_fixture =
  R"({"e":"trade","s":"BTCUSDT","t":17,"p":"65000.12","q":"0.015","m":false,)"
  R"("T":1700000000123000000})";
constexpr std::string_view bar_fixture =
  R"({"e":"bar","s":"BTCUSDT","i":"1m","t":1700000040000000000,"o":"65000.1",)"
  R"("h":"65010","l":"64990.5","c":"65001","v":"12.345","n":42,"x":true})";

TEST(SimulatorParse, Trade) {
  event_batch out;
  auto r = parse_frame(trade_fixture, test_symbols(), 99, out);
  ASSERT_TRUE(r) << r.err().message();
  ASSERT_EQ(out.trades.size(), 1u);
  trade want;
  want.instrument = "BTC-USDT";
  want.provider_symbol = "BTCUSDT";
  want.source = providers::simulator;
  want.price = dec("65000.12");
  want.size = dec("0.015");
  want.aggressor = side::buy;
  want.trade_id = "17";
  want.ts_event_ns = 1'700'000'000'123'000'000;
  want.ts_recv_ns = 99;
  want.flags = quality_synthetic;
  expect_same_trade(out.trades[0], want);

  std::string seller{trade_fixture};
  seller.replace(seller.find("\"m\":false"), 9, "\"m\":true");
  ASSERT_TRUE(parse_frame(seller, test_symbols(), 99, out));
  ASSERT_EQ(out.trades.size(), 2u);
  EXPECT_EQ(out.trades[1].aggressor, side::sell);
}

TEST(SimulatorParse, Bar) {
  event_batch out;
  auto r = parse_frame(bar_fixture, test_symbols(), 99, out);
  ASSERT_TRUE(r) << r.err().message();
  ASSERT_EQ(out.bars.size(), 1u);
  bar want;
  want.instrument = "BTC-USDT";
  want.provider_symbol = "BTCUSDT";
  want.source = providers::simulator;
  want.span = interval::m1;
  want.open_time_ns = 1'700'000'040'000'000'000;
  want.open = dec("65000.1");
  want.high = dec("65010");
  want.low = dec("64990.5");
  want.close = dec("65001");
  want.volume = dec("12.345");
  want.trade_count = 42;
  want.closed = true;
  want.ts_recv_ns = 99;
  want.flags = quality_synthetic;
  expect_same_bar(out.bars[0], want);
}

// Removes "key":value from a fixture frame.
std::string without(std::string_view frame, const std::string& key) {
  std::string s{frame};
  auto at = s.find("\"" + key + "\":");
  EXPECT_NE(at, std::string::npos) << key;
  auto end = s.find_first_of(",}", at);
  if (s[end] == ',')
    ++end;
  else if (s[at - 1] == ',')
    --at;
  s.erase(at, end - at);
  return s;
}

// Replaces the value of "key" in a fixture frame.
std::string with(std::string_view frame, const std::string& key,
                 std::string_view value) {
  std::string s{frame};
  auto at = s.find("\"" + key + "\":");
  EXPECT_NE(at, std::string::npos) << key;
  at += key.size() + 3;
  auto end = s.find_first_of(",}", at);
  s.replace(at, end - at, value);
  return s;
}

struct failure {
  std::string frame;
  errc code;
  std::string context_prefix;
};

void expect_failures(const std::vector<failure>& rows) {
  auto symbols = test_symbols();
  for (auto& r : rows) {
    SCOPED_TRACE(r.frame);
    event_batch out;
    auto res = parse_frame(r.frame, symbols, 1, out);
    ASSERT_FALSE(res);
    EXPECT_EQ(res.err().code, r.code) << res.err().message();
    EXPECT_EQ(res.err().context.rfind(r.context_prefix, 0), 0u)
      << res.err().context;
    EXPECT_TRUE(out.empty());
  }
}

TEST(SimulatorParse, MissingFields) {
  std::vector<failure> rows;
  for (auto key : {"e", "s", "t", "p", "q", "m", "T"})
    rows.push_back({without(trade_fixture, key), errc::missing_field, key});
  for (auto key : {"s", "i", "t", "o", "h", "l", "c", "v", "n", "x"})
    rows.push_back({without(bar_fixture, key), errc::missing_field, key});
  expect_failures(rows);
  event_batch out;
  for (auto& r : rows) { // the field name is the whole context
    auto res = parse_frame(r.frame, test_symbols(), 1, out);
    ASSERT_FALSE(res);
    EXPECT_EQ(res.err().context, r.context_prefix);
  }
}

TEST(SimulatorParse, WrongTypesAndBadNumbers) {
  expect_failures({
    // Numbers where strings are expected.
    {with(trade_fixture, "p", "65000.12"), errc::bad_number, "p: "},
    {with(trade_fixture, "q", "1"), errc::bad_number, "q: "},
    {with(trade_fixture, "s", "42"), errc::malformed, "s: "},
    {with(trade_fixture, "e", "1"), errc::malformed, "e: "},
    {with(bar_fixture, "i", "1"), errc::malformed, "i: "},
    {with(bar_fixture, "o", "65000.1"), errc::bad_number, "o: "},
    // Strings where numbers or booleans are expected.
    {with(trade_fixture, "t", "\"17\""), errc::bad_number, "t: "},
    {with(trade_fixture, "T", "\"1700000000123000000\""), errc::bad_number,
     "T: "},
    {with(trade_fixture, "m", "\"false\""), errc::malformed, "m: "},
    {with(trade_fixture, "m", "0"), errc::malformed, "m: "},
    {with(bar_fixture, "x", "null"), errc::malformed, "x: "},
    {with(bar_fixture, "n", "-1"), errc::bad_number, "n: "},
    {with(bar_fixture, "n", "4.2"), errc::bad_number, "n: "},
    // Decimal text that is not exact plain decimal.
    {with(trade_fixture, "p", "\"1e-3\""), errc::bad_number, "p: "},
    {with(trade_fixture, "p", "\"\""), errc::bad_number, "p: "},
    {with(trade_fixture, "p", "\"nan\""), errc::bad_number, "p: "},
    {with(trade_fixture, "q", "\"0.0000000000000000001\""), errc::bad_number,
     "q: "},
    {with(bar_fixture, "v", "\"12,3\""), errc::bad_number, "v: "},
    // Huge numbers.
    {with(trade_fixture, "T", "99999999999999999999"), errc::bad_number, "T: "},
    {with(trade_fixture, "t", "18446744073709551615"), errc::bad_number, "t: "},
    {with(trade_fixture, "t", "1e300"), errc::bad_number, "t: "},
    {with(trade_fixture, "p", "\"99999999999999999999999\""), errc::bad_number,
     "p: "},
    {with(trade_fixture, "T", "1e400"), errc::malformed, "not JSON"},
    // Embedded NULs.
    {with(trade_fixture, "p", R"("1\u00002")"), errc::bad_number, "p: "},
    {with(trade_fixture, "e", R"("trade\u0000")"), errc::malformed,
     "unknown event type"},
    // Unknown values.
    // ("quote" is a simulator event since issue 21.)
    {with(trade_fixture, "e", "\"book\""), errc::malformed,
     "unknown event type \"book\""},
    // A trade frame read as a quote lacks the quote's fields.
    {with(trade_fixture, "e", "\"quote\""), errc::missing_field, "b"},
    {with(bar_fixture, "i", "\"7m\""), errc::malformed,
     "i: unknown interval \"7m\""},
  });
}

constexpr std::string_view quote_fixture =
  R"({"e":"quote","s":"BTCUSDT","b":"65000.11","B":"0.5","a":"65000.13",)"
  R"("A":"0.25","T":1700000000123000000})";

TEST(SimulatorParse, AQuoteFrame) {
  event_batch out;
  ASSERT_TRUE(parse_frame(quote_fixture, test_symbols(), 7, out));
  ASSERT_EQ(out.quotes.size(), 1u);
  auto& q = out.quotes[0];
  EXPECT_EQ(q.instrument, "BTC-USDT");
  EXPECT_EQ(q.provider_symbol, "BTCUSDT");
  EXPECT_EQ(q.source, providers::simulator);
  EXPECT_EQ(q.bid_price, dec("65000.11"));
  EXPECT_EQ(q.bid_size, dec("0.5"));
  EXPECT_EQ(q.ask_price, dec("65000.13"));
  EXPECT_EQ(q.ask_size, dec("0.25"));
  EXPECT_EQ(q.ts_event_ns, 1'700'000'000'123'000'000);
  EXPECT_EQ(q.ts_recv_ns, 7);
  EXPECT_EQ(q.flags, uint32_t{quality_synthetic});
  std::vector<failure> rows;
  for (auto key : {"s", "b", "B", "a", "A", "T"})
    rows.push_back({without(quote_fixture, key), errc::missing_field, key});
  rows.push_back({with(quote_fixture, "b", "65000.11"), errc::bad_number, "b: "});
  rows.push_back({with(quote_fixture, "s", "\"XRPUSDT\""), errc::unknown_symbol, "XRPUSDT"});
  expect_failures(rows);
}

TEST(SimulatorParse, UnknownSymbol) {
  expect_failures({
    {with(trade_fixture, "s", "\"XRPUSDT\""), errc::unknown_symbol, "XRPUSDT"},
    {with(bar_fixture, "s", "\"BTC-USDT\""), errc::unknown_symbol, "BTC-USDT"},
    {with(trade_fixture, "s", "\"\""), errc::unknown_symbol, ""},
  });
  // A symbol with an embedded NUL is not its prefix.
  event_batch out;
  auto res = parse_frame(with(trade_fixture, "s", R"("BTCUSDT\u0000X")"),
                         test_symbols(), 1, out);
  ASSERT_FALSE(res);
  EXPECT_EQ(res.err().code, errc::unknown_symbol);
  EXPECT_EQ(res.err().context, std::string("BTCUSDT\0X", 9));
}

TEST(SimulatorParse, Garbage) {
  std::string nested(100000, '[');
  std::string raw_nul{trade_fixture};
  raw_nul[raw_nul.find("BTCUSDT") + 3] = '\0';
  std::string truncated{trade_fixture.substr(0, trade_fixture.size() - 1)};
  expect_failures({
    {"", errc::malformed, "empty frame"},
    {"{", errc::malformed, "not JSON"},
    {"}", errc::malformed, "not JSON"},
    {"[]", errc::malformed, "not an object"},
    {"null", errc::malformed, "not an object"},
    {"42", errc::malformed, "not an object"},
    {"\"trade\"", errc::malformed, "not an object"},
    {"{}", errc::missing_field, "e"},
    {"   ", errc::malformed, "not JSON"},
    {std::string("\0", 1), errc::malformed, "not JSON"},
    {std::string{trade_fixture} + "x", errc::malformed, "not JSON"},
    {std::string{trade_fixture} + std::string{trade_fixture}, errc::malformed,
     "not JSON"},
    {truncated, errc::malformed, "not JSON"},
    {raw_nul, errc::malformed, "not JSON"},
    {nested, errc::malformed, "not JSON"},
    {"\xff\xfe{}", errc::malformed, "not JSON"},
  });
}

TEST(SimulatorParse, FailuresLeaveTheBatchAsItWas) {
  event_batch out;
  ASSERT_TRUE(parse_frame(trade_fixture, test_symbols(), 1, out));
  EXPECT_FALSE(parse_frame("{", test_symbols(), 1, out));
  EXPECT_FALSE(parse_frame(without(bar_fixture, "v"), test_symbols(), 1, out));
  // The reused document does not leak the previous frame into the next.
  EXPECT_FALSE(parse_frame("[]", test_symbols(), 1, out));
  EXPECT_EQ(out.trades.size(), 1u);
  EXPECT_TRUE(out.bars.empty());
}

TEST(SimulatorParse, FramesSkipAndCountWhatDoesNotParse) {
  std::string trade2{trade_fixture};
  trade2.replace(trade2.find("\"t\":17"), 6, "\"t\":18");
  const std::string unknown = R"({"e":"trade","s":"NOPEUSDT","t":1,"p":"1",)"
                              R"("q":"1","m":true,"T":1})";
  struct row {
    const char* name;
    std::vector<std::string> frames;
    size_t trades, bars, rejected;
    errc first; // meaningful when rejected > 0
  };
  const std::vector<row> rows{
    {"none", {}, 0, 0, 0, errc::malformed},
    {"all good, in order",
     {std::string{trade_fixture}, std::string{bar_fixture}, trade2}, 2, 1, 0,
     errc::malformed},
    {"garbage between good frames",
     {std::string{trade_fixture}, "{not json", trade2}, 2, 0, 1, errc::malformed},
    {"the first error is kept",
     {unknown, std::string{trade_fixture}, "", without(bar_fixture, "v")}, 1, 0,
     3, errc::unknown_symbol},
    {"nothing parses", {"[]", "{"}, 0, 0, 2, errc::malformed},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    event_batch out;
    auto tally = parse_frames(r.frames, test_symbols(), 7, out);
    EXPECT_EQ(out.trades.size(), r.trades);
    EXPECT_EQ(out.bars.size(), r.bars);
    EXPECT_EQ(tally.rejected, r.rejected);
    if (r.rejected > 0) {
      EXPECT_EQ(tally.first_error.code, r.first);
    }
    for (size_t i = 1; i < out.trades.size(); ++i)
      EXPECT_LT(std::stoull(out.trades[i - 1].trade_id),
                std::stoull(out.trades[i].trade_id));
    for (auto& t : out.trades)
      EXPECT_EQ(t.ts_recv_ns, 7);
  }
}

} // namespace
} // namespace tickflow::simulator
