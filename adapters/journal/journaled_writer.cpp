#include "adapters/journal/journaled_writer.hpp"

#include <algorithm>
#include <utility>

#include "adapters/journal/batch_codec.hpp"

namespace tickflow::journal {

namespace {

template <class T>
void append_all(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

} // namespace

journaled_writer::journaled_writer(disk_journal jr, writer_options opts)
  : jr_(std::move(jr)),
    opts_(opts),
    backoff_(opts.backoff_min_ns, opts.backoff_max_ns) {
  // nop
}

next_retry journaled_writer::start() noexcept {
  armed_ = true;
  return {next_retry::kind::now, 0};
}

journaled_writer::offer_result
journaled_writer::offer(const event_batch& b, writer_backend& server) {
  offer_result out;
  if (opts_.mode == journal_mode::on_outage) {
    if (live_ && write(server, b)) {
      counters_.written += 1;
      out.written = true;
      return out;
    }
    out.next = go_offline(server);
    append(b, server);
    return out;
  }
  auto seq = append(b, server);
  if (seq == 0 || !live_)
    return out; // offline: the replay writes it
  append_all(buf_.trades, b.trades);
  append_all(buf_.quotes, b.quotes);
  append_all(buf_.bars, b.bars);
  buf_batches_ += 1;
  buf_last_seq_ = seq;
  if (buf_.size() >= opts_.flush_events)
    out.next = flush_buffer(server);
  return out;
}

next_retry journaled_writer::retry(writer_backend& server) {
  armed_ = false;
  return step(server);
}

next_retry journaled_writer::step(writer_backend& server) {
  if (!prepared_) {
    if (auto p = server.prepare(); !p) {
      fail(p.err());
      return go_offline(server);
    }
    prepared_ = true;
  }
  if (jr_.stats().pending_records > 0) {
    bool ok = opts_.mode == journal_mode::on_outage ? replay_each(server)
                                                    : replay_merged(server);
    if (opts_.sync_after_replay)
      jr_.sync(); // best effort: the next append or sync tries again
    if (!ok)
      return go_offline(server);
    if (jr_.stats().pending_records > 0) {
      // More to replay: continue after the messages waiting in the mailbox.
      armed_ = true;
      return {next_retry::kind::now, 0};
    }
  } else if (auto p = server.probe(); !p) {
    fail(p.err());
    return go_offline(server);
  }
  if (!live_)
    server.notice({writer_event::went_live, 0, {}});
  live_ = true;
  counters_.connected = true;
  backoff_.reset();
  server.notice({writer_event::caught_up, 0, {}});
  return {};
}

next_retry journaled_writer::flush_buffer(writer_backend& server) {
  if (!live_ || buf_batches_ == 0)
    return {};
  if (!write(server, buf_))
    return go_offline(server);
  ack(buf_last_seq_, server);
  counters_.written += buf_batches_;
  clear_buffer();
  return {};
}

next_retry journaled_writer::flush(writer_backend& server) {
  return live_ ? flush_buffer(server) : step(server);
}

bool journaled_writer::write(writer_backend& server, const event_batch& b,
                             bool replay) {
  if (auto r = replay ? server.write_replay(b) : server.write(b); !r) {
    fail(r.err());
    return false;
  }
  counters_.connected = true;
  counters_.events_written += b.size();
  return true;
}

void journaled_writer::fail(const error& e) {
  counters_.failures += 1;
  counters_.last_error = e.context;
  counters_.connected = false;
}

uint64_t journaled_writer::append(const event_batch& b,
                                  writer_backend& server) {
  auto before = jr_.stats().dropped_records;
  auto seq = jr_.append(encode_batch(b));
  // drop_oldest may have deleted whole segments to make room.
  counters_.dropped += jr_.stats().dropped_records - before;
  if (seq) {
    counters_.journaled += 1;
    return *seq;
  }
  counters_.dropped += 1;
  server.notice({writer_event::append_failed, 0, seq.err().context});
  return 0;
}

next_retry journaled_writer::go_offline(writer_backend& server) {
  if (live_)
    server.notice({writer_event::went_offline, 0, counters_.last_error});
  live_ = false;
  clear_buffer(); // gathered batches are in the journal: the replay writes them
  return arm();
}

next_retry journaled_writer::arm() noexcept {
  if (armed_)
    return {};
  armed_ = true;
  return {next_retry::kind::after, backoff_.next()};
}

bool journaled_writer::replay_each(writer_backend& server) {
  uint64_t done_seq = 0;
  size_t done = 0;
  bool ok = true;
  auto r = jr_.replay([&](uint64_t seq, std::string_view payload) {
    auto b = decode_batch(payload);
    if (!b) {
      // A record we wrote ourselves that no longer decodes: skip it.
      server.notice({writer_event::record_skipped, seq, b.err().context});
      counters_.dropped += 1;
    } else if (!write(server, *b, true)) {
      ok = false;
      return false;
    } else {
      counters_.replayed += 1;
    }
    done_seq = seq;
    return ++done < opts_.replay_step_records;
  });
  // What was written before a failure stays written: ack it.
  if (done_seq > 0)
    ack(done_seq, server);
  if (!r) {
    server.notice({writer_event::replay_failed, 0, r.err().context});
    fail(r.err());
    ok = false;
  }
  return ok;
}

bool journaled_writer::replay_merged(writer_backend& server) {
  event_batch chunk;
  uint64_t records = 0;
  uint64_t last_seq = 0;
  auto bound = std::max(opts_.flush_events, opts_.replay_step_events);
  auto r = jr_.replay([&](uint64_t seq, std::string_view payload) {
    auto b = decode_batch(payload);
    if (!b) {
      server.notice({writer_event::record_skipped, seq, b.err().context});
      counters_.dropped += 1;
    } else {
      append_all(chunk.trades, b->trades);
      append_all(chunk.quotes, b->quotes);
      append_all(chunk.bars, b->bars);
      records += 1;
    }
    last_seq = seq;
    return chunk.size() < bound;
  });
  if (!r) {
    server.notice({writer_event::replay_failed, 0, r.err().context});
    fail(r.err());
    return false;
  }
  if (!write(server, chunk, true))
    return false;
  counters_.replayed += records;
  if (last_seq > 0)
    ack(last_seq, server);
  return true;
}

void journaled_writer::ack(uint64_t seq, writer_backend& server) {
  if (auto a = jr_.ack(seq); !a)
    server.notice({writer_event::ack_failed, seq, a.err().context});
}

void journaled_writer::clear_buffer() noexcept {
  buf_ = event_batch{};
  buf_batches_ = 0;
  buf_last_seq_ = 0;
}

} // namespace tickflow::journal
