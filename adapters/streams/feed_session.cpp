#include "adapters/streams/feed_session.hpp"

#include <algorithm>
#include <utility>

namespace tickflow {

namespace {

std::string seconds_text(int64_t ns) {
  return std::to_string(ns / 1'000'000'000) + "."
         + std::to_string((ns / 100'000'000) % 10) + "s";
}

void append(event_batch& into, event_batch&& from) {
  auto move_all = [](auto& dst, auto& src) {
    if (dst.empty())
      dst = std::move(src);
    else
      for (auto& x : src)
        dst.push_back(std::move(x));
  };
  move_all(into.trades, from.trades);
  move_all(into.quotes, from.quotes);
  move_all(into.bars, from.bars);
  move_all(into.statuses, from.statuses);
}

/// Keeps what falls inside the gap: a REST answer may reach further back
/// (Binance /api/v3/trades returns the newest trades), and what came before
/// the subscription is no part of this feed.
void clip_to_gap(event_batch& b, int64_t from_ns, int64_t to_ns) {
  auto outside = [&](int64_t t) { return t < from_ns || t > to_ns; };
  b.trades.erase(std::remove_if(b.trades.begin(), b.trades.end(),
                                [&](const trade& x) { return outside(x.ts_event_ns); }),
                 b.trades.end());
  b.quotes.erase(std::remove_if(b.quotes.begin(), b.quotes.end(),
                                [&](const quote& x) { return outside(x.ts_event_ns); }),
                 b.quotes.end());
  b.bars.erase(std::remove_if(b.bars.begin(), b.bars.end(),
                              [&](const bar& x) { return outside(x.open_time_ns); }),
               b.bars.end());
}

std::string gap_text(const feed_gap& g) {
  return g.sub.instrument + " " + std::string{to_string(g.sub.kind)};
}

} // namespace

// -- the session ---------------------------------------------------------------------

feed_session::feed_session(std::unique_ptr<stream_protocol> proto,
                           stream_connection_spec spec, credentials cred,
                           bool can_backfill)
  : proto_(std::move(proto)),
    spec_(std::move(spec)),
    cred_(std::move(cred)),
    can_backfill_(can_backfill),
    backoff_(spec_.settings.reconnect_min_ns, spec_.settings.reconnect_max_ns, spec_.seed),
    watchdog_(spec_.settings.stale_after_ns) {
  for (auto& t : spec_.topics)
    subs_.push_back(subscription_of(t));
  health_.provider = spec_.settings.name;
  health_.connection = spec_.connection;
  health_.subscriptions = subs_.size();
}

void feed_session::log(feed::note::level l, std::string text, bool throttled) {
  act(feed::note{l, std::move(text), throttled});
}

feed_status feed_session::status(feed_state s, int64_t gap_start, int64_t gap_end,
                                 std::string reason, int64_t now_ns) const {
  feed_status x;
  x.source = proto_->id();
  x.connection = spec_.connection;
  x.state = s;
  x.gap_start_ns = gap_start;
  x.gap_end_ns = gap_end;
  x.reason = std::move(reason);
  x.ts_ns = now_ns;
  return x;
}

void feed_session::emit(feed_status s) {
  log(feed::note::level::info, std::string{to_string(s.state)} + " " + s.reason);
  pending_.statuses.push_back(std::move(s));
}

int64_t feed_session::watch_period_ns() const noexcept {
  // The watchdog looks a few times per stale period.
  return std::max<int64_t>(spec_.settings.stale_after_ns / 4, 10'000'000);
}

// -- the connection ------------------------------------------------------------------

void feed_session::start() {
  if (spec_.settings.stale_after_ns > 0)
    act(feed::wake{feed::timer::watch, watch_period_ns(), 0, 0});
  connect();
}

void feed_session::connect() {
  auto gen = ++generation_;
  now_ = phase::connecting;
  if (!refused_)
    health_.state = "connecting";
  std::vector<std::string> secrets;
  if (!cred_.api_key.empty())
    secrets.push_back(cred_.api_key);
  auto path = proto_->path(cred_, secrets);
  act(feed::open{gen, spec_.settings.url + path, std::move(secrets)});
}

void feed_session::on_connect_due(uint64_t generation) {
  if (generation == generation_ && now_ == phase::waiting)
    connect();
}

void feed_session::on_opened(uint64_t generation, int64_t now_ns) {
  if (generation != generation_)
    return;
  now_ = phase::up;
  if (!refused_)
    health_.state = "up";
  health_.connected_since_ns = now_ns;
  data_since_open_ = false;
  degraded_ = false;
  watchdog_.on_connect(now_ns);
  pacer_.emplace(proto_->max_outgoing_per_second());
  outbox_.clear();
  head_slot_ns_ = 0;
  for (auto& f : proto_->on_open(cred_))
    outbox_.push_back(std::move(f));
  if (auto frames = proto_->subscribe(subs_, next_id_))
    for (auto& f : *frames)
      outbox_.push_back(std::move(f));
  else
    log(feed::note::level::error, "cannot subscribe: " + frames.err().message());
  pump(now_ns);
  if (ever_connected_) {
    health_.reconnects += 1;
    gap_open_ = true;
    act(feed::wake{feed::timer::settle, settle_delay_ns, generation, 0});
    emit(status(feed_state::reconnected, down_since_ns_, now_ns,
                std::to_string(subs_.size()) + " subscription(s) restored", now_ns));
  } else {
    emit(status(feed_state::connected, 0, 0,
                std::to_string(subs_.size()) + " subscription(s)", now_ns));
  }
  ever_connected_ = true;
  if (auto age = spec_.settings.max_connection_age_ns; age > 0)
    act(feed::wake{feed::timer::age, age, generation, 0});
}

/// Sends queued frames as the pacer allows.
void feed_session::pump(int64_t now_ns) {
  while (!outbox_.empty()) {
    if (now_ != phase::up)
      return;
    if (head_slot_ns_ == 0)
      head_slot_ns_ = pacer_->when(now_ns);
    if (head_slot_ns_ > now_ns) {
      if (!pace_armed_) {
        pace_armed_ = true;
        act(feed::wake{feed::timer::pace, head_slot_ns_ - now_ns, 0, 0});
      }
      return;
    }
    act(feed::send{std::move(outbox_.front())});
    outbox_.pop_front();
    head_slot_ns_ = 0;
    health_.sent += 1;
  }
}

void feed_session::on_pace(int64_t now_ns) {
  pace_armed_ = false;
  pump(now_ns);
}

void feed_session::on_frame(uint64_t generation, std::string_view text, int64_t recv_ns) {
  if (generation != generation_)
    return;
  health_.frames += 1;
  stream_frame out;
  auto ok = proto_->parse(text, recv_ns, out);
  if (!ok) {
    health_.malformed += 1;
    totals_.rejected += 1;
    log(feed::note::level::warn, "skipped frame: " + ok.err().message(), true);
  }
  for (auto& reply : out.replies)
    outbox_.push_back(std::move(reply));
  // Replies go out through the pacer at once, on a timer that reads the
  // clock (the receive time may lag it: a pace slot must never be early).
  if (!out.replies.empty() && !pace_armed_) {
    pace_armed_ = true;
    act(feed::wake{feed::timer::pace, 0, 0, 0});
  }
  if (out.auth_failed) {
    refused_ = true;
    health_.state = "auth_failed";
    health_.last_error = "auth failed: " + out.control;
    log(feed::note::level::error,
        "the provider refused the credentials (" + out.control + ")");
    act(feed::close{1000, "auth failed"});
    return;
  }
  if (!out.control.empty())
    log(feed::note::level::debug, out.control);
  // Accepted now: data flows, or the provider said so (Polygon auth_success).
  if (refused_ && (!out.events.empty()
                   || out.control.find("auth_success") != std::string::npos)) {
    refused_ = false;
    health_.state = "up";
  }
  auto n = out.events.size();
  if (n == 0) {
    watchdog_.on_heartbeat(recv_ns);
    return;
  }
  watchdog_.on_message(recv_ns);
  if (!data_since_open_) {
    data_since_open_ = true;
    backoff_.reset(); // the connection delivers: the next loss starts over
  }
  if (degraded_) {
    degraded_ = false;
    health_.state = "up";
  }
  close_reconnect_gap(recv_ns);
  totals_.batches_in += 1;
  totals_.events_in += n;
  auto gaps = continuity_.on_live(subs_, out.events);
  health_.events += out.events.size();
  if (!gaps.empty())
    on_gaps(std::move(gaps));
  append(pending_, std::move(out.events));
}

void feed_session::on_binary(uint64_t generation, size_t bytes, int64_t now_ns) {
  if (generation != generation_)
    return;
  health_.binary += 1;
  watchdog_.on_heartbeat(now_ns);
  log(feed::note::level::warn,
      "skipped a binary frame of " + std::to_string(bytes) + " bytes", true);
}

void feed_session::on_oversize(uint64_t generation, size_t bytes, int64_t now_ns) {
  if (generation != generation_)
    return;
  health_.oversize += 1;
  watchdog_.on_heartbeat(now_ns);
  log(feed::note::level::warn,
      "skipped a frame of " + std::to_string(bytes) + " bytes over max-frame-bytes "
        + std::to_string(spec_.settings.max_frame_bytes),
      true);
}

void feed_session::on_alive(uint64_t generation, int64_t at_ns) {
  if (generation == generation_)
    watchdog_.on_heartbeat(at_ns);
}

void feed_session::on_closed(uint64_t generation, const std::string& why, int64_t now_ns) {
  if (generation == generation_)
    lost(why, now_ns);
}

/// The connection is gone: report it and schedule the next attempt.
void feed_session::lost(const std::string& why, int64_t now_ns) {
  bool was_up = now_ == phase::up;
  now_ = phase::waiting;
  act(feed::drop{});
  outbox_.clear();
  head_slot_ns_ = 0;
  health_.connected_since_ns = 0;
  if (!refused_) {
    health_.last_error = why;
    health_.state = "down";
  }
  if (was_up) {
    // The gap starts at the last sign of life on this connection, unless
    // the previous gap was still open (no data since the last reconnect).
    if (!gap_open_) {
      auto last = watchdog_.last_seen_ns();
      down_since_ns_ = last > 0 ? last : now_ns;
    }
    emit(status(feed_state::disconnected, down_since_ns_, 0, why, now_ns));
  } else if (down_since_ns_ == 0) {
    down_since_ns_ = now_ns;
  }
  int64_t delay = backoff_.next();
  if (planned_) {
    planned_ = false;
    backoff_.reset();
    delay = 0;
  }
  log(feed::note::level::warn, "connection lost (" + why + "): reconnect #"
                                 + std::to_string(backoff_.attempts()) + " in "
                                 + std::to_string(delay / 1'000'000) + " ms");
  act(feed::wake{feed::timer::connect, delay, generation_, 0});
}

void feed_session::on_watch(int64_t now_ns) {
  act(feed::wake{feed::timer::watch, watch_period_ns(), 0, 0});
  if (now_ != phase::up || degraded_ || subs_.empty() || !watchdog_.stale(now_ns))
    return;
  degraded_ = true;
  health_.state = "degraded";
  auto last = watchdog_.last_seen_ns();
  emit(status(feed_state::degraded, last, 0, "no message for " + seconds_text(now_ns - last),
              now_ns));
  // Reconnect at once: a silent subscribed feed is presumed dead.
  planned_ = true;
  act(feed::close{1000, "stale"});
}

void feed_session::on_age(uint64_t generation) {
  if (generation != generation_ || now_ != phase::up)
    return;
  log(feed::note::level::info, "max connection age reached: reconnecting");
  planned_ = true;
  act(feed::close{1000, "max connection age"});
}

void feed_session::on_settle(uint64_t generation, int64_t now_ns) {
  if (generation == generation_ && now_ == phase::up)
    close_reconnect_gap(now_ns);
}

// -- subscriptions -------------------------------------------------------------------

result<uint64_t> feed_session::change_subscriptions(std::string_view topics, bool add,
                                                    int64_t now_ns) {
  auto parsed = parse_stream_topics(topics);
  if (!parsed)
    return error{errc::invalid_argument, parsed.err().context};
  std::vector<stream_subscription> changed;
  for (auto& t : *parsed) {
    auto sub = subscription_of(t);
    auto at = std::find(subs_.begin(), subs_.end(), sub);
    if (add == (at != subs_.end()))
      continue; // already (un)subscribed
    changed.push_back(sub);
  }
  if (changed.empty())
    return static_cast<uint64_t>(subs_.size());
  if (add && subs_.size() + changed.size() > proto_->max_streams_per_connection())
    return error{errc::invalid_argument,
                 spec_.connection + ": at most "
                   + std::to_string(proto_->max_streams_per_connection())
                   + " streams per connection"};
  auto frames = add ? proto_->subscribe(changed, next_id_)
                    : proto_->unsubscribe(changed, next_id_);
  if (!frames)
    return error{errc::invalid_argument, frames.err().message()};
  for (auto& sub : changed) {
    if (add)
      subs_.push_back(sub);
    else
      subs_.erase(std::find(subs_.begin(), subs_.end(), sub));
  }
  health_.subscriptions = subs_.size();
  if (now_ == phase::up) { // otherwise the next open subscribes to subs_
    for (auto& f : *frames)
      outbox_.push_back(std::move(f));
    pump(now_ns);
  }
  log(feed::note::level::info, std::string{add ? "added " : "removed "}
                                 + std::to_string(changed.size()) + " subscription(s), "
                                 + std::to_string(subs_.size()) + " now");
  return static_cast<uint64_t>(subs_.size());
}

// -- gaps and backfill ---------------------------------------------------------------

/// Closes a reconnect gap: from the last sign of life to `up_ns` (plus a
/// margin for clock skew), once per subscription that had data.
void feed_session::close_reconnect_gap(int64_t up_ns) {
  if (!gap_open_)
    return;
  gap_open_ = false;
  on_gaps(continuity_.on_reconnect(subs_, down_since_ns_, up_ns + clock_margin_ns));
}

/// Counts the gaps and asks for each.
void feed_session::on_gaps(std::vector<feed_gap> gaps) {
  for (auto& g : gaps) {
    health_.gaps += 1;
    if (!can_backfill_) {
      log(feed::note::level::warn,
          "gap in " + gap_text(g) + " not recovered (" + g.why + "): no backfill", true);
      continue;
    }
    request_backfill(std::move(g), 1, 1);
  }
}

void feed_session::request_backfill(feed_gap gap, int attempt, int page) {
  auto req = proto_->backfill(gap.sub, gap.from_ns, gap.to_ns);
  if (!req) {
    log(feed::note::level::warn,
        "gap in " + gap_text(gap) + " not recoverable over REST (" + gap.why + ")");
    return;
  }
  health_.backfill_requests += 1;
  auto ticket = ++next_ticket_;
  backfills_[ticket] = backfill_job{std::move(gap), attempt, page, *req};
  act(feed::fetch{ticket, std::move(*req)});
}

/// Where the next page of a gap starts when an answer was a full page that
/// ended inside the gap (a provider caps each answer: Binance 1000 rows), or
/// nullopt when the gap is covered. Only answers that honour the start time
/// can be continued: Binance /api/v3/trades always serves the newest trades.
std::optional<int64_t> feed_session::next_page_start(const fetch_request& req,
                                                     const fetch_result& page,
                                                     int64_t to_ns) const {
  if (req.limit == 0 || !proto_->backfill_pages(req))
    return std::nullopt;
  size_t rows = page.trades.size() + page.quotes.size() + page.bars.size();
  if (rows < req.limit)
    return std::nullopt;
  int64_t newest = 0;
  for (auto& x : page.trades)
    newest = std::max(newest, x.ts_event_ns);
  for (auto& x : page.quotes)
    newest = std::max(newest, x.ts_event_ns);
  for (auto& x : page.bars)
    newest = std::max(newest, x.open_time_ns);
  // No progress (a page of one instant) or past the gap: stop.
  if (newest <= req.start_ns || newest >= to_ns)
    return std::nullopt;
  return newest;
}

void feed_session::on_backfill_page(uint64_t ticket, fetch_result page, int64_t now_ns) {
  auto i = backfills_.find(ticket);
  if (i == backfills_.end())
    return;
  auto job = std::move(i->second);
  backfills_.erase(i);
  auto& gap = job.gap;
  auto next = next_page_start(job.request, page, gap.to_ns);
  event_batch b;
  b.trades = std::move(page.trades);
  b.quotes = std::move(page.quotes);
  b.bars = std::move(page.bars);
  clip_to_gap(b, gap.from_ns, gap.to_ns);
  continuity_.on_backfill(b);
  health_.backfilled += b.size();
  totals_.events_in += b.size();
  auto recovered = status(feed_state::backfilled, gap.from_ns, gap.to_ns,
                          gap_text(gap) + ": " + std::to_string(b.size())
                            + " event(s) recovered (" + gap.why + ")",
                          now_ns);
  log(feed::note::level::info, recovered.reason);
  b.statuses.push_back(std::move(recovered));
  append(pending_, std::move(b));
  if (!next)
    return;
  // A full page that ended inside the gap: ask for the rest.
  if (job.page >= backfill_max_pages) {
    log(feed::note::level::warn,
        "gap in " + gap_text(gap) + " recovered in part: " + std::to_string(job.page)
          + " pages, the rest from " + std::to_string(*next) + " on is lost");
    return;
  }
  auto rest = std::move(gap);
  rest.from_ns = *next;
  request_backfill(std::move(rest), 1, job.page + 1);
}

void feed_session::on_backfill_failed(uint64_t ticket, const std::string& why,
                                      int64_t retry_after_ns) {
  auto i = backfills_.find(ticket);
  if (i == backfills_.end())
    return;
  auto& job = i->second;
  health_.backfill_failures += 1;
  log(feed::note::level::warn, "backfill of " + gap_text(job.gap) + " failed (attempt "
                                 + std::to_string(job.attempt) + "): " + why);
  if (job.attempt >= backfill_attempts) {
    backfills_.erase(i);
    return;
  }
  // Kept under its ticket until the retry timer fires.
  auto delay = std::max<int64_t>(retry_after_ns, int64_t{1'000'000'000} * job.attempt);
  job.attempt += 1;
  act(feed::wake{feed::timer::retry, delay, 0, ticket});
}

void feed_session::on_backfill_retry(uint64_t ticket) {
  auto i = backfills_.find(ticket);
  if (i == backfills_.end())
    return;
  auto job = std::move(i->second);
  backfills_.erase(i);
  request_backfill(std::move(job.gap), job.attempt, job.page);
}

// -- results -------------------------------------------------------------------------

std::vector<feed_action> feed_session::take_actions() {
  return std::exchange(actions_, {});
}

event_batch feed_session::take_events() {
  return std::exchange(pending_, event_batch{});
}

size_t feed_session::trim_pending() {
  auto n = pending_.size();
  if (n <= max_pending_events)
    return 0;
  // Drop the newest beyond the bound, keep order and statuses.
  auto excess = n - max_pending_events;
  auto cut = [&](auto& xs) {
    auto k = std::min(excess, xs.size());
    xs.resize(xs.size() - k);
    excess -= k;
  };
  cut(pending_.quotes);
  cut(pending_.bars);
  cut(pending_.trades);
  auto dropped = n - pending_.size();
  totals_.dropped += dropped;
  health_.dropped += dropped;
  return dropped;
}

stream_health feed_session::health() const {
  auto h = health_;
  h.duplicates = continuity_.dropped();
  h.last_message_ns = watchdog_.last_seen_ns();
  return h;
}

} // namespace tickflow
