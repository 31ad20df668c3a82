// tickflow: the market-data service. Parses the command line and the config,
// then runs the actor system and the network I/O thread until SIGINT/SIGTERM.

#include <malloc.h>

#include <csignal>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <caf/all.hpp>

#include "actors/cli.hpp"
#include "actors/client_main.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "actors/supervisor.hpp"
#include "adapters/registry.hpp"
#include "pipeline/flow/heap_trim_policy.hpp"
#include "pipeline/topology/topology.hpp"

using namespace tickflow;

namespace {

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

/// Loads the config named on the command line, or the embedded default.
result<topology> load_config(const std::string& path) {
  if (path.empty())
    return load_topology(default_config_text(), "<embedded default>");
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return error{errc::config_invalid, path + ": cannot open file"};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return error{errc::config_invalid, path + ": cannot read file"};
  return load_topology(text.str(), path);
}

bool valid_log_level(const std::string& level) {
  for (auto x : {"trace", "debug", "info", "warn", "error", "critical", "off"})
    if (level == x)
      return true;
  return false;
}

/// Bounds a stop: if the process is still here after `bound`, it says so and
/// leaves with exit_failure (the writers' journals keep what was not flushed).
void arm_stop_bound(std::chrono::nanoseconds bound) {
  std::thread{[bound] {
    std::this_thread::sleep_for(bound);
    logger("tickflow")->critical("stop did not finish within {} ms: exiting",
                                 bound.count() / 1'000'000);
    spdlog::shutdown();
    std::_Exit(exit_failure);
  }}.detach();
}

/// malloc_trim when the policy says a burst left memory free. A trim every
/// 10 s put 25-30 ms stalls into the WebSocket latency tail (PERFORMANCE.md).
void trim_heap_after_bursts(heap_trim_policy& policy) {
  auto free_bytes = mallinfo2().fordblks;
  if (!policy.should_trim(free_bytes))
    return;
  malloc_trim(0);
  policy.trimmed(mallinfo2().fordblks);
  logger("tickflow")->info("heap: returned freed memory to the OS ({} MiB free in malloc)",
                           free_bytes >> 20);
}

/// CAF's scheduler from [actors]. idle-workers = sleep skips the work-stealing
/// scheduler's moderate phase (a nap of 50 us between looks for work, for
/// 25 ms) and wakes a sleeping worker every 1 ms instead of every 10 ms to
/// steal: work handed from another worker waits for that, not for 10 ms.
void configure_scheduler(caf::actor_system_config& cfg, const actor_settings& a) {
  cfg.set("scheduler.max-threads", a.threads);
  if (a.idle == idle_policy::sleep) {
    cfg.set("work-stealing.moderate-poll-attempts", 0);
    cfg.set("work-stealing.relaxed-sleep-duration",
            caf::timespan{std::chrono::milliseconds{1}});
  }
}

/// Runs the service until a signal or a fatal stage failure.
int run(const topology& topo, const std::string& config_path) {
  auto log = logger("tickflow");
  boost::asio::io_context ioc{1};
  auto work = boost::asio::make_work_guard(ioc);
  std::thread io{[&] { ioc.run(); }};
  int code = exit_ok;
  heap_trim_policy trim{4u << 20};
  auto stop_bound = std::chrono::nanoseconds{topo.supervisor.stop_timeout_ns};
  {
    caf::actor_system_config cfg;
    configure_scheduler(cfg, topo.actors);
    caf::actor_system sys{cfg};
    auto sup = spawn_supervisor(sys, topo, ioc);
    caf::scoped_actor self{sys};
    self->monitor(sup);
    bool started = false;
    self->request(sup, std::chrono::seconds{15}, start_atom::value)
      .receive(
        [&](const listen_ports& p) {
          started = true;
          log->info("tickflow {} ready: REST http://{}:{}  WebSocket ws://{}:{}{}  "
                    "({} actor threads, idle workers {})",
                    TICKFLOW_VERSION, topo.gateway.bind, p.rest,
                    topo.broadcaster.bind, p.ws, topo.broadcaster.path,
                    topo.actors.threads,
                    topo.actors.idle == idle_policy::poll ? "poll" : "sleep");
        },
        [&](caf::error& e) {
          log->error("cannot start: {}", sys.render(e));
          code = exit_failure;
        });
    bool supervisor_alive = true;
    if (started) {
      boost::asio::signal_set signals{ioc, SIGINT, SIGTERM};
      boost::asio::signal_set hangups{ioc, SIGHUP};
      // The signal handlers below post to main's scoped actor from the I/O thread.
      caf::actor me = caf::actor_cast<caf::actor>(self); // untyped: a scoped actor has no interface
      signals.async_wait([me](const boost::system::error_code& ec, int sig) {
        if (!ec)
          caf::anon_send(me, shutdown_atom::value, static_cast<int32_t>(sig));
      });
      // SIGHUP: re-read the config; each one re-arms the handler.
      std::function<void()> arm_hangup = [&] {
        hangups.async_wait([&, me](const boost::system::error_code& ec, int) {
          if (ec)
            return;
          caf::anon_send(me, reload_atom::value);
          arm_hangup();
        });
      };
      arm_hangup();
      for (bool running = true; running;)
        self->receive(
          [&](shutdown_atom, int32_t sig) {
            log->info("signal {} received: shutting down", sig);
            running = false;
          },
          [&](reload_atom) {
            if (config_path.empty()) {
              log->info("SIGHUP: running on the embedded default, nothing to reload");
              return;
            }
            auto next = load_config(config_path);
            if (!next) {
              log->error("SIGHUP: new config refused, the old one stays: {}",
                         next.err().context);
              return;
            }
            self->request(sup, std::chrono::seconds{5}, reload_atom::value, *next)
              .receive([&](const std::string& summary) {
                         log->info("SIGHUP: {}", summary);
                         stop_bound = std::chrono::nanoseconds{next->supervisor.stop_timeout_ns};
                       },
                       [&](caf::error& e) { log->error("SIGHUP: reload failed: {}", sys.render(e)); });
          },
          [&](caf::down_msg& dm) {
            supervisor_alive = false;
            log->critical("supervisor stopped: {}", sys.render(dm.reason));
            code = exit_failure;
            running = false;
          },
          // Freed heap back to the OS after a burst (heap_trim_policy.hpp).
          caf::after(std::chrono::seconds{10}) >> [&] { trim_heap_after_bursts(trim); });
      boost::system::error_code ignored;
      signals.cancel(ignored);
      hangups.cancel(ignored);
    }
    arm_stop_bound(stop_bound);
    if (supervisor_alive) {
      // Intake stops, a drain marker passes every stage, the writers flush.
      self->send_exit(sup, caf::exit_reason::user_shutdown);
      self->receive([](caf::down_msg&) {}); // the bound above caps the wait
    }
  } // ~actor_system waits for every actor
  // Let the servers close their clients (posted by the actors), then stop.
  work.reset();
  boost::asio::steady_timer deadline{ioc, std::chrono::seconds{3}};
  deadline.async_wait([&](const boost::system::error_code&) { ioc.stop(); });
  io.join();
  log->info("tickflow stopped");
  spdlog::shutdown();
  return code;
}

} // namespace

int main(int argc, char** argv) {
  install_provider_registry(); // first: every provider name is read from it
  std::signal(SIGPIPE, SIG_IGN);
  // Two malloc arenas, not 8 per core: memory freed by one thread is reused
  // by the others and can be trimmed, instead of fragmenting many arenas.
  mallopt(M_ARENA_MAX, 2);
  // Buffers from 128 KiB up (journal replay chunks, big batches and frames)
  // are mapped and unmapped on their own, so they never pin heap; glibc would
  // otherwise raise this bar up to 32 MiB after the first such free.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  // `tickflow price BTC-USDT`, `tickflow subscribe trades:BTC-USDT`, ...: the
  // operator client, talking to a running tickflow.
  if (argc > 1 && client::is_command(argv[1])) {
    for (int i = 2; i < argc; ++i)
      if (std::string{argv[i]} == "--help") {
        std::cout << client::client_usage();
        return exit_ok;
      }
    auto cmd = client::parse_command(argv[1], std::vector<std::string>(argv + 2, argv + argc));
    if (!cmd) {
      std::cerr << "tickflow: " << cmd.err().context << "\n\n" << client::client_usage();
      return exit_usage;
    }
    return run_client(*cmd);
  }
  auto opts = parse_cli(std::vector<std::string>(argv + 1, argv + argc));
  if (!opts) {
    std::cerr << "tickflow: " << opts.err().context << '\n';
    return exit_usage;
  }
  using mode = cli_options::mode_kind;
  switch (opts->mode) {
    case mode::help:
      std::cout << usage_text();
      return exit_ok;
    case mode::version:
      std::cout << "tickflow " << TICKFLOW_VERSION << '\n';
      return exit_ok;
    case mode::print_config:
      std::cout << default_config_text();
      return exit_ok;
    default:
      break;
  }
  auto topo = load_config(opts->config_path);
  if (!topo) {
    std::cerr << topo.err().context << '\n';
    return exit_usage;
  }
  if (opts->mode == mode::check_config) {
    std::cout << opts->config_path << ": ok\n";
    return exit_ok;
  }
  if (opts->port)
    topo->gateway.port = static_cast<uint16_t>(*opts->port);
  if (opts->ws_port)
    topo->broadcaster.port = static_cast<uint16_t>(*opts->ws_port);
  if (opts->log_level) {
    if (!valid_log_level(*opts->log_level)) {
      std::cerr << "tickflow: --log-level: unknown level \"" << *opts->log_level
                << "\"\n";
      return exit_usage;
    }
    topo->log.level = *opts->log_level;
  }
  if (topo->gateway.port != 0 && topo->gateway.port == topo->broadcaster.port
      && topo->gateway.bind == topo->broadcaster.bind) {
    std::cerr << "tickflow: REST and WebSocket ports must differ (both "
              << topo->gateway.port << ")\n";
    return exit_usage;
  }
  setup_logging(topo->log);
  return run(*topo, opts->config_path);
}
