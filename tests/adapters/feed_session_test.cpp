// The feed session (adapters/streams/feed_session) without sockets: a toy
// dialect, time as a parameter, and the actions checked one call at a time.
// A full life cycle (connect, paced subscriptions, a drop, backoff, the
// reconnect gap recovered over two REST pages with a retry), the watchdog,
// the max connection age, refused credentials, run-time subscriptions and
// the bound on pending events.

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/streams/feed_session.hpp"

using namespace tickflow;

namespace {

constexpr int64_t ms = 1'000'000;
constexpr int64_t sec = 1'000'000'000;
constexpr int64_t t0 = 1'700'000'000 * sec;

/// A toy dialect. Frames: "trade <instrument> <id> <ts_ns>", "burst
/// <instrument> <from> <to> <ts_ns>" (many trades), "ping", "pong-me" (asks
/// for a reply), "auth-fail"; anything else is malformed. Three streams per
/// connection, five frames a second, backfill pages of two trades.
struct toy_protocol final : stream_protocol {
  provider id() const noexcept override { return provider{}; }
  std::string path(const credentials& cred, std::vector<std::string>&) const override {
    return cred.api_key.empty() ? "/stream" : "/stream?key=" + cred.api_key;
  }
  std::vector<std::string> on_open(const credentials& cred) const override {
    if (cred.api_key.empty())
      return {};
    return {"auth"};
  }
  result<std::vector<std::string>> subscribe(const std::vector<stream_subscription>& subs,
                                             uint64_t& next_id) const override {
    return frames("sub", subs, next_id);
  }
  result<std::vector<std::string>> unsubscribe(const std::vector<stream_subscription>& subs,
                                               uint64_t& next_id) const override {
    return frames("unsub", subs, next_id);
  }
  size_t max_streams_per_connection() const noexcept override { return 3; }
  double max_outgoing_per_second() const noexcept override { return 5; }
  result<void> parse(std::string_view frame, int64_t recv_ns,
                     stream_frame& out) const override {
    auto words = split(frame);
    if (words.size() == 1 && words[0] == "ping") {
      out.heartbeat = true;
      return {};
    }
    if (words.size() == 1 && words[0] == "pong-me") {
      out.replies.push_back("pong");
      out.heartbeat = true;
      return {};
    }
    if (words.size() == 1 && words[0] == "auth-fail") {
      out.auth_failed = true;
      out.control = "bad key";
      return {};
    }
    if (words.size() == 4 && words[0] == "trade") {
      out.events.trades.push_back(
        make_trade(words[1], std::stoll(words[2]), std::stoll(words[3]), recv_ns));
      return {};
    }
    if (words.size() == 5 && words[0] == "burst") {
      for (auto i = std::stoll(words[2]); i <= std::stoll(words[3]); ++i)
        out.events.trades.push_back(make_trade(words[1], i, std::stoll(words[4]), recv_ns));
      return {};
    }
    return error{errc::malformed, std::string{frame}};
  }
  std::optional<fetch_request> backfill(const stream_subscription& sub, int64_t from_ns,
                                        int64_t to_ns) const override {
    fetch_request r;
    r.kind = fetch_kind::trades;
    r.instrument = sub.instrument;
    r.start_ns = from_ns;
    r.end_ns = to_ns;
    r.limit = 2;
    return r;
  }

  static trade make_trade(std::string instrument, int64_t id, int64_t ts_ns,
                          int64_t recv_ns) {
    trade t;
    t.instrument = std::move(instrument);
    t.trade_id = std::to_string(id);
    t.ts_event_ns = ts_ns;
    t.ts_recv_ns = recv_ns;
    return t;
  }

  static std::vector<std::string> split(std::string_view s) {
    std::vector<std::string> out;
    std::string word;
    for (char c : s) {
      if (c == ' ') {
        out.push_back(word);
        word.clear();
      } else {
        word += c;
      }
    }
    out.push_back(word);
    return out;
  }

  static result<std::vector<std::string>> frames(const std::string& verb,
                                                 const std::vector<stream_subscription>& subs,
                                                 uint64_t& next_id) {
    std::vector<std::string> out;
    for (auto& s : subs) {
      if (s.instrument == "BAD-USD")
        return error{errc::unknown_symbol, s.instrument};
      out.push_back(verb + " " + s.instrument + " " + std::to_string(next_id++));
    }
    return out;
  }
};

stream_connection_spec toy_spec() {
  stream_connection_spec spec;
  spec.settings.name = "toy";
  spec.settings.url = "ws://feed";
  spec.settings.reconnect_min_ns = 1 * sec;
  spec.settings.reconnect_max_ns = 8 * sec;
  spec.settings.stale_after_ns = 4 * sec;
  spec.connection = "toy#0";
  spec.topics = {stream_topic{"A-USD", stream_topic_kind::trades, interval::m1},
                 stream_topic{"B-USD", stream_topic_kind::trades, interval::m1}};
  spec.seed = 7;
  return spec;
}

feed_session make_session(stream_connection_spec spec = toy_spec(), credentials cred = {},
                          bool backfill = true) {
  return feed_session{std::make_unique<toy_protocol>(), std::move(spec), std::move(cred),
                      backfill};
}

/// The actions of type T among `xs`, in order.
template <class T>
std::vector<T> only(const std::vector<feed_action>& xs) {
  std::vector<T> out;
  for (auto& x : xs)
    if (auto* y = std::get_if<T>(&x))
      out.push_back(*y);
  return out;
}

std::vector<std::string> sent(const std::vector<feed_action>& xs) {
  std::vector<std::string> out;
  for (auto& s : only<feed::send>(xs))
    out.push_back(s.text);
  return out;
}

/// The one timer of kind `what` among `xs` (fails if there is not exactly one).
feed::wake timer_of(const std::vector<feed_action>& xs, feed::timer what) {
  std::vector<feed::wake> found;
  for (auto& w : only<feed::wake>(xs))
    if (w.what == what)
      found.push_back(w);
  EXPECT_EQ(found.size(), 1u);
  return found.empty() ? feed::wake{} : found.front();
}

std::string trade_frame(const std::string& instrument, int id, int64_t ts_ns) {
  return "trade " + instrument + " " + std::to_string(id) + " " + std::to_string(ts_ns);
}

std::vector<feed_state> states(const event_batch& b) {
  std::vector<feed_state> out;
  for (auto& s : b.statuses)
    out.push_back(s.state);
  return out;
}

/// Starts `s` and opens its first connection at `at`; the actions of the open.
std::vector<feed_action> connect(feed_session& s, int64_t at) {
  s.start();
  auto opened = only<feed::open>(s.take_actions());
  EXPECT_EQ(opened.size(), 1u);
  s.on_opened(opened.empty() ? 0 : opened[0].generation, at);
  return s.take_actions();
}

} // namespace

// -- the whole life cycle --------------------------------------------------------------

TEST(FeedSession, ConnectDropReconnectAndBackfillTheGapPageByPage) {
  auto s = make_session();
  // Start: the watchdog's timer, then the first connection.
  s.start();
  auto a = s.take_actions();
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(timer_of(a, feed::timer::watch).delay_ns, 1 * sec);
  auto open1 = only<feed::open>(a).at(0);
  EXPECT_EQ(open1.generation, 1u);
  EXPECT_EQ(open1.url, "ws://feed/stream");
  EXPECT_EQ(s.health().state, "connecting");

  // Open: the first subscription goes at once, the next 200 ms later.
  s.on_opened(1, t0);
  a = s.take_actions();
  EXPECT_EQ(sent(a), std::vector<std::string>{"sub A-USD 1"});
  EXPECT_EQ(timer_of(a, feed::timer::pace).delay_ns, 200 * ms);
  s.on_pace(t0 + 150 * ms); // early: waits for its slot
  EXPECT_TRUE(sent(s.take_actions()).empty());
  s.on_pace(t0 + 200 * ms);
  EXPECT_EQ(sent(s.take_actions()), std::vector<std::string>{"sub B-USD 2"});
  auto ev = s.take_events();
  ASSERT_EQ(states(ev), std::vector<feed_state>{feed_state::connected});
  EXPECT_EQ(ev.statuses[0].reason, "2 subscription(s)");
  EXPECT_EQ(ev.statuses[0].connection, "toy#0");
  EXPECT_EQ(ev.statuses[0].ts_ns, t0);

  // Data flows.
  s.on_frame(1, trade_frame("A-USD", 1, t0 + 900 * ms), t0 + 1 * sec);
  ev = s.take_events();
  ASSERT_EQ(ev.trades.size(), 1u);
  EXPECT_EQ(ev.trades[0].trade_id, "1");

  // The connection drops: disconnected from the last sign of life, and a
  // reconnect after the first backoff delay (1 s: min, no jitter yet).
  s.on_closed(1, "closed 1006", t0 + 3 * sec);
  a = s.take_actions();
  EXPECT_EQ(only<feed::drop>(a).size(), 1u);
  auto retry = timer_of(a, feed::timer::connect);
  EXPECT_EQ(retry.delay_ns, 1 * sec);
  EXPECT_EQ(retry.generation, 1u);
  ev = s.take_events();
  ASSERT_EQ(states(ev), std::vector<feed_state>{feed_state::disconnected});
  EXPECT_EQ(ev.statuses[0].gap_start_ns, t0 + 1 * sec);
  EXPECT_EQ(ev.statuses[0].reason, "closed 1006");
  EXPECT_EQ(s.health().state, "down");

  // The next attempt fails before opening: no status, a longer delay.
  s.on_connect_due(1);
  auto open2 = only<feed::open>(s.take_actions()).at(0);
  EXPECT_EQ(open2.generation, 2u);
  s.on_closed(2, "refused", t0 + 4 * sec);
  retry = timer_of(s.take_actions(), feed::timer::connect);
  EXPECT_GE(retry.delay_ns, 1 * sec);
  EXPECT_LE(retry.delay_ns, 2 * sec);
  EXPECT_TRUE(s.take_events().empty());
  s.on_connect_due(1); // an old timer: ignored
  EXPECT_TRUE(s.take_actions().empty());

  // Back: subscriptions restored, the gap reported, a settle timer.
  s.on_connect_due(2);
  s.on_opened(3, t0 + 6 * sec);
  a = s.take_actions();
  EXPECT_EQ(sent(a), std::vector<std::string>{"sub A-USD 3"});
  EXPECT_EQ(timer_of(a, feed::timer::settle).delay_ns, feed_session::settle_delay_ns);
  ev = s.take_events();
  ASSERT_EQ(states(ev), std::vector<feed_state>{feed_state::reconnected});
  EXPECT_EQ(ev.statuses[0].gap_start_ns, t0 + 1 * sec);
  EXPECT_EQ(ev.statuses[0].gap_end_ns, t0 + 6 * sec);
  EXPECT_EQ(ev.statuses[0].reason, "2 subscription(s) restored");
  s.on_frame(1, trade_frame("A-USD", 99, t0), t0 + 6 * sec); // the old connection: ignored
  EXPECT_TRUE(s.take_events().empty());

  // The first data closes the gap: one page asked for the subscription
  // that had data, from its last trade to now plus the clock margin.
  s.on_frame(3, trade_frame("A-USD", 7, t0 + 6400 * ms), t0 + 6500 * ms);
  auto page1 = only<feed::fetch>(s.take_actions());
  ASSERT_EQ(page1.size(), 1u);
  EXPECT_EQ(page1[0].request.instrument, "A-USD");
  EXPECT_EQ(page1[0].request.start_ns, t0 + 900 * ms);
  EXPECT_EQ(page1[0].request.end_ns, t0 + 6500 * ms + feed_session::clock_margin_ns);
  EXPECT_EQ(s.take_events().trades.size(), 1u);

  // A full page (2 rows) ending inside the gap: recovered, the rest asked.
  fetch_result r1;
  r1.trades = {toy_protocol::make_trade("A-USD", 1, t0 + 900 * ms, 0), // passed already
               toy_protocol::make_trade("A-USD", 2, t0 + 2 * sec, 0)};
  s.on_backfill_page(page1[0].ticket, r1, t0 + 7 * sec);
  ev = s.take_events();
  ASSERT_EQ(ev.trades.size(), 1u);
  EXPECT_EQ(ev.trades[0].trade_id, "2");
  EXPECT_NE(ev.trades[0].flags & quality_backfilled, 0u);
  ASSERT_EQ(states(ev), std::vector<feed_state>{feed_state::backfilled});
  EXPECT_EQ(ev.statuses[0].gap_start_ns, t0 + 900 * ms);
  auto page2 = only<feed::fetch>(s.take_actions());
  ASSERT_EQ(page2.size(), 1u);
  EXPECT_EQ(page2[0].request.start_ns, t0 + 2 * sec);

  // It fails once (retried after 1 s, the same page), then answers the rest.
  s.on_backfill_failed(page2[0].ticket, "unavailable: timeout", 0);
  retry = timer_of(s.take_actions(), feed::timer::retry);
  EXPECT_EQ(retry.delay_ns, 1 * sec);
  s.on_backfill_retry(retry.ticket);
  auto page2b = only<feed::fetch>(s.take_actions());
  ASSERT_EQ(page2b.size(), 1u);
  EXPECT_EQ(page2b[0].request.start_ns, t0 + 2 * sec);
  fetch_result r2;
  r2.trades = {toy_protocol::make_trade("A-USD", 3, t0 + 3 * sec, 0)};
  s.on_backfill_page(page2b[0].ticket, r2, t0 + 9 * sec);
  EXPECT_TRUE(only<feed::fetch>(s.take_actions()).empty()); // a short page: done
  ev = s.take_events();
  ASSERT_EQ(ev.trades.size(), 1u);
  ASSERT_EQ(states(ev), std::vector<feed_state>{feed_state::backfilled});
  EXPECT_EQ(ev.statuses[0].reason, "A-USD trades: 1 event(s) recovered (disconnected for 7500 ms)");

  auto h = s.health();
  EXPECT_EQ(h.state, "up");
  EXPECT_EQ(h.reconnects, 1u);
  EXPECT_EQ(h.gaps, 1u);
  EXPECT_EQ(h.backfill_requests, 3u);
  EXPECT_EQ(h.backfill_failures, 1u);
  EXPECT_EQ(h.backfilled, 2u);
  EXPECT_EQ(h.duplicates, 1u);
  EXPECT_EQ(h.frames, 2u); // the old connection's frame is not counted
  EXPECT_EQ(h.sent, 3u);
  EXPECT_EQ(s.totals().events_in, 4u); // two live, two recovered
}

TEST(FeedSession, BackfillGivesUpAfterThreeAttempts) {
  auto s = make_session();
  connect(s, t0);
  s.on_frame(1, trade_frame("A-USD", 1, t0), t0);
  s.on_closed(1, "closed", t0 + 1 * sec);
  s.take_actions();
  s.on_connect_due(1);
  s.on_opened(2, t0 + 2 * sec);
  s.on_settle(2, t0 + 4 * sec); // a quiet feed: the gap closes on the timer
  auto f = only<feed::fetch>(s.take_actions());
  ASSERT_EQ(f.size(), 1u);
  uint64_t ticket = f[0].ticket;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    s.on_backfill_failed(ticket, "rate_limited", 5 * sec);
    auto a = s.take_actions();
    if (attempt == 3) {
      EXPECT_TRUE(only<feed::wake>(a).empty());
      break;
    }
    auto w = timer_of(a, feed::timer::retry);
    EXPECT_EQ(w.delay_ns, 5 * sec); // Retry-After beats 1 s * attempt
    s.on_backfill_retry(w.ticket);
    ticket = only<feed::fetch>(s.take_actions()).at(0).ticket;
  }
  EXPECT_EQ(s.health().backfill_failures, 3u);
  s.take_events();
  s.on_backfill_page(ticket, fetch_result{}, t0); // too late: ignored
  EXPECT_TRUE(s.take_events().statuses.empty());
}

TEST(FeedSession, WithoutBackfillGapsAreOnlyCounted) {
  auto s = make_session(toy_spec(), {}, false);
  connect(s, t0);
  s.on_frame(1, trade_frame("A-USD", 1, t0), t0);
  s.on_closed(1, "closed", t0 + 1 * sec);
  s.on_connect_due(1);
  s.on_opened(2, t0 + 2 * sec);
  s.on_frame(2, trade_frame("A-USD", 2, t0 + 2 * sec), t0 + 2 * sec);
  auto a = s.take_actions();
  EXPECT_TRUE(only<feed::fetch>(a).empty());
  auto notes = only<feed::note>(a);
  ASSERT_FALSE(notes.empty());
  EXPECT_TRUE(notes.back().throttled);
  EXPECT_NE(notes.back().text.find("no backfill"), std::string::npos);
  EXPECT_EQ(s.health().gaps, 1u);
}

// -- backoff ---------------------------------------------------------------------------

TEST(FeedSession, BackoffGrowsWhileConnectsFailAndStartsOverOnceDataFlows) {
  auto s = make_session();
  s.start();
  s.take_actions();
  uint64_t gen = 1;
  // Ceilings 1, 2, 4, 8, 8 s (reconnect-max).
  std::vector<int64_t> ceilings{1 * sec, 2 * sec, 4 * sec, 8 * sec, 8 * sec};
  for (auto ceiling : ceilings) {
    s.on_closed(gen, "refused", t0);
    auto w = timer_of(s.take_actions(), feed::timer::connect);
    EXPECT_GE(w.delay_ns, 1 * sec);
    EXPECT_LE(w.delay_ns, ceiling);
    s.on_connect_due(w.generation);
    gen = only<feed::open>(s.take_actions()).at(0).generation;
  }
  // An open connection that delivers data resets the backoff.
  s.on_opened(gen, t0);
  s.on_frame(gen, trade_frame("A-USD", 1, t0), t0);
  s.take_actions();
  s.on_closed(gen, "closed", t0 + 1 * sec);
  EXPECT_EQ(timer_of(s.take_actions(), feed::timer::connect).delay_ns, 1 * sec);
}

// -- the watchdog and the connection age ---------------------------------------------------

TEST(FeedSession, SilenceIsDegradedAndReconnectsAtOnceButHeartbeatsKeepItAlive) {
  auto s = make_session();
  connect(s, t0);
  s.take_events();
  struct step {
    int64_t at;
    const char* input; // "ping", "watch"
    bool degraded;
  };
  // Stale after 4 s of silence; pings count as life.
  std::vector<step> steps{{3 * sec, "watch", false}, {3 * sec, "ping", false},
                          {6 * sec, "watch", false}, {7 * sec, "watch", false},
                          {7500 * ms, "watch", true}};
  for (auto& x : steps) {
    SCOPED_TRACE(x.at);
    if (std::string{x.input} == "ping")
      s.on_alive(1, t0 + x.at);
    else
      s.on_watch(t0 + x.at);
    auto a = s.take_actions();
    if (std::string{x.input} == "watch") {
      EXPECT_EQ(timer_of(a, feed::timer::watch).delay_ns, 1 * sec);
    }
    EXPECT_EQ(only<feed::close>(a).size(), x.degraded ? 1u : 0u);
  }
  auto ev = s.take_events();
  ASSERT_EQ(states(ev), std::vector<feed_state>{feed_state::degraded});
  EXPECT_EQ(ev.statuses[0].gap_start_ns, t0 + 3 * sec);
  EXPECT_EQ(ev.statuses[0].reason, "no message for 4.5s");
  EXPECT_EQ(s.health().state, "degraded");
  // A planned close: reconnect at once.
  s.on_closed(1, "stale", t0 + 8 * sec);
  EXPECT_EQ(timer_of(s.take_actions(), feed::timer::connect).delay_ns, 0);
}

TEST(FeedSession, MaxConnectionAgeReconnectsAtOnce) {
  auto spec = toy_spec();
  spec.settings.max_connection_age_ns = 23 * 3600 * sec;
  auto s = make_session(spec);
  auto a = connect(s, t0);
  auto age = timer_of(a, feed::timer::age);
  EXPECT_EQ(age.delay_ns, 23 * 3600 * sec);
  s.on_age(age.generation + 1); // not this connection's
  EXPECT_TRUE(s.take_actions().empty());
  s.on_age(age.generation);
  auto closes = only<feed::close>(s.take_actions());
  ASSERT_EQ(closes.size(), 1u);
  EXPECT_EQ(closes[0].reason, "max connection age");
  s.on_closed(age.generation, "closed 1000", t0 + 1 * sec);
  EXPECT_EQ(timer_of(s.take_actions(), feed::timer::connect).delay_ns, 0);
}

// -- frames ----------------------------------------------------------------------------

TEST(FeedSession, BadFramesAreCountedAndRepliesArePaced) {
  auto s = make_session();
  connect(s, t0);
  s.on_pace(t0 + 200 * ms);
  s.take_actions();
  s.on_frame(1, "garbage", t0 + 300 * ms);
  s.on_binary(1, 64, t0 + 300 * ms);
  s.on_oversize(1, 5000, t0 + 300 * ms);
  auto notes = only<feed::note>(s.take_actions());
  ASSERT_EQ(notes.size(), 3u);
  for (auto& n : notes)
    EXPECT_TRUE(n.throttled);
  // A reply waits for the pacer's clock.
  s.on_frame(1, "pong-me", t0 + 310 * ms);
  EXPECT_EQ(timer_of(s.take_actions(), feed::timer::pace).delay_ns, 0);
  s.on_pace(t0 + 320 * ms);
  auto a = s.take_actions();
  EXPECT_TRUE(sent(a).empty()); // "sub B-USD" went at 200 ms: the slot is at 400
  EXPECT_EQ(timer_of(a, feed::timer::pace).delay_ns, 80 * ms);
  s.on_pace(t0 + 400 * ms);
  EXPECT_EQ(sent(s.take_actions()), std::vector<std::string>{"pong"});
  auto h = s.health();
  EXPECT_EQ(h.malformed, 1u);
  EXPECT_EQ(h.binary, 1u);
  EXPECT_EQ(h.oversize, 1u);
  EXPECT_EQ(s.totals().rejected, 1u);
}

TEST(FeedSession, RefusedCredentialsShowUntilAccepted) {
  credentials cred;
  cred.api_key = "sekrit";
  auto s = make_session(toy_spec(), cred);
  s.start();
  auto open = only<feed::open>(s.take_actions()).at(0);
  EXPECT_EQ(open.url, "ws://feed/stream?key=sekrit");
  EXPECT_EQ(open.secrets, std::vector<std::string>{"sekrit"});
  s.on_opened(1, t0);
  EXPECT_EQ(sent(s.take_actions()), std::vector<std::string>{"auth"});
  s.on_frame(1, "auth-fail", t0 + 1 * sec);
  auto closes = only<feed::close>(s.take_actions());
  ASSERT_EQ(closes.size(), 1u);
  EXPECT_EQ(closes[0].reason, "auth failed");
  s.on_closed(1, "closed 1000", t0 + 2 * sec);
  auto h = s.health();
  EXPECT_EQ(h.state, "auth_failed");
  EXPECT_EQ(h.last_error, "auth failed: bad key");
  s.on_connect_due(1);
  EXPECT_EQ(s.health().state, "auth_failed");
  s.on_opened(2, t0 + 3 * sec);
  s.on_frame(2, trade_frame("A-USD", 1, t0), t0 + 3 * sec);
  EXPECT_EQ(s.health().state, "up");
}

// -- subscriptions ---------------------------------------------------------------------

TEST(FeedSession, SubscriptionsChangeAtRunTimeAndSurviveReconnects) {
  auto s = make_session();
  connect(s, t0);
  s.on_pace(t0 + 200 * ms);
  s.take_actions();
  struct row {
    const char* topics;
    bool add;
    int64_t count; // -1: refused
  };
  std::vector<row> rows{{"C-USD:trades", true, 3},
                        {"C-USD:trades", true, 3},          // already there
                        {"D-USD:trades", true, -1},         // over 3 per connection
                        {"not a topic", true, -1},
                        {"A-USD:trades", false, 2},
                        {"BAD-USD:trades", true, -1}};      // the dialect refuses it
  for (auto& r : rows) {
    SCOPED_TRACE(r.topics);
    auto n = s.change_subscriptions(r.topics, r.add, t0 + 1 * sec);
    if (r.count < 0) {
      ASSERT_FALSE(n);
      EXPECT_EQ(n.err().code, errc::invalid_argument);
    } else {
      ASSERT_TRUE(n);
      EXPECT_EQ(static_cast<int64_t>(*n), r.count);
    }
  }
  EXPECT_EQ(s.health().subscriptions, 2u);
  // Paced: "sub C-USD" at 1 s, "unsub A-USD" 200 ms later.
  auto a = s.take_actions();
  EXPECT_EQ(sent(a), std::vector<std::string>{"sub C-USD 3"});
  s.on_pace(t0 + 1200 * ms);
  EXPECT_EQ(sent(s.take_actions()), std::vector<std::string>{"unsub A-USD 4"});
  // A reconnect subscribes to the current set.
  s.on_closed(1, "closed", t0 + 2 * sec);
  s.on_connect_due(1);
  s.on_opened(2, t0 + 3 * sec);
  s.on_pace(t0 + 3200 * ms);
  auto again = sent(s.take_actions());
  EXPECT_EQ(again, (std::vector<std::string>{"sub B-USD 5", "sub C-USD 6"}));
}

// -- flow control ------------------------------------------------------------------------

TEST(FeedSession, PendingEventsAreBoundedButStatusesKept) {
  auto s = make_session();
  connect(s, t0);
  s.on_frame(1, "burst A-USD 1 100010 " + std::to_string(t0), t0);
  EXPECT_EQ(s.trim_pending(), 10u);
  auto ev = s.take_events();
  EXPECT_EQ(ev.trades.size(), feed_session::max_pending_events);
  EXPECT_EQ(ev.trades.back().trade_id, "100000"); // the newest went
  EXPECT_EQ(states(ev), std::vector<feed_state>{feed_state::connected});
  EXPECT_EQ(s.trim_pending(), 0u);
  EXPECT_EQ(s.health().dropped, 10u);
  EXPECT_EQ(s.totals().dropped, 10u);
}

// -- planning ----------------------------------------------------------------------------

TEST(FeedSession, PlanSpreadsSubscriptionsOverConnections) {
  topology topo;
  stream_settings feed = stream_defaults("binance");
  feed.name = "binance";
  for (int i = 0; i < 1100; ++i)
    feed.subscriptions.push_back(
      stream_topic{"C" + std::to_string(i) + "-USDT", stream_topic_kind::trades, interval::m1});
  topo.streams.enabled = {"binance"};
  topo.streams.feeds["binance"] = feed;
  auto plan = plan_stream_connections(topo);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].topics.size(), 1024u);
  EXPECT_EQ(plan[1].topics.size(), 76u);
  EXPECT_EQ(plan[1].connection, "binance#1");
  EXPECT_NE(plan[0].seed, plan[1].seed);
}
