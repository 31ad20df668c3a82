// storage_bench: the real storage writers in one process, fed as fast as
// their acks allow, against private servers (scripts/services.sh).
//
//   --mode postgres (default): spawn_storage_writer against --dsn; N trades
//     (--rows) in event_batches of --batch trades, at most --window batches
//     unacked (like a router link); rows/s = N / the time until pg
//     count_trades reaches N. The same rows go to --csv PATH (the trades
//     table's columns, no header, FORMAT csv) for the `\copy` reference.
//   --mode redis: spawn_cache_writer against 127.0.0.1:--redis-port; N trades
//     (each one price + one trade entry); the writer acks a batch after its
//     pipelined round trip, so the last ack ends the run. Commands are what
//     Redis counted (INFO stats total_commands_processed, before and after).
//
// One JSON line on stdout. Options: --rows N --batch N --window N
// --instruments N --label X --journal-dir DIR (default: a fresh temp dir).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include <caf/all.hpp>

#include "actors/cache_writer_actor.hpp"
#include "actors/clock.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "actors/storage_writer_actor.hpp"
#include "adapters/postgres/pg_client.hpp"
#include "adapters/postgres/pg_copy.hpp"
#include "adapters/redis/redis_client.hpp"
#include "adapters/registry.hpp"
#include "adapters/simulator/simulator_provider.hpp"
#include "pipeline/topology/topology.hpp"

using namespace tickflow;
using steady = std::chrono::steady_clock;

namespace {

struct options {
  std::string mode = "postgres";
  std::string dsn;
  uint16_t redis_port = 0;
  std::string csv;
  std::string label;
  std::string journal_dir;
  size_t rows = 1'000'000;
  size_t batch = 1000;
  size_t window = 64;
  size_t instruments = 10;
  double timeout_s = 600;
};

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "storage_bench: " << why << "\n"
            << "usage: storage_bench [--mode postgres|redis] [--dsn DSN] "
               "[--redis-port P] [--csv PATH] [--rows N] [--batch N] "
               "[--window N] [--instruments N] [--journal-dir DIR] "
               "[--timeout S] [--label X]\n";
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
    else if (a == "--dsn")
      o.dsn = value();
    else if (a == "--redis-port")
      o.redis_port = static_cast<uint16_t>(number());
    else if (a == "--csv")
      o.csv = value();
    else if (a == "--label")
      o.label = value();
    else if (a == "--journal-dir")
      o.journal_dir = value();
    else if (a == "--rows")
      o.rows = static_cast<size_t>(number());
    else if (a == "--batch")
      o.batch = static_cast<size_t>(number());
    else if (a == "--window")
      o.window = static_cast<size_t>(number());
    else if (a == "--instruments")
      o.instruments = static_cast<size_t>(number());
    else if (a == "--timeout")
      o.timeout_s = number();
    else
      usage("unknown option " + a);
  }
  if (o.mode != "postgres" && o.mode != "redis")
    usage("unknown mode " + o.mode);
  if (o.mode == "postgres" && o.dsn.empty())
    usage("--dsn is required for --mode postgres");
  if (o.mode == "redis" && o.redis_port == 0)
    usage("--redis-port is required for --mode redis");
  if (o.rows == 0 || o.batch == 0 || o.window == 0 || o.instruments == 0)
    usage("rows, batch, window and instruments must be > 0");
  return o;
}

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

/// Makes the trades of batch `k` (ids unique over the run: `first` + i).
class trade_source {
 public:
  explicit trade_source(const options& o) {
    for (size_t i = 0; i < o.instruments; ++i) {
      char name[32];
      std::snprintf(name, sizeof(name), "SB%04zu-USDT", i);
      names_.emplace_back(name);
    }
    // Trades an hour in the past, 1 us apart: never in the future.
    ts0_ = now_ns() - 3600LL * 1'000'000'000LL;
  }

  event_batch make(uint64_t first, size_t n) {
    event_batch b;
    b.trades.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      uint64_t id = first + i;
      trade t;
      t.instrument = names_[id % names_.size()];
      t.provider_symbol = t.instrument;
      t.source = providers::simulator;
      t.price = decimal::from_parts(100000 + static_cast<int64_t>(id % 5000), 2);
      t.size = decimal::from_parts(1 + static_cast<int64_t>(id % 997), 3);
      t.aggressor = id % 2 == 0 ? side::buy : side::sell;
      t.trade_id = std::to_string(id);
      t.ts_event_ns = ts0_ + static_cast<int64_t>(id) * 1000;
      t.ts_recv_ns = t.ts_event_ns + 500;
      b.trades.push_back(std::move(t));
    }
    return b;
  }

 private:
  std::vector<std::string> names_;
  int64_t ts0_ = 0;
};

/// COPY text rows (tab-separated, the trades table's columns) -> CSV rows.
/// The generated fields hold no comma, quote, tab or backslash, so the
/// conversion is a plain substitution.
void append_csv(std::ofstream& out, const std::vector<trade>& rows) {
  auto text = pg::copy_rows(rows);
  size_t pos = 0;
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    if (eol == std::string::npos)
      eol = text.size();
    std::string line = text.substr(pos, eol - pos);
    for (auto& c : line)
      if (c == '\t')
        c = ',';
    out << line << '\n';
    pos = eol + 1;
  }
}

std::string make_journal_dir(const options& o, const char* what) {
  if (!o.journal_dir.empty())
    return o.journal_dir + "/" + what;
  auto base = std::filesystem::temp_directory_path()
              / ("tickflow-storage-bench-" + std::to_string(::getpid()));
  return (base / what).string();
}

/// Redis INFO stats total_commands_processed; -1 on failure.
long long redis_commands(redis::redis_client& c) {
  auto r = c.execute({"INFO", "stats"});
  if (!r)
    return -1;
  const std::string key = "total_commands_processed:";
  auto p = r->text.find(key);
  if (p == std::string::npos)
    return -1;
  return std::atoll(r->text.c_str() + p + key.size());
}

int run(const options& o) {
  auto t = load_topology(default_config_text(), "<embedded default>");
  if (!t) {
    std::cerr << "storage_bench: default config: " << t.err().context << "\n";
    return 1;
  }
  auto topo = *t;
  const bool pg_mode = o.mode == "postgres";
  std::string jdir;
  if (pg_mode) {
    topo.storage.enabled = true;
    topo.storage.dsn = o.dsn;
    jdir = make_journal_dir(o, "storage-journal");
    topo.storage.journal_dir = jdir;
  } else {
    topo.redis.enabled = true;
    topo.redis.host = "127.0.0.1";
    topo.redis.port = o.redis_port;
    topo.redis.key_prefix = "bench";
    jdir = make_journal_dir(o, "redis-journal");
    topo.redis.journal_dir = jdir;
  }

  {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path{jdir}.parent_path(), ec);
    if (ec) {
      std::cerr << "storage_bench: cannot create " << jdir << ": " << ec.message() << "\n";
      return 2;
    }
  }

  std::ofstream csv;
  if (!o.csv.empty()) {
    csv.open(o.csv, std::ios::binary | std::ios::trunc);
    if (!csv) {
      std::cerr << "storage_bench: cannot write " << o.csv << "\n";
      return 2;
    }
  }

  // Observers: a second connection to each server.
  pg::pg_client pgc;
  redis::redis_client rc;
  size_t rows_before = 0;
  long long cmds_before = 0;
  if (pg_mode) {
    pg::client_options po;
    po.conninfo = o.dsn;
    po.application_name = "storage_bench";
    pgc = pg::pg_client{po};
  } else {
    if (auto r = rc.connect("127.0.0.1", o.redis_port, 2000); !r) {
      std::cerr << "storage_bench: redis: " << r.err().context << "\n";
      return 1;
    }
  }

  // Pre-build the batches (and the CSV) so that the run measures the writer.
  trade_source src{o};
  std::vector<event_batch> batches;
  batches.reserve(o.rows / o.batch + 1);
  for (uint64_t first = 0; first < o.rows; first += o.batch) {
    auto n = std::min<size_t>(o.batch, o.rows - first);
    batches.push_back(src.make(first, n));
    if (csv)
      append_csv(csv, batches.back().trades);
  }
  if (csv) {
    csv.close();
    if (!csv) {
      std::cerr << "storage_bench: writing " << o.csv << " failed\n";
      return 2;
    }
  }

  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", topo.actors.threads);
  int code = 0;
  {
    caf::actor_system sys{cfg};
    caf::scoped_actor self{sys};
    // Either writer, driven the same way: one untyped handle for both.
    auto writer = pg_mode ? caf::actor_cast<caf::actor>(spawn_storage_writer(sys, topo))
                          : caf::actor_cast<caf::actor>(spawn_cache_writer(sys, topo));
    // Wait until the writer is up (migrations done, connected): one stats
    // round trip, then for Postgres the table must be readable.
    self->request(writer, std::chrono::seconds{60}, stats_atom::value,
                  writer_atom::value)
      .receive([](const writer_stats&) {}, [&](caf::error&) { code = 1; });
    if (pg_mode) {
      auto deadline = steady::now() + std::chrono::seconds{30};
      for (;;) {
        auto n = pgc.count_trades();
        if (n) {
          rows_before = *n;
          break;
        }
        if (steady::now() > deadline) {
          std::cerr << "storage_bench: count_trades: " << n.err().context << "\n";
          code = 1;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
      }
    } else {
      cmds_before = redis_commands(rc);
    }

    bool stalled = code != 0;
    size_t inflight = 0;
    size_t next = 0;
    auto await_ack = [&] {
      bool got = false;
      self->receive([&](ack_atom) { got = true; },
                    caf::after(std::chrono::seconds{30}) >> [] {});
      if (got)
        --inflight;
      return got;
    };
    auto t0 = steady::now();
    double cpu0 = cpu_seconds();
    while (!stalled && next < batches.size()) {
      while (inflight < o.window && next < batches.size()) {
        self->send(writer, std::move(batches[next++]));
        ++inflight;
      }
      if (!await_ack())
        stalled = true;
    }
    while (!stalled && inflight > 0)
      if (!await_ack())
        stalled = true;
    auto t_acked = steady::now();
    size_t stored = 0;
    long long cmds = 0;
    auto deadline = t0 + std::chrono::duration_cast<steady::duration>(
                           std::chrono::duration<double>(o.timeout_s));
    if (pg_mode && !stalled) {
      for (;;) {
        auto n = pgc.count_trades();
        if (n && *n - rows_before >= o.rows) {
          stored = *n - rows_before;
          break;
        }
        if (steady::now() > deadline) {
          stored = n ? *n - rows_before : 0;
          stalled = true;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
      }
    }
    auto t1 = steady::now();
    double cpu1 = cpu_seconds();
    if (!pg_mode) {
      auto after = redis_commands(rc);
      // Minus the one INFO of the first reading (the second one counts too
      // only after it ran, so it is not in `after`).
      cmds = (after >= 0 && cmds_before >= 0) ? after - cmds_before - 1 : -1;
    }
    writer_stats ws;
    self->request(writer, std::chrono::seconds{30}, stats_atom::value,
                  writer_atom::value)
      .receive([&](const writer_stats& s) { ws = s; }, [](caf::error&) {});

    double secs = seconds_between(t0, t1);
    double events = static_cast<double>(o.rows);
    std::cout << "{\"label\":\"" << o.label << "\",\"mode\":\"" << o.mode
              << "\",\"rows\":" << o.rows << ",\"batch\":" << o.batch
              << ",\"window\":" << o.window
              << ",\"instruments\":" << o.instruments
              << ",\"seconds\":" << secs
              << ",\"acked_seconds\":" << seconds_between(t0, t_acked)
              << ",\"cpu_cores\":" << (secs > 0 ? (cpu1 - cpu0) / secs : 0);
    if (pg_mode) {
      std::cout << ",\"stored\":" << stored << ",\"rows_per_s\":"
                << (secs > 0 ? static_cast<double>(stored) / secs : 0);
    } else {
      std::cout << ",\"events\":" << 2 * o.rows
                << ",\"trades_per_s\":" << (secs > 0 ? events / secs : 0)
                << ",\"events_per_s\":" << (secs > 0 ? 2 * events / secs : 0)
                << ",\"commands\":" << cmds << ",\"commands_per_s\":"
                << (secs > 0 && cmds >= 0 ? static_cast<double>(cmds) / secs : 0);
    }
    std::cout << ",\"writer_batches_in\":" << ws.batches_in
              << ",\"writer_written\":" << ws.written
              << ",\"writer_journaled\":" << ws.journaled
              << ",\"writer_failures\":" << ws.failures
              << ",\"stalled\":" << (stalled ? "true" : "false") << "}"
              << std::endl;
    if (stalled)
      code = 1;
    caf::anon_send_exit(writer, caf::exit_reason::user_shutdown);
  } // ~actor_system waits for the writer (its final flush)
  std::error_code ec;
  if (o.journal_dir.empty())
    std::filesystem::remove_all(std::filesystem::path{jdir}.parent_path(), ec);
  return code;
}

} // namespace

int main(int argc, char** argv) {
  install_provider_registry();
  auto o = parse_options(argc, argv);
  log_settings quiet;
  quiet.level = "warn";
  setup_logging(quiet);
  return run(o);
}
