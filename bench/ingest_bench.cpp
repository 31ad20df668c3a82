// ingest_bench: the real pipeline actors in one process, fed as fast as the
// credit window allows (or at a fixed rate), measured at a capture sink.
//
//   feeder (main thread, scoped_actor) --frames--> provider (parses)
//     --event_batch--> sharder --> validator[0..k) --> router
//     --> cache, broadcaster (no clients), capture
//
// The feeder and the provider actor stand in for a provider: the feeder is
// its wire side (a stream's I/O thread), the actor parses the frames with
// simulator::parse_frames, as the simulator and every other provider parse
// in their own actor, and sends event_batch to the sharder. Each link holds
// [pipeline] queue-bound batches: the feeder sends while it has credit and
// waits for acks otherwise; the provider acks a batch once it has passed it
// on and its link has room (flow.hpp), like every stage. The feeder makes
// every batch with simulator::feed::generate (fresh trade ids and timestamps:
// the validators drop duplicates and flag out-of-order or future events, so
// frames cannot be recycled), so the feeder's own cost (the wire's share) is
// part of the figure; --mode generate measures it alone. The feed's clock starts
// behind the wall clock, by more than generate() (1 us per trade) can
// catch up during the run, so no event is ever in the future.
// The capture sink acks every batch like the real sinks and records, for each
// event, now - ts_recv_ns (the batch's creation time).
//
// Modes (one JSON line on stdout each):
//   --mode parse      the floor: simulator::parse_frame alone, one thread,
//                     over a pool of --pool pre-generated frames
//   --mode generate   the feeder alone: feed::generate, one thread
//   --mode pipeline   the actors; --rate 0 (default) = as fast as possible,
//                     --rate R = R frames/s in batches every --timer-ms
//
// Options: --seconds S --warmup S --batch N --validators K --symbols N
//          --threads N --queue-bound N --pool N --no-broadcaster
//          --stop-after shard|validate|route: the latency sink takes the
//          place of the stage after that one (default route: the whole
//          pipeline, the sink beside the cache and the broadcaster), so runs
//          with each give the latency at the end of every stage
//          --config FILE (a tickflow config instead of the embedded default;
//          --symbols, --validators, --threads and --queue-bound override it)

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>

#include "actors/broadcaster_actor.hpp"
#include "actors/cache_actor.hpp"
#include "actors/clock.hpp"
#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "actors/pipeline_actors.hpp"
#include "adapters/registry.hpp"
#include "adapters/simulator/simulator_feed.hpp"
#include "adapters/simulator/simulator_parse.hpp"
#include "adapters/simulator/simulator_provider.hpp"
#include "bench/histogram.hpp"
#include "pipeline/topology/topology.hpp"

using namespace tickflow;
using steady = std::chrono::steady_clock;

namespace {

struct options {
  std::string mode = "pipeline";
  double seconds = 5;
  double warmup = 1;
  size_t batch = 1000;
  double rate = 0;      ///< frames/s; 0 = as fast as the credit allows
  double timer_ms = 10; ///< paced mode: one batch per timer
  size_t validators = 0; ///< 0: the config's
  size_t symbols = 0;    ///< 0: the config's; else N generated instruments
  size_t threads = 0;    ///< 0: the config's [actors] threads
  size_t queue_bound = 0;
  size_t pool = 1 << 18;
  bool broadcaster = true;
  std::string stop_after = "route"; ///< shard, validate or route
  std::string config; ///< a config file instead of the embedded default
  std::string label;
};

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "ingest_bench: " << why << "\n"
            << "usage: ingest_bench [--mode parse|generate|pipeline] [--seconds S] "
               "[--warmup S] [--batch N] [--rate R] [--timer-ms MS] "
               "[--validators K] [--symbols N] [--threads N] "
               "[--queue-bound N] [--pool N] [--no-broadcaster] [--config FILE] "
               "[--label X]\n";
  std::exit(2);
}

options parse_options(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        usage("missing value for " + a);
      return argv[++i];
    };
    auto number = [&]() -> double {
      auto v = value();
      char* end = nullptr;
      double d = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0' || d < 0)
        usage("bad number for " + a + ": " + v);
      return d;
    };
    if (a == "--mode")
      o.mode = value();
    else if (a == "--seconds")
      o.seconds = number();
    else if (a == "--warmup")
      o.warmup = number();
    else if (a == "--batch")
      o.batch = static_cast<size_t>(number());
    else if (a == "--rate")
      o.rate = number();
    else if (a == "--timer-ms")
      o.timer_ms = number();
    else if (a == "--validators")
      o.validators = static_cast<size_t>(number());
    else if (a == "--symbols")
      o.symbols = static_cast<size_t>(number());
    else if (a == "--threads")
      o.threads = static_cast<size_t>(number());
    else if (a == "--queue-bound")
      o.queue_bound = static_cast<size_t>(number());
    else if (a == "--pool")
      o.pool = static_cast<size_t>(number());
    else if (a == "--stop-after") {
      o.stop_after = value();
      if (o.stop_after != "shard" && o.stop_after != "validate" && o.stop_after != "route")
        usage("--stop-after takes shard, validate or route");
    } else if (a == "--no-broadcaster")
      o.broadcaster = false;
    else if (a == "--config")
      o.config = value();
    else if (a == "--label")
      o.label = value();
    else
      usage("unknown option " + a);
  }
  if (o.mode != "parse" && o.mode != "pipeline" && o.mode != "generate")
    usage("unknown mode " + o.mode);
  if (o.batch == 0 || o.pool == 0 || o.seconds <= 0 || o.timer_ms <= 0)
    usage("batch, pool, seconds and timer-ms must be > 0");
  return o;
}

/// VmRSS and VmHWM of this process, in KiB.
struct rss_kb {
  long rss = 0;
  long hwm = 0;
};

rss_kb read_rss() {
  rss_kb r;
  std::ifstream in{"/proc/self/status"};
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0)
      r.rss = std::atol(line.c_str() + 6);
    else if (line.rfind("VmHWM:", 0) == 0)
      r.hwm = std::atol(line.c_str() + 6);
  }
  return r;
}

/// CPU seconds (user + system) used by every thread of this process.
double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto tv = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return tv(ru.ru_utime) + tv(ru.ru_stime);
}

double seconds_between(steady::time_point a, steady::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// -- capture sink -------------------------------------------------------------------

/// Shared between the capture sink (the only writer of `latency` while
/// `recording`) and the main thread (reads after a round trip to the sink).
struct capture_shared {
  std::atomic<uint64_t> events{0};
  std::atomic<uint64_t> batches{0};
  std::atomic<bool> recording{false};
  bench::histogram latency;
};

struct capture_state {
  static inline const char* name = "capture";
};

caf::behavior capture_sink(caf::stateful_actor<capture_state>* self,
                           capture_shared* shared) {
  return {
    [=](const event_batch& batch) {
      if (shared->recording.load(std::memory_order_relaxed)) {
        auto now = now_ns();
        for (auto& x : batch.trades)
          shared->latency.record(now - x.ts_recv_ns);
        for (auto& x : batch.quotes)
          shared->latency.record(now - x.ts_recv_ns);
        for (auto& x : batch.bars)
          shared->latency.record(now - x.ts_recv_ns);
      }
      shared->events.fetch_add(batch.size(), std::memory_order_relaxed);
      shared->batches.fetch_add(1, std::memory_order_relaxed);
      // Ack like the real sinks (flow.hpp): one ack per batch, to its sender.
      auto& sender = self->current_sender();
      if (sender)
        self->send(caf::actor_cast<caf::actor>(sender), ack_atom::value);
    },
    [=](stats_atom) {
      return shared->events.load(std::memory_order_relaxed);
    },
  };
}

// -- the provider's actor -------------------------------------------------------------

/// Frames as the feeder received them, with their receive time.
struct wire_frames {
  std::vector<std::string> frames;
  int64_t ts_recv_ns = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wire_frames& x) {
  return f(caf::meta::type_name("wire_frames"), x.frames, x.ts_recv_ns);
}

struct provider_state {
  symbol_map symbols;
  flow_link out;
  held_acks upstream;
  uint64_t rejected = 0;
  static inline const char* name = "provider";
};

/// Parses the feeder's frames as the simulator actor parses its own and
/// passes the events on to `intake` within the credit of its link.
caf::behavior provider_parser(caf::stateful_actor<provider_state>* self,
                              topology topo, batch_sink_actor intake) {
  self->state.symbols = simulator::feed{topo.simulator}.symbols();
  self->state.out = flow_link{std::move(intake), topo.pipeline.queue_bound};
  return {
    [=](wire_frames& in) {
      auto& st = self->state;
      event_batch batch;
      st.rejected += simulator::parse_frames(in.frames, st.symbols, in.ts_recv_ns,
                                             batch).rejected;
      if (!batch.empty())
        st.out.send(self, std::move(batch));
      st.upstream.ack_or_hold(self, st.out.has_credit());
    },
    [=](ack_atom) {
      auto& st = self->state;
      st.out.acked();
      if (st.out.has_credit())
        st.upstream.release(self);
    },
  };
}

// -- setup --------------------------------------------------------------------------

topology make_topology(const options& o) {
  std::string text{default_config_text()};
  std::string source = "<embedded default>";
  if (!o.config.empty()) {
    std::ifstream in{o.config, std::ios::binary};
    if (!in) {
      std::cerr << "ingest_bench: cannot open " << o.config << "\n";
      std::exit(2);
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    text = buf.str();
    source = o.config;
  }
  auto topo = load_topology(text, source);
  if (!topo) {
    std::cerr << "ingest_bench: default config: " << topo.err().context << "\n";
    std::exit(1);
  }
  if (o.validators > 0)
    topo->validator.count = o.validators;
  if (o.threads > 0)
    topo->actors.threads = o.threads;
  if (o.queue_bound > 0)
    topo->pipeline.queue_bound = o.queue_bound;
  if (o.symbols > 0) {
    topo->simulator.symbols.clear();
    for (size_t i = 0; i < o.symbols; ++i) {
      char name[32];
      std::snprintf(name, sizeof(name), "S%05zu-USDT", i);
      simulated_symbol s;
      s.instrument = name;
      s.start_price = decimal::from_parts(10000 + static_cast<int64_t>(i), 2);
      topo->simulator.symbols.push_back(std::move(s));
    }
    topo->cache.max_instruments =
      std::max(topo->cache.max_instruments, o.symbols);
  }
  return std::move(*topo);
}

/// A feed whose clock starts `lead_s` seconds behind the wall clock.
simulator::feed make_feed(const topology& topo, double lead_s) {
  simulator::feed feed{topo.simulator};
  std::vector<std::string> none;
  feed.advance(now_ns() - static_cast<int64_t>(lead_s * 1e9), none); // sets the clock
  return feed;
}

/// How far behind the wall clock the feed starts: generate() moves its clock
/// 1 us per trade, i.e. faster than the wall clock above 1M events/s.
double clock_lead_s(const options& o) {
  return o.rate > 0 ? 1.0 : 4.0 * (o.warmup + o.seconds) + 1.0;
}

std::vector<std::string> make_pool(const topology& topo, size_t n) {
  simulator::feed feed{topo.simulator};
  std::vector<std::string> pool;
  pool.reserve(n + n / 8);
  feed.generate(n, pool);
  return pool;
}

std::vector<std::string> instruments_of(const topology& topo) {
  std::vector<std::string> out;
  for (auto& s : topo.simulator.symbols)
    out.push_back(s.instrument);
  return out;
}

void print_common(std::ostream& out, const options& o, const topology& topo) {
  out << "\"label\":\"" << o.label << "\",\"mode\":\"" << o.mode
      << "\",\"stop_after\":\"" << o.stop_after
      << "\",\"symbols\":" << topo.simulator.symbols.size()
      << ",\"batch\":" << o.batch;
}

// -- the floor: parse alone ---------------------------------------------------------

int run_parse(const options& o) {
  auto topo = make_topology(o);
  auto pool = make_pool(topo, o.pool);
  simulator::feed feed{topo.simulator};
  const auto& symbols = feed.symbols();
  event_batch out;
  out.trades.reserve(o.batch);
  uint64_t frames = 0;
  uint64_t errors = 0;
  size_t pos = 0;
  auto run_for = [&](double secs) {
    auto start = steady::now();
    auto stop = start + std::chrono::duration<double>(secs);
    uint64_t n = 0;
    while (steady::now() < stop) {
      out.trades.clear();
      out.quotes.clear();
      out.bars.clear();
      auto ts = now_ns();
      for (size_t i = 0; i < o.batch; ++i) {
        if (!simulator::parse_frame(pool[pos], symbols, ts, out))
          ++errors;
        if (++pos == pool.size())
          pos = 0;
      }
      n += o.batch;
    }
    return std::make_pair(n, seconds_between(start, steady::now()));
  };
  run_for(o.warmup);
  double cpu0 = cpu_seconds();
  auto [n, secs] = run_for(o.seconds);
  double cpu1 = cpu_seconds();
  frames = n;
  std::cout << "{";
  print_common(std::cout, o, topo);
  std::cout << ",\"events\":" << frames << ",\"seconds\":" << secs
            << ",\"events_per_s\":" << static_cast<double>(frames) / secs
            << ",\"cpu_cores\":" << (cpu1 - cpu0) / secs
            << ",\"errors\":" << errors << "}" << std::endl;
  return 0;
}

// -- the feeder alone ---------------------------------------------------------------

int run_generate(const options& o) {
  auto topo = make_topology(o);
  auto feed = make_feed(topo, clock_lead_s(o));
  std::vector<std::string> frames;
  auto run_for = [&](double secs) {
    auto start = steady::now();
    auto stop = start + std::chrono::duration<double>(secs);
    uint64_t n = 0;
    while (steady::now() < stop) {
      frames.clear(); // a new vector per batch in the pipeline; here reused
      frames.shrink_to_fit();
      frames.reserve(o.batch + o.batch / 8);
      n += feed.generate(o.batch, frames);
    }
    return std::make_pair(n, seconds_between(start, steady::now()));
  };
  run_for(o.warmup);
  double cpu0 = cpu_seconds();
  auto [n, secs] = run_for(o.seconds);
  double cpu1 = cpu_seconds();
  std::cout << "{";
  print_common(std::cout, o, topo);
  std::cout << ",\"events\":" << n << ",\"seconds\":" << secs
            << ",\"events_per_s\":" << static_cast<double>(n) / secs
            << ",\"cpu_cores\":" << (cpu1 - cpu0) / secs << "}" << std::endl;
  return 0;
}

// -- the pipeline -------------------------------------------------------------------

int run_pipeline(const options& o) {
  auto topo = make_topology(o);
  auto feed = make_feed(topo, clock_lead_s(o));
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", topo.actors.threads);
  boost::asio::io_context ioc{1}; // broadcaster's server; never listens here
  auto shared = std::make_unique<capture_shared>();
  int code = 0;
  {
    caf::actor_system sys{cfg};
    auto base = read_rss();
    auto known = instruments_of(topo);
    auto cache = spawn_cache(sys, topo, known);
    std::vector<batch_sink_actor> sinks{cache};
    broadcaster_actor broadcaster;
    if (o.broadcaster) {
      broadcaster = spawn_broadcaster(sys, topo, ioc, known);
      sinks.push_back(broadcaster);
    }
    auto capture = sys.spawn(capture_sink, shared.get());
    // The sink acks like every stage, so it can stand in for the next one.
    auto capture_sink_handle = caf::actor_cast<batch_sink_actor>(capture);
    sinks.push_back(capture_sink_handle);
    auto router = o.stop_after == "route" ? batch_sink_actor{spawn_router(sys, topo, sinks)}
                                          : capture_sink_handle;
    std::vector<batch_sink_actor> validators;
    if (o.stop_after == "shard") // one link: acks are matched by sender
      validators.push_back(capture_sink_handle);
    else
      for (size_t i = 0; i < topo.validator.count; ++i)
        validators.push_back(spawn_validator(sys, topo, i, router, {}, {}));
    auto sharder = spawn_sharder(sys, topo, validators);
    auto provider = sys.spawn(provider_parser, topo, sharder);

    caf::scoped_actor self{sys};
    const size_t bound = topo.pipeline.queue_bound;
    size_t inflight = 0;
    uint64_t frames_sent = 0;
    uint64_t ticks_skipped = 0; // paced mode: no credit at a tick
    bool stalled = false;
    auto send_batch = [&](size_t n) {
      wire_frames b;
      b.frames.reserve(n + n / 8);
      feed.generate(n, b.frames); // n trades, plus the bars they closed
      b.ts_recv_ns = now_ns();
      frames_sent += b.frames.size();
      self->send(provider, std::move(b));
      ++inflight;
    };
    // Waits for one ack (or until `until`); false on timeout.
    auto await_ack = [&](steady::time_point until) {
      bool got = false;
      auto now = steady::now();
      auto wait = until > now ? until - now : steady::duration::zero();
      self->receive([&](ack_atom) { got = true; },
                    caf::after(std::chrono::duration_cast<caf::timespan>(
                      wait)) >> [] {});
      if (got && inflight > 0)
        --inflight;
      return got;
    };

    auto t_start = steady::now();
    auto t_measure = t_start + std::chrono::duration_cast<steady::duration>(
                                 std::chrono::duration<double>(o.warmup));
    auto t_end = t_measure + std::chrono::duration_cast<steady::duration>(
                               std::chrono::duration<double>(o.seconds));
    bool measuring = false;
    uint64_t events0 = 0;
    uint64_t sent0 = 0;
    steady::time_point t0;
    double cpu0 = 0;
    auto maybe_start_measuring = [&] {
      if (!measuring && steady::now() >= t_measure) {
        measuring = true;
        cpu0 = cpu_seconds();
        events0 = shared->events.load();
        sent0 = frames_sent;
        t0 = steady::now();
        shared->recording.store(true);
      }
    };

    if (o.rate <= 0) {
      // As fast as the credit window allows.
      while (steady::now() < t_end) {
        maybe_start_measuring();
        while (inflight < bound)
          send_batch(o.batch);
        if (!await_ack(steady::now() + std::chrono::seconds{10})) {
          stalled = true;
          break;
        }
      }
    } else {
      // Paced: every timer, the frames due at `rate`, within the credit.
      auto timer = std::chrono::duration_cast<steady::duration>(
        std::chrono::duration<double, std::milli>(o.timer_ms));
      double per_tick = o.rate * o.timer_ms / 1000.0;
      double carry = 0;
      auto next = steady::now();
      while (next < t_end) {
        // Collect acks until the next tick.
        while (steady::now() < next)
          await_ack(next);
        maybe_start_measuring();
        carry += per_tick;
        auto n = static_cast<size_t>(carry);
        carry -= static_cast<double>(n);
        if (n > 0) {
          if (inflight < bound)
            send_batch(n);
          else
            ++ticks_skipped;
        }
        next += timer;
      }
    }
    auto t1 = steady::now();
    double cpu1 = cpu_seconds();
    shared->recording.store(false);
    uint64_t events1 = shared->events.load();
    uint64_t sent1 = frames_sent;
    // Drain what is in flight, then a round trip to the sink so that its
    // last histogram writes are visible here.
    auto drain_until = steady::now() + std::chrono::seconds{10};
    while (inflight > 0 && steady::now() < drain_until)
      if (!await_ack(drain_until))
        break;
    uint64_t sink_events = 0;
    self->request(capture, std::chrono::seconds{10}, stats_atom::value)
      .receive([&](uint64_t n) { sink_events = n; },
               [&](caf::error&) { stalled = true; });
    auto end_rss = read_rss();

    double secs = measuring ? seconds_between(t0, t1) : 0;
    double eps = secs > 0 ? static_cast<double>(events1 - events0) / secs : 0;
    double offered = secs > 0 ? static_cast<double>(sent1 - sent0) / secs : 0;
    auto& h = shared->latency;
    auto us = [](uint64_t ns) { return static_cast<double>(ns) / 1000.0; };
    std::cout << "{";
    print_common(std::cout, o, topo);
    std::cout << ",\"validators\":" << topo.validator.count
              << ",\"threads\":" << topo.actors.threads
              << ",\"queue_bound\":" << bound
              << ",\"rate\":" << o.rate << ",\"timer_ms\":" << o.timer_ms
              << ",\"broadcaster\":" << (o.broadcaster ? "true" : "false")
              << ",\"seconds\":" << secs
              << ",\"events\":" << (events1 - events0)
              << ",\"events_per_s\":" << eps
              << ",\"frames_sent_per_s\":" << offered
              << ",\"cpu_cores\":" << (secs > 0 ? (cpu1 - cpu0) / secs : 0)
              << ",\"sink_events_total\":" << sink_events
              << ",\"ticks_skipped\":" << ticks_skipped
              << ",\"latency_samples\":" << h.count()
              << ",\"p50_us\":" << us(h.quantile(0.50))
              << ",\"p99_us\":" << us(h.quantile(0.99))
              << ",\"p999_us\":" << us(h.quantile(0.999))
              << ",\"max_us\":" << us(h.max())
              << ",\"rss_base_kb\":" << base.rss
              << ",\"rss_end_kb\":" << end_rss.rss
              << ",\"rss_peak_kb\":" << end_rss.hwm
              << ",\"stalled\":" << (stalled ? "true" : "false") << "}"
              << std::endl;
    if (stalled)
      code = 1;
    caf::anon_send_exit(provider, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(sharder, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(router, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(cache, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(capture, caf::exit_reason::user_shutdown);
    for (auto& v : validators)
      caf::anon_send_exit(v, caf::exit_reason::user_shutdown);
    if (broadcaster)
      caf::anon_send_exit(broadcaster, caf::exit_reason::user_shutdown);
  } // ~actor_system waits for every actor
  ioc.poll(); // runs the broadcaster's posted server stop, if any
  return code;
}

} // namespace

int main(int argc, char** argv) {
  install_provider_registry();
  auto o = parse_options(argc, argv);
  log_settings quiet;
  quiet.level = "warn";
  setup_logging(quiet);
  if (o.mode == "parse")
    return run_parse(o);
  if (o.mode == "generate")
    return run_generate(o);
  return run_pipeline(o);
}
