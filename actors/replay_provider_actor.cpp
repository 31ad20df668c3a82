#include "actors/replay_provider_actor.hpp"

#include <chrono>
#include <memory>
#include <optional>

#include "actors/clock.hpp"
#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/capture/capture_file.hpp"
#include "adapters/streams/feed_continuity.hpp"
#include "adapters/streams/stream_protocol.hpp"

namespace tickflow {

namespace {


/// Frames handled per turn at most, so stats and acks get a word in.
constexpr size_t frames_per_turn = 1000;

struct replay_state {
  replay_settings settings;
  std::unique_ptr<stream_protocol> proto;
  std::vector<std::string> files;
  size_t file_index = 0;
  std::optional<capture_reader> reader;
  std::optional<captured_frame> next; ///< read, not yet played
  feed_continuity continuity;
  flow_link out;
  event_batch pending;
  int64_t start_wall_ns = 0;  ///< when the first frame was played
  int64_t first_recv_ns = 0;  ///< its recorded receive time
  bool blocked = false;       ///< waiting for an ack: the link is full
  bool timer_armed = false;   ///< a due_atom is on its way
  bool finished = false;
  stream_health health;
  stage_stats stats{"replay"};
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("stream");
  static inline const char* name = "provider.replay";

  /// The next recorded frame across the files, or nullopt at the end.
  std::optional<captured_frame> read() {
    while (true) {
      if (!reader) {
        if (file_index >= files.size())
          return std::nullopt;
        auto& path = files[file_index++];
        auto r = capture_reader::open(path);
        if (!r) {
          log->error("replay: cannot read {}: {}", path, r.err().message());
          continue;
        }
        reader.emplace(std::move(*r));
      }
      if (auto f = reader->next())
        return f;
      reader.reset();
    }
  }

  /// When `f` is due on the wall clock.
  int64_t due(const captured_frame& f) const {
    if (settings.pace == replay_pace::max)
      return 0;
    auto offset = static_cast<double>(f.recv_ns - first_recv_ns);
    if (settings.pace == replay_pace::multiplied)
      offset /= settings.speed;
    return start_wall_ns + static_cast<int64_t>(offset);
  }

  /// Parses one frame into `pending` like the live actor does.
  void play(captured_frame& f) {
    health.frames += 1;
    stream_frame out;
    auto ok = proto->parse(f.frame, f.recv_ns, out);
    if (!ok) {
      health.malformed += 1;
      stats.rejected += 1;
      uint64_t suppressed = 0;
      if (throttle.allow(suppressed))
        log->warn("replay: skipped frame: {} ({} similar suppressed)",
                  ok.err().message(), suppressed);
    }
    if (out.events.size() == 0)
      return;
    stats.batches_in += 1;
    stats.events_in += out.events.size();
    continuity.on_live({}, out.events); // gaps: nothing to recover from a file
    health.events += out.events.size();
    auto& p = pending;
    for (auto& x : out.events.trades)
      p.trades.push_back(std::move(x));
    for (auto& x : out.events.quotes)
      p.quotes.push_back(std::move(x));
    for (auto& x : out.events.bars)
      p.bars.push_back(std::move(x));
  }
};

using replay_ptr = replay_provider_actor::stateful_pointer<replay_state>;

/// Sends `pending` when the link has credit; true if nothing is left.
bool flush(replay_ptr self) {
  auto& st = self->state;
  if (st.pending.empty())
    return true;
  if (!st.out.has_credit())
    return false;
  st.stats.events_out += st.pending.size();
  st.out.send(self, std::move(st.pending));
  st.pending = event_batch{};
  return true;
}

/// Reads the next frame into `next`; false at the end of the last file.
bool peek(replay_ptr self) {
  auto& st = self->state;
  if (st.next)
    return true;
  st.next = st.read();
  if (!st.next)
    return false;
  if (st.start_wall_ns == 0) {
    st.start_wall_ns = now_ns();
    st.first_recv_ns = st.next->recv_ns;
  }
  return true;
}

void finish(replay_ptr self) {
  auto& st = self->state;
  if (st.finished)
    return;
  st.finished = true;
  st.health.state = "finished";
  st.log->info("replay finished: {} frame(s), {} event(s), {} malformed",
               st.health.frames, st.health.events, st.health.malformed);
}

/// Plays what is due. Paced: one batch per frame, as live, then a timer for
/// the next frame. Max: up to frames_per_turn frames per batch, then the
/// next turn at once. A full link stops both until an ack (`blocked`).
void advance(replay_ptr self) {
  auto& st = self->state;
  if (st.finished)
    return;
  auto blocked = [&] {
    st.blocked = true;
  };
  if (st.settings.pace != replay_pace::max) {
    for (size_t n = 0; n < frames_per_turn; ++n) {
      if (!flush(self))
        return blocked();
      if (!peek(self))
        return finish(self);
      auto at = st.due(*st.next);
      auto now = now_ns();
      if (at > now) {
        if (!st.timer_armed) {
          st.timer_armed = true;
          self->delayed_send(self, std::chrono::nanoseconds{at - now}, due_atom::value);
        }
        return;
      }
      st.play(*st.next);
      st.next.reset();
    }
  } else {
    if (!flush(self))
      return blocked();
    for (size_t n = 0; n < frames_per_turn && peek(self); ++n) {
      st.play(*st.next);
      st.next.reset();
    }
  }
  if (!flush(self))
    return blocked();
  if (!peek(self))
    return finish(self);
  self->send(self, play_atom::value); // the next turn, after other messages
}

replay_provider_actor::behavior_type replay_provider(replay_ptr self, topology topo,
                                                     batch_sink_actor intake) {
  auto& st = self->state;
  st.settings = topo.streams.replay;
  auto id = provider_from_string(st.settings.provider);
  adapter_options opts;
  if (auto i = topo.rest_providers.find(st.settings.provider);
      i != topo.rest_providers.end())
    opts.symbol_overrides = i->second.symbol_overrides;
  st.proto = id ? make_stream_protocol(*id, opts) : nullptr;
  if (!st.proto) {
    st.log->error("replay: no stream dialect for provider {}", st.settings.provider);
    self->quit(caf::make_error(caf::sec::invalid_argument, st.settings.provider));
    return no_behavior<replay_provider_actor>();
  }
  st.files = st.settings.files;
  if (!st.settings.dir.empty())
    st.files = capture_files(st.settings.dir, st.settings.provider);
  st.out = flow_link{std::move(intake), topo.pipeline.queue_bound};
  st.health.provider = st.settings.provider;
  st.health.connection = "replay";
  st.health.state = "replaying";
  st.log->info("replay: {} file(s) of {} at {}", st.files.size(), st.settings.provider,
               st.settings.pace == replay_pace::max        ? std::string{"max speed"}
               : st.settings.pace == replay_pace::original ? std::string{"original pace"}
                                                           : std::to_string(st.settings.speed)
                                                               + "x");
  self->send(self, play_atom::value);
  return {
    [=](play_atom) { advance(self); },
    [=](due_atom) {
      self->state.timer_armed = false;
      advance(self);
    },
    [=](ack_atom) {
      auto& st = self->state;
      st.out.acked();
      if (st.blocked) {
        st.blocked = false;
        advance(self);
      }
    },
    [=](stats_atom) { return self->state.stats; },
    [=](health_atom) { return self->state.health; },
  };
}

} // namespace

replay_provider_actor spawn_replay_provider(caf::actor_system& sys,
                                            const topology& topo,
                                            batch_sink_actor intake) {
  return sys.spawn<caf::detached>(replay_provider, topo, std::move(intake));
}

} // namespace tickflow
