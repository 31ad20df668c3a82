#include "pipeline/topology/topology.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/decimal.hpp"
#include "pipeline/model/interval.hpp"

using namespace tickflow;

namespace {

namespace fs = std::filesystem;

constexpr std::string_view embedded = "<embedded default>";

std::string read_file(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

decimal dec(std::string_view s) {
  auto d = decimal::parse(s);
  EXPECT_TRUE(d.ok()) << s;
  return d ? *d : decimal{};
}

std::string render(const std::vector<simulated_symbol>& xs) {
  std::string out;
  for (auto& x : xs) {
    if (!out.empty())
      out += ",";
    out += x.instrument + ":" + x.start_price.to_string();
  }
  return out;
}

std::string render(const std::vector<interval>& xs) {
  std::string out;
  for (auto x : xs) {
    if (!out.empty())
      out += ",";
    out.append(to_string(x));
  }
  return out;
}

std::string render(const std::vector<std::string>& xs) {
  std::string out;
  for (auto& x : xs) {
    if (!out.empty())
      out += ",";
    out += x;
  }
  return out;
}

// -- the embedded default -----------------------------------------------------

TEST(DefaultConfig, LoadsWithTheDocumentedValues) {
  auto t = load_topology(default_config_text(), embedded);
  ASSERT_TRUE(t.ok()) << t.err().context;
  // [log]
  EXPECT_EQ(t->log.level, "info");
  EXPECT_FALSE(t->log.json);
  // [actors]
  EXPECT_EQ(t->actors.threads, 2u);
  EXPECT_EQ(t->actors.idle, idle_policy::poll);
  // [gateway]
  EXPECT_EQ(t->gateway.bind, "127.0.0.1");
  EXPECT_EQ(t->gateway.port, 8003);
  EXPECT_EQ(t->gateway.max_connections, 1024u);
  EXPECT_EQ(t->gateway.request_timeout_ns, 5'000'000'000);
  EXPECT_EQ(t->gateway.idle_timeout_ns, 60'000'000'000);
  EXPECT_EQ(t->gateway.max_header_bytes, 8192u);
  EXPECT_EQ(t->gateway.max_body_bytes, 1048576u);
  // [broadcaster]
  EXPECT_EQ(t->broadcaster.bind, "127.0.0.1");
  EXPECT_EQ(t->broadcaster.port, 8004);
  EXPECT_EQ(t->broadcaster.path, "/api/v1/stream");
  EXPECT_EQ(t->broadcaster.max_clients, 1000u);
  EXPECT_EQ(t->broadcaster.max_message_bytes, 65536u);
  EXPECT_EQ(t->broadcaster.client_queue_bytes, 4194304u);
  EXPECT_EQ(t->broadcaster.max_channels_per_client, 256u);
  // [pipeline]
  EXPECT_EQ(t->pipeline.queue_bound, 64u);
  EXPECT_EQ(t->pipeline.overflow, overflow_policy::block);
  // [validator]
  EXPECT_EQ(t->validator.count, 2u);
  // [cache]
  EXPECT_EQ(t->cache.max_instruments, 10000u);
  EXPECT_EQ(t->cache.max_bars_per_series, 1000u);
  // [supervisor]
  EXPECT_EQ(t->supervisor.restart_backoff_min_ns, 100'000'000);
  EXPECT_EQ(t->supervisor.restart_backoff_max_ns, 30'000'000'000);
  EXPECT_EQ(t->supervisor.restart_reset_after_ns, 60'000'000'000);
  // [providers]
  EXPECT_EQ(t->providers, std::vector<std::string>{"simulator"});
  // [simulator]
  EXPECT_EQ(render(t->simulator.symbols),
            "BTC-USDT:65000,ETH-USDT:3500,SOL-USDT:150,AAPL:190,MSFT:420");
  EXPECT_EQ(t->simulator.tick_size, dec("0.01"));
  EXPECT_EQ(t->simulator.lot_size, dec("0.001"));
  EXPECT_EQ(t->simulator.max_lots, 1000u);
  EXPECT_EQ(t->simulator.max_step_ticks, 5u);
  EXPECT_EQ(t->simulator.trades_per_second, 20.0);
  EXPECT_EQ(t->simulator.seed, 42u);
  EXPECT_EQ(render(t->simulator.bar_intervals), "1s,1m");
  EXPECT_EQ(t->simulator.timer_ns, 10'000'000);
}

TEST(DefaultConfig, EqualsTheStructDefaults) {
  auto t = load_topology(default_config_text(), embedded);
  ASSERT_TRUE(t.ok()) << t.err().context;
  const topology d;
  EXPECT_EQ(t->log.level, d.log.level);
  EXPECT_EQ(t->log.json, d.log.json);
  EXPECT_EQ(t->actors.threads, d.actors.threads);
  EXPECT_EQ(t->actors.idle, d.actors.idle);
  EXPECT_EQ(t->gateway.bind, d.gateway.bind);
  EXPECT_EQ(t->gateway.port, d.gateway.port);
  EXPECT_EQ(t->gateway.max_connections, d.gateway.max_connections);
  EXPECT_EQ(t->gateway.request_timeout_ns, d.gateway.request_timeout_ns);
  EXPECT_EQ(t->gateway.idle_timeout_ns, d.gateway.idle_timeout_ns);
  EXPECT_EQ(t->gateway.max_header_bytes, d.gateway.max_header_bytes);
  EXPECT_EQ(t->gateway.max_body_bytes, d.gateway.max_body_bytes);
  EXPECT_EQ(t->broadcaster.bind, d.broadcaster.bind);
  EXPECT_EQ(t->broadcaster.port, d.broadcaster.port);
  EXPECT_EQ(t->broadcaster.path, d.broadcaster.path);
  EXPECT_EQ(t->broadcaster.max_clients, d.broadcaster.max_clients);
  EXPECT_EQ(t->broadcaster.max_message_bytes,
            d.broadcaster.max_message_bytes);
  EXPECT_EQ(t->broadcaster.client_queue_bytes,
            d.broadcaster.client_queue_bytes);
  EXPECT_EQ(t->broadcaster.max_channels_per_client,
            d.broadcaster.max_channels_per_client);
  EXPECT_EQ(t->pipeline.queue_bound, d.pipeline.queue_bound);
  EXPECT_EQ(t->pipeline.overflow, d.pipeline.overflow);
  EXPECT_EQ(t->validator.count, d.validator.count);
  EXPECT_EQ(t->cache.max_instruments, d.cache.max_instruments);
  EXPECT_EQ(t->cache.max_bars_per_series, d.cache.max_bars_per_series);
  EXPECT_EQ(t->supervisor.restart_backoff_min_ns,
            d.supervisor.restart_backoff_min_ns);
  EXPECT_EQ(t->supervisor.restart_backoff_max_ns,
            d.supervisor.restart_backoff_max_ns);
  EXPECT_EQ(t->supervisor.restart_reset_after_ns,
            d.supervisor.restart_reset_after_ns);
  EXPECT_EQ(t->providers, d.providers);
  // The struct has no symbols: only the config file lists instruments.
  EXPECT_TRUE(d.simulator.symbols.empty());
  EXPECT_EQ(t->simulator.tick_size, d.simulator.tick_size);
  EXPECT_EQ(t->simulator.lot_size, d.simulator.lot_size);
  EXPECT_EQ(t->simulator.max_lots, d.simulator.max_lots);
  EXPECT_EQ(t->simulator.max_step_ticks, d.simulator.max_step_ticks);
  EXPECT_EQ(t->simulator.trades_per_second, d.simulator.trades_per_second);
  EXPECT_EQ(t->simulator.seed, d.simulator.seed);
  EXPECT_EQ(t->simulator.bar_intervals, d.simulator.bar_intervals);
  EXPECT_EQ(t->simulator.timer_ns, d.simulator.timer_ns);
}

TEST(DefaultConfig, EmbeddedTextIsTheFile) {
  auto file = read_file(TICKFLOW_SOURCE_DIR "/configs/default.ini");
  ASSERT_FALSE(file.empty());
  EXPECT_EQ(default_config_text(), file);
}

TEST(DefaultConfig, SetsEveryKeyAndUsesLoopbackOnly) {
  // Every key appears with a comment above it, so the file documents all.
  auto text = std::string{default_config_text()};
  for (auto key : {"level =", "format =", "threads =", "idle-workers =", "bind =", "port =",
                   "max-connections =", "request-timeout =", "idle-timeout =",
                   "max-header-bytes =", "max-body-bytes =", "path =",
                   "max-clients =", "max-message-bytes =",
                   "client-queue-bytes =", "max-channels-per-client =",
                   "queue-bound =", "overflow =", "count =",
                   "max-instruments =", "max-bars-per-series =",
                   "restart-backoff-min =", "restart-backoff-max =",
                   "restart-reset-after =", "enabled =", "symbols =",
                   "tick-size =", "lot-size =", "max-lots =",
                   "max-step-ticks =", "trades-per-second =", "seed =",
                   "bar-intervals =", "timer ="}) {
    auto at = text.find(std::string{"\n"} + key);
    ASSERT_NE(at, std::string::npos) << key;
    auto prev_line_start = text.rfind('\n', at - 1);
    ASSERT_NE(prev_line_start, std::string::npos) << key;
    EXPECT_EQ(text[prev_line_start + 1], '#') << key << " is undocumented";
  }
  EXPECT_EQ(text.find("bind = 0.0.0.0"), std::string::npos);
  // No URL but the loopback one of the commented REST provider example.
  EXPECT_EQ(text.find("https"), std::string::npos);
  EXPECT_EQ(text.find("http://"), text.find("http://127.0.0.1:9001"));
  EXPECT_EQ(text.find("http://", text.find("http://") + 1), std::string::npos);
  EXPECT_EQ(text.find(")tickflow_ini\""), std::string::npos);
}

TEST(ConfigFiles, EveryShippedConfigLoads) {
  size_t n = 0;
  for (auto& f : fs::directory_iterator{TICKFLOW_SOURCE_DIR "/configs"}) {
    if (f.path().extension() != ".ini")
      continue;
    ++n;
    auto source = f.path().string();
    auto t = load_topology(read_file(f.path()), source);
    EXPECT_TRUE(t.ok()) << (t ? std::string{} : t.err().context);
  }
  EXPECT_GE(n, 1u);
}

// -- invalid examples ---------------------------------------------------------

TEST(InvalidConfigs, EachFailsWithItsExpectedMessage) {
  const std::string dir = TICKFLOW_SOURCE_DIR "/tests/configs/invalid";
  std::vector<std::string> paths;
  for (auto& f : fs::directory_iterator{dir})
    if (f.path().extension() == ".ini")
      paths.push_back(dir + "/" + f.path().filename().string());
  std::sort(paths.begin(), paths.end());
  ASSERT_GE(paths.size(), 10u);
  const std::string tag = "# expect: FILE";
  for (auto& path : paths) {
    SCOPED_TRACE(path);
    auto text = read_file(path);
    auto first = text.substr(0, text.find('\n'));
    ASSERT_EQ(first.compare(0, tag.size(), tag), 0)
      << "first line must start with \"" << tag << "\"";
    auto expected = path + first.substr(tag.size());
    auto t = load_topology(text, path);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.err().code, errc::config_invalid);
    EXPECT_EQ(t.err().context, expected);
  }
}

// -- one key at a time --------------------------------------------------------

/// The key's rendered value after a successful load.
using getter = std::string (*)(const topology&);

struct key_case {
  const char* section;
  const char* key;
  std::string value;    ///< written after "key = "
  std::string expected; ///< the rendered value, or the problem text
  bool ok;
};

/// A minimal valid file with `key = value` added; sets line to its line.
std::string with_key(const key_case& c, size_t& line) {
  std::string section = c.section;
  std::string key = c.key;
  std::string entry = key + " = " + c.value + "\n";
  if (section == "simulator" && key == "symbols") {
    line = 2;
    return "[simulator]\n" + entry;
  }
  if (section == "simulator") {
    line = 3;
    return "[simulator]\nsymbols = BTC-USDT:1\n" + entry;
  }
  line = 4;
  return "[simulator]\nsymbols = BTC-USDT:1\n[" + section + "]\n" + entry;
}

void run_table(const std::vector<key_case>& cases, getter get) {
  for (auto& c : cases) {
    SCOPED_TRACE(std::string{c.section} + "." + c.key + " = " + c.value);
    size_t line = 0;
    auto text = with_key(c, line);
    auto t = load_topology(text, "t.ini");
    ASSERT_EQ(t.ok(), c.ok) << (t ? get(*t) : t.err().context);
    if (c.ok) {
      EXPECT_EQ(get(*t), c.expected);
    } else {
      EXPECT_EQ(t.err().code, errc::config_invalid);
      EXPECT_EQ(t.err().context, "t.ini:" + std::to_string(line) + ": "
                                   + c.section + "." + c.key + ": "
                                   + c.expected);
    }
  }
}

const std::string int_1_64 = "must be an integer in 1..64, got ";

TEST(TopologyKeys, Integers) {
  run_table(
    {
      {"actors", "threads", "1", "1", true},
      {"actors", "threads", "64", "64", true},
      {"actors", "threads", "007", "7", true},
      {"actors", "threads", "4 # comment", "4", true},
      {"actors", "threads", "\"4\"", "4", true},
      {"actors", "threads", "0", int_1_64 + "\"0\"", false},
      {"actors", "threads", "65", int_1_64 + "\"65\"", false},
      {"actors", "threads", "two", int_1_64 + "\"two\"", false},
      {"actors", "threads", "-1", int_1_64 + "\"-1\"", false},
      {"actors", "threads", "+1", int_1_64 + "\"+1\"", false},
      {"actors", "threads", "1.0", int_1_64 + "\"1.0\"", false},
      {"actors", "threads", "0x10", int_1_64 + "\"0x10\"", false},
      {"actors", "threads", "4 threads", int_1_64 + "\"4 threads\"", false},
      {"actors", "threads", "", int_1_64 + "\"\"", false},
      {"actors", "threads", "99999999999999999999999",
       int_1_64 + "\"99999999999999999999999\"", false},
    },
    [](const topology& t) { return std::to_string(t.actors.threads); });
  run_table(
    {
      {"validator", "count", "64", "64", true},
      {"validator", "count", "0", int_1_64 + "\"0\"", false},
    },
    [](const topology& t) { return std::to_string(t.validator.count); });
  run_table(
    {
      {"pipeline", "queue-bound", "100000", "100000", true},
      {"pipeline", "queue-bound", "100001",
       "must be an integer in 1..100000, got \"100001\"", false},
    },
    [](const topology& t) { return std::to_string(t.pipeline.queue_bound); });
  run_table(
    {
      {"gateway", "max-body-bytes", "0", "0", true},
      {"gateway", "max-body-bytes", "67108865",
       "must be an integer in 0..67108864, got \"67108865\"", false},
      {"gateway", "max-header-bytes", "1023",
       "must be an integer in 1024..1048576, got \"1023\"", false},
    },
    [](const topology& t) {
      return std::to_string(t.gateway.max_body_bytes);
    });
  run_table(
    {
      {"simulator", "seed", "0", "0", true},
      {"simulator", "seed", "18446744073709551615", "18446744073709551615",
       true},
      {"simulator", "seed", "18446744073709551616",
       "must be an integer in 0..18446744073709551615, got "
       "\"18446744073709551616\"",
       false},
    },
    [](const topology& t) { return std::to_string(t.simulator.seed); });
  run_table(
    {
      {"simulator", "max-lots", "1000000", "1000000", true},
      {"simulator", "max-lots", "0",
       "must be an integer in 1..1000000, got \"0\"", false},
      {"simulator", "max-step-ticks", "1001",
       "must be an integer in 1..1000, got \"1001\"", false},
    },
    [](const topology& t) { return std::to_string(t.simulator.max_lots); });
}

TEST(TopologyKeys, Ports) {
  const std::string range = "must be an integer in 0..65535, got ";
  run_table(
    {
      {"gateway", "port", "0", "0", true},
      {"gateway", "port", "65535", "65535", true},
      {"gateway", "port", "65536", range + "\"65536\"", false},
      {"gateway", "port", "-1", range + "\"-1\"", false},
      {"gateway", "port", "80a", range + "\"80a\"", false},
      {"gateway", "port", "http", range + "\"http\"", false},
    },
    [](const topology& t) { return std::to_string(t.gateway.port); });
  run_table(
    {
      {"broadcaster", "port", "9000", "9000", true},
      {"broadcaster", "port", "70000", range + "\"70000\"", false},
    },
    [](const topology& t) { return std::to_string(t.broadcaster.port); });
}

TEST(TopologyKeys, Durations) {
  const std::string timeout =
    "must be a duration in 1ms..1h (an integer and a unit: ns, us, ms, s, m,"
    " h), got ";
  run_table(
    {
      {"gateway", "request-timeout", "1ms", "1000000", true},
      {"gateway", "request-timeout", "1000us", "1000000", true},
      {"gateway", "request-timeout", "1000000ns", "1000000", true},
      {"gateway", "request-timeout", "30s", "30000000000", true},
      {"gateway", "request-timeout", "5m", "300000000000", true},
      {"gateway", "request-timeout", "1h", "3600000000000", true},
      {"gateway", "request-timeout", "0ms", timeout + "\"0ms\"", false},
      {"gateway", "request-timeout", "999us", timeout + "\"999us\"", false},
      {"gateway", "request-timeout", "61m", timeout + "\"61m\"", false},
      {"gateway", "request-timeout", "5", timeout + "\"5\"", false},
      {"gateway", "request-timeout", "5 s", timeout + "\"5 s\"", false},
      {"gateway", "request-timeout", "5S", timeout + "\"5S\"", false},
      {"gateway", "request-timeout", "5sec", timeout + "\"5sec\"", false},
      {"gateway", "request-timeout", "1.5s", timeout + "\"1.5s\"", false},
      {"gateway", "request-timeout", "-1s", timeout + "\"-1s\"", false},
      {"gateway", "request-timeout", "s", timeout + "\"s\"", false},
      {"gateway", "request-timeout", "", timeout + "\"\"", false},
      {"gateway", "request-timeout", "99999999999h",
       timeout + "\"99999999999h\"", false},
      {"gateway", "request-timeout", "9999999999999999999999ms",
       timeout + "\"9999999999999999999999ms\"", false},
    },
    [](const topology& t) {
      return std::to_string(t.gateway.request_timeout_ns);
    });
  run_table(
    {
      {"gateway", "idle-timeout", "24h", "86400000000000", true},
      {"gateway", "idle-timeout", "25h",
       "must be a duration in 1ms..24h (an integer and a unit: ns, us, ms,"
       " s, m, h), got \"25h\"",
       false},
    },
    [](const topology& t) {
      return std::to_string(t.gateway.idle_timeout_ns);
    });
  run_table(
    {
      {"supervisor", "restart-reset-after", "1s", "1000000000", true},
      {"supervisor", "restart-reset-after", "999ms",
       "must be a duration in 1s..24h (an integer and a unit: ns, us, ms,"
       " s, m, h), got \"999ms\"",
       false},
    },
    [](const topology& t) {
      return std::to_string(t.supervisor.restart_reset_after_ns);
    });
  run_table(
    {
      {"simulator", "timer", "1ms", "1000000", true},
      {"simulator", "timer", "500us", timeout + "\"500us\"", false},
    },
    [](const topology& t) { return std::to_string(t.simulator.timer_ns); });
}

TEST(TopologyKeys, Choices) {
  const std::string levels =
    "must be one of trace|debug|info|warn|error|critical|off, got ";
  run_table(
    {
      {"log", "level", "trace", "trace", true},
      {"log", "level", "debug", "debug", true},
      {"log", "level", "info", "info", true},
      {"log", "level", "warn", "warn", true},
      {"log", "level", "error", "error", true},
      {"log", "level", "critical", "critical", true},
      {"log", "level", "off", "off", true},
      {"log", "level", "INFO", levels + "\"INFO\"", false},
      {"log", "level", "warning", levels + "\"warning\"", false},
      {"log", "level", "", levels + "\"\"", false},
    },
    [](const topology& t) { return t.log.level; });
  run_table(
    {
      {"log", "format", "text", "text", true},
      {"log", "format", "json", "json", true},
      {"log", "format", "xml", "must be one of text|json, got \"xml\"",
       false},
    },
    [](const topology& t) {
      return std::string{t.log.json ? "json" : "text"};
    });
  run_table(
    {
      {"pipeline", "overflow", "block", "block", true},
      {"pipeline", "overflow", "drop", "drop", true},
      {"pipeline", "overflow", "conflate",
       "must be one of block|drop, got \"conflate\"", false},
    },
    [](const topology& t) {
      return std::string{t.pipeline.overflow == overflow_policy::block
                           ? "block"
                           : "drop"};
    });
  run_table(
    {
      {"actors", "idle-workers", "poll", "poll", true},
      {"actors", "idle-workers", "sleep", "sleep", true},
      {"actors", "idle-workers", "spin",
       "must be one of poll|sleep, got \"spin\"", false},
      {"actors", "idle-workers", "Sleep",
       "must be one of poll|sleep, got \"Sleep\"", false},
    },
    [](const topology& t) {
      return std::string{t.actors.idle == idle_policy::poll ? "poll" : "sleep"};
    });
}

TEST(TopologyKeys, BindAddresses) {
  const std::string bad =
    "must be an IPv4 or IPv6 address literal or \"localhost\", got ";
  std::vector<key_case> cases;
  for (auto ok : {"127.0.0.1", "0.0.0.0", "255.255.255.255", "localhost",
                  "::1", "::", "fe80::1", "2001:db8::8:800:200c:417a",
                  "2001:DB8:0:0:8:800:200C:417A", "1:2:3:4:5:6:7:8",
                  "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "::ffff:127.0.0.1",
                  "1:2:3:4:5:6:1.2.3.4"})
    cases.push_back({"gateway", "bind", ok, ok, true});
  for (auto no : {"", "127.0.0.256", "127.0.0.01", "127.0.0", "1.2.3.4.5",
                  "1..2.3", "example.com", "LOCALHOST", "[::1]", ":::1",
                  "1::2::3", "12345::", ":1", "1:", "1:2:3:4:5:6:7:8:9",
                  "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3",
                  "1.2.3.4::", "fe80::1%eth0", "::g", "127.0.0.1:80"})
    cases.push_back(
      {"gateway", "bind", no, bad + "\"" + std::string{no} + "\"", false});
  run_table(cases, [](const topology& t) { return t.gateway.bind; });
  run_table({{"broadcaster", "bind", "::1", "::1", true},
             {"broadcaster", "bind", "host", bad + "\"host\"", false}},
            [](const topology& t) { return t.broadcaster.bind; });
}

TEST(TopologyKeys, StreamPath) {
  const std::string bad = "must be a URL path starting with '/' (no blanks,"
                          " '?' or '#'), got ";
  run_table(
    {
      {"broadcaster", "path", "/", "/", true},
      {"broadcaster", "path", "/api/v1/stream", "/api/v1/stream", true},
      {"broadcaster", "path", "\"/ws\"", "/ws", true},
      {"broadcaster", "path", "api", bad + "\"api\"", false},
      {"broadcaster", "path", "", bad + "\"\"", false},
      {"broadcaster", "path", "\"/a b\"", bad + "\"/a b\"", false},
      {"broadcaster", "path", "/a?x=1", bad + "\"/a?x=1\"", false},
      {"broadcaster", "path", "/a#b", bad + "\"/a#b\"", false},
    },
    [](const topology& t) { return t.broadcaster.path; });
}

TEST(TopologyKeys, PositiveDecimals) {
  const std::string bad = "must be a plain decimal > 0, got ";
  run_table(
    {
      {"simulator", "tick-size", "0.01", "0.01", true},
      {"simulator", "tick-size", "1", "1", true},
      {"simulator", "tick-size", "0.00100", "0.001", true},
      {"simulator", "tick-size", "0", bad + "\"0\"", false},
      {"simulator", "tick-size", "0.000", bad + "\"0.000\"", false},
      {"simulator", "tick-size", "-0.01", bad + "\"-0.01\"", false},
      {"simulator", "tick-size", "1e-2", bad + "\"1e-2\"", false},
      {"simulator", "tick-size", "abc", bad + "\"abc\"", false},
      {"simulator", "tick-size", "", bad + "\"\"", false},
    },
    [](const topology& t) { return t.simulator.tick_size.to_string(); });
  run_table(
    {
      {"simulator", "lot-size", "0.5", "0.5", true},
      {"simulator", "lot-size", "nan", bad + "\"nan\"", false},
    },
    [](const topology& t) { return t.simulator.lot_size.to_string(); });
}

TEST(TopologyKeys, TradesPerSecond) {
  const std::string bad = "must be a number > 0 and <= 1000000, got ";
  run_table(
    {
      {"simulator", "trades-per-second", "20", "20.000000", true},
      {"simulator", "trades-per-second", "0.5", "0.500000", true},
      {"simulator", "trades-per-second", "1000000", "1000000.000000", true},
      {"simulator", "trades-per-second", "1000000.01",
       bad + "\"1000000.01\"", false},
      {"simulator", "trades-per-second", "0", bad + "\"0\"", false},
      {"simulator", "trades-per-second", "-1", bad + "\"-1\"", false},
      {"simulator", "trades-per-second", "1e3", bad + "\"1e3\"", false},
      {"simulator", "trades-per-second", "fast", bad + "\"fast\"", false},
    },
    [](const topology& t) {
      return std::to_string(t.simulator.trades_per_second);
    });
}

TEST(TopologyKeys, Providers) {
  const std::string known =
    " (known: simulator, replay, binance, polygon, coingecko, coinmarketcap,"
    " alpha_vantage, eodhd, finnhub, yahoo, massive_futures, newsapi)";
  run_table(
    {
      {"providers", "enabled", "simulator", "simulator", true},
      {"providers", "enabled", " simulator ", "simulator", true},
      {"providers", "enabled", "", "must list at least one provider", false},
      {"providers", "enabled", "simulator,",
       "list has an empty item: \"simulator,\"", false},
      {"providers", "enabled", "simulator, simulator",
       "provider \"simulator\" is listed twice", false},
      {"providers", "enabled", "Simulator",
       "unknown provider \"Simulator\"" + known, false},
      {"providers", "enabled", "nasdaq",
       "unknown provider \"nasdaq\"" + known, false},
      {"providers", "enabled", "replay",
       "provider \"replay\" is not implemented yet", false},
      {"providers", "enabled", "simulator, replay",
       "provider \"replay\" is not implemented yet", false},
    },
    [](const topology& t) { return render(t.providers); });
}

TEST(TopologyKeys, SimulatedSymbols) {
  const std::string not_canonical =
    " is not a canonical instrument id (1 to 32 of A-Z, 0-9, '-', '.', '=',"
    " '_', '/', ':')";
  run_table(
    {
      {"simulator", "symbols", "BTC-USDT:65000.00", "BTC-USDT:65000", true},
      // Ids are kept as clients resolve them (issue 21): EURUSD=X is
      // EUR-USD, and a venue prefix names no other instrument.
      {"simulator", "symbols", "EURUSD=X:1.0850, BRK.B:400,ESZ6:5000.25",
       "EUR-USD:1.085,BRK.B:400,ESZ6:5000.25", true},
      {"simulator", "symbols", "BTC-USDT : 1", "BTC-USDT:1", true},
      {"simulator", "symbols", "CME:ES:5000", "ES:5000", true},
      {"simulator", "symbols", "",
       "must list at least one INSTRUMENT:START_PRICE", false},
      {"simulator", "symbols", "BTC-USDT",
       "entry \"BTC-USDT\" must be INSTRUMENT:START_PRICE", false},
      {"simulator", "symbols", ":1", "\"\"" + not_canonical, false},
      {"simulator", "symbols", "btc-usdt:1", "\"btc-usdt\"" + not_canonical,
       false},
      {"simulator", "symbols", "BTC-USDT:",
       "start price of BTC-USDT must be a plain decimal > 0, got \"\"",
       false},
      {"simulator", "symbols", "BTC-USDT:0",
       "start price of BTC-USDT must be a plain decimal > 0, got \"0\"",
       false},
      {"simulator", "symbols", "BTC-USDT:-5",
       "start price of BTC-USDT must be a plain decimal > 0, got \"-5\"",
       false},
      {"simulator", "symbols", "BTC-USDT:1e5",
       "start price of BTC-USDT must be a plain decimal > 0, got \"1e5\"",
       false},
      {"simulator", "symbols", "A:1, A:2", "instrument \"A\" is listed twice",
       false},
      {"simulator", "symbols", "A:1,,B:2",
       "list has an empty item: \"A:1,,B:2\"", false},
    },
    [](const topology& t) { return render(t.simulator.symbols); });
}

TEST(TopologyKeys, BarIntervals) {
  run_table(
    {
      {"simulator", "bar-intervals", "1s, 1m", "1s,1m", true},
      {"simulator", "bar-intervals", "1M", "1M", true},
      {"simulator", "bar-intervals", "1h,4h,1d,1w", "1h,4h,1d,1w", true},
      {"simulator", "bar-intervals", "", "must list at least one interval",
       false},
      {"simulator", "bar-intervals", "1s,1s", "interval \"1s\" is listed twice",
       false},
      {"simulator", "bar-intervals", "1m,",
       "list has an empty item: \"1m,\"", false},
      {"simulator", "bar-intervals", "60s",
       "unknown interval \"60s\" (known: 1s, 1m, 3m, 5m, 15m, 30m, 1h, 2h,"
       " 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M)",
       false},
    },
    [](const topology& t) { return render(t.simulator.bar_intervals); });
}

// -- names and structure ------------------------------------------------------

struct text_case {
  const char* name;
  std::string text;
  std::string error; ///< expected context, empty when the load succeeds
};

void run_texts(const std::vector<text_case>& cases) {
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto t = load_topology(c.text, "t.ini");
    if (c.error.empty()) {
      EXPECT_TRUE(t.ok()) << t.err().context;
    } else {
      ASSERT_FALSE(t.ok());
      EXPECT_EQ(t.err().code, errc::config_invalid);
      EXPECT_EQ(t.err().context, c.error);
    }
  }
}

const std::string sym = "[simulator]\nsymbols = BTC-USDT:1\n";

TEST(TopologyNames, UnknownSectionsAndKeys) {
  run_texts({
    {"SectionTypo", sym + "[valdator]\n",
     "t.ini:3: [valdator]: unknown section (did you mean [validator]?)"},
    {"KeyTypo", sym + "[actors]\nthread = 2\n",
     "t.ini:4: actors.thread: unknown key (did you mean \"threads\"?)"},
    {"KeyUnknown", sym + "[actors]\nworkers = 2\n",
     "t.ini:4: actors.workers: unknown key (known: threads, idle-workers)"},
    {"KeyCaseMatters", sym + "[log]\nLevel = info\n",
     "t.ini:4: log.Level: unknown key (did you mean \"level\"?)"},
    {"EmptySectionIsFine", sym + "[cache]\n", ""},
    {"IniErrorsComeFirst", sym + "[storage]\nbroken\n",
     "t.ini:4: syntax error: expected \"key = value\", got \"broken\""},
    {"FirstProblemInFileOrder",
     sym + "[actors]\nthreads = 0\n[validator]\ncount = 0\n",
     "t.ini:4: actors.threads: must be an integer in 1..64, got \"0\""},
  });
}

TEST(TopologyNames, UnknownSectionListsTheKnownOnes) {
  auto r = load_topology("[database]\n", "t.ini");
  ASSERT_FALSE(r);
  auto& msg = r.err().context;
  EXPECT_EQ(msg.rfind("t.ini:1: [database]: unknown section (known: log, actors, gateway,", 0), 0u)
    << msg;
  for (auto name : {" simulator,", " redis,", " storage,", " validator.duplicate,", " binance,",
                    " massive_futures"})
    EXPECT_NE(msg.find(name), std::string::npos) << name << " missing from: " << msg;
}

TEST(TopologyCrossChecks, Backoff) {
  run_texts({
    {"Equal", sym + "[supervisor]\nrestart-backoff-min = 1s\n"
                    "restart-backoff-max = 1s\n",
     ""},
    {"BothSet", sym + "[supervisor]\nrestart-backoff-min = 1s\n"
                      "restart-backoff-max = 999ms\n",
     "t.ini:5: supervisor.restart-backoff-max: must be >= restart-backoff-min"
     " (1s), got \"999ms\""},
    {"OnlyMinSet", sym + "[supervisor]\nrestart-backoff-min = 1m\n",
     "t.ini:4: supervisor.restart-backoff-min: must be <= restart-backoff-max"
     " (30s), got \"1m\""},
    {"OnlyMaxSet", sym + "[supervisor]\nrestart-backoff-max = 10ms\n",
     "t.ini:4: supervisor.restart-backoff-max: must be >= restart-backoff-min"
     " (100ms), got \"10ms\""},
  });
}

struct ports_case {
  const char* gateway_bind;
  const char* gateway_port;
  const char* broadcaster_bind;
  const char* broadcaster_port;
  bool clash;
};

TEST(TopologyCrossChecks, GatewayAndBroadcasterPorts) {
  const ports_case cases[] = {
    {"127.0.0.1", "9000", "127.0.0.1", "9000", true},
    {"127.0.0.1", "9000", "127.0.0.1", "9001", false},
    {"127.0.0.1", "0", "127.0.0.1", "0", false},
    {"127.0.0.1", "9000", "127.0.0.2", "9000", false},
    {"0.0.0.0", "9000", "127.0.0.1", "9000", true},
    {"127.0.0.1", "9000", "0.0.0.0", "9000", true},
    {"::", "9000", "127.0.0.1", "9000", true},
    {"::1", "9000", "127.0.0.1", "9000", false},
    {"0.0.0.0", "9000", "::1", "9000", false},
    {"localhost", "9000", "::1", "9000", true},
    {"localhost", "9000", "127.0.0.1", "9000", true},
    {"::1", "9000", "0:0:0:0:0:0:0:1", "9000", true},
    {"::ffff:127.0.0.1", "9000", "127.0.0.1", "9000", false},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(std::string{c.gateway_bind} + " / " + c.broadcaster_bind);
    auto text = sym + "[gateway]\nbind = " + c.gateway_bind + "\nport = "
                + c.gateway_port + "\n[broadcaster]\nbind = "
                + c.broadcaster_bind + "\nport = " + c.broadcaster_port
                + "\n";
    auto t = load_topology(text, "t.ini");
    ASSERT_EQ(t.ok(), !c.clash) << (t ? "" : t.err().context);
    if (c.clash) {
      EXPECT_EQ(t.err().context,
                std::string{"t.ini:8: broadcaster.port: port "}
                  + c.gateway_port + " is already used by gateway.port (bind "
                  + c.gateway_bind + ")");
    }
  }
  // Only the gateway moved onto the broadcaster's default port.
  run_texts({
    {"GatewayOnly", sym + "[gateway]\nport = 8004\n",
     "t.ini:4: gateway.port: port 8004 is already used by broadcaster.port"
     " (bind 127.0.0.1)"},
  });
}

TEST(TopologyCrossChecks, SimulatorNeedsSymbols) {
  run_texts({
    {"EmptyText", "",
     "t.ini: simulator.symbols: required because the simulator provider is"
     " enabled by default"},
    {"Listed", "# c\n[providers]\nenabled = simulator\n",
     "t.ini: simulator.symbols: required because providers.enabled (line 3)"
     " lists simulator"},
    {"WithSymbols", sym, ""},
  });
}

TEST(TopologyLoad, MinimalFileKeepsStructDefaults) {
  auto t = load_topology(sym, "t.ini");
  ASSERT_TRUE(t.ok()) << t.err().context;
  const topology d;
  EXPECT_EQ(t->gateway.port, d.gateway.port);
  EXPECT_EQ(t->broadcaster.path, d.broadcaster.path);
  EXPECT_EQ(t->validator.count, d.validator.count);
  EXPECT_EQ(t->providers, d.providers);
  EXPECT_EQ(t->simulator.bar_intervals, d.simulator.bar_intervals);
  EXPECT_EQ(render(t->simulator.symbols), "BTC-USDT:1");
}

TEST(TopologyLoad, ErrorsNameTheSourceAsGiven) {
  auto t = load_topology("[actors]\nthreads = 0\n", "<embedded default>");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.err().context, "<embedded default>:2: actors.threads: "
                             "must be an integer in 1..64, got \"0\"");
}

} // namespace

TEST(RestProviders, SectionsFillSettingsInEnabledOrder) {
  auto t = load_topology("[providers]\n"
                         "enabled = polygon, binance\n"
                         "[binance]\n"
                         "base-url = http://127.0.0.1:9001/\n"
                         "api-key-env = BINANCE_KEY\n"
                         "timeout = 2s\n"
                         "symbols = PEPE-USDT=PEPEUSDT, BTC-USDT=BTCUSDT\n"
                         "[polygon]\n"
                         "base-url = http://127.0.0.1:9002\n"
                         "max-body-bytes = 1048576\n"
                         "[yahoo]\n"
                         "base-url = http://127.0.0.1:9003\n",
                         "t.ini");
  ASSERT_TRUE(t) << t.err().context;
  auto xs = t->enabled_rest_providers();
  ASSERT_EQ(xs.size(), 2u); // yahoo has a section but is not enabled
  EXPECT_EQ(xs[0].name, "polygon");
  EXPECT_EQ(xs[0].max_body_bytes, 1048576u);
  EXPECT_EQ(xs[1].name, "binance");
  EXPECT_EQ(xs[1].base_url, "http://127.0.0.1:9001"); // trailing '/' dropped
  EXPECT_EQ(xs[1].api_key_env, "BINANCE_KEY");
  EXPECT_EQ(xs[1].timeout_ns, 2'000'000'000);
  ASSERT_EQ(xs[1].symbol_overrides.size(), 2u);
  EXPECT_EQ(xs[1].symbol_overrides[0].first, "PEPE-USDT");
  EXPECT_EQ(xs[1].symbol_overrides[0].second, "PEPEUSDT");
  EXPECT_TRUE(is_rest_provider("binance"));
  EXPECT_FALSE(is_rest_provider("simulator"));
  EXPECT_FALSE(is_rest_provider("nope"));
}

TEST(ValidatorConfig, RuleSectionsAndAlerts) {
  auto t = load_topology("[simulator]\nsymbols = BTC-USDT:1\n"
                         "[validator]\nfuture-skew = 2s\nquarantine-capacity = 50\n"
                         "[validator.outlier-zscore]\nenabled = false\nwindow = 50\n"
                         "threshold = 4.5\n"
                         "[validator.duplicate]\naction = flag\nweight = 10\n"
                         "[validator.divergence]\nmax-spread = 0.02\nwindow = 10s\n"
                         "[validator.stale-symbol]\ncadence = BTC-USDT:5s, AAPL:0s\n"
                         "[alerts]\nurls = http://127.0.0.1:9999/alerts\nmax-alerts = 3\n",
                         "t.ini");
  ASSERT_TRUE(t) << t.err().context;
  auto& r = t->validator.rules;
  EXPECT_EQ(r.max_future_skew_ns, 2'000'000'000);
  EXPECT_EQ(r.quarantine_capacity, 50u);
  EXPECT_FALSE(r.enabled(rule::outlier_zscore));
  EXPECT_EQ(r.zscore.window, 50u);
  EXPECT_DOUBLE_EQ(r.zscore.threshold, 4.5);
  EXPECT_EQ(r.of(rule::duplicate).action, rule_action::flag);
  EXPECT_EQ(r.of(rule::duplicate).weight, 10);
  EXPECT_DOUBLE_EQ(r.divergence.max_spread, 0.02);
  EXPECT_EQ(r.divergence.window_ns, 10'000'000'000);
  ASSERT_EQ(r.stale_symbols.cadence_ns.size(), 2u);
  EXPECT_EQ(r.stale_symbols.cadence_ns.at("BTC-USDT"), 5'000'000'000);
  ASSERT_EQ(t->alerts.urls.size(), 1u);
  EXPECT_EQ(t->alerts.urls[0], "http://127.0.0.1:9999/alerts");
  EXPECT_EQ(r.alerts.max_alerts, 3u);
  // A window smaller than min-samples is refused by validate().
  auto bad = load_topology("[simulator]\nsymbols = BTC-USDT:1\n"
                           "[validator.outlier-mad]\nwindow = 10\nmin-samples = 20\n",
                           "t.ini");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.err().context.rfind("t.ini: validator: ", 0), 0u) << bad.err().context;
}

// -- [redis] and [storage] ----------------------------------------------------

TEST(WriterConfig, DefaultsAreOffAndDocumented) {
  auto t = load_topology(default_config_text(), embedded);
  ASSERT_TRUE(t.ok()) << t.err().context;
  const topology d;
  EXPECT_FALSE(t->redis.enabled);
  EXPECT_FALSE(t->storage.enabled);
  EXPECT_EQ(t->redis.host, "127.0.0.1");
  EXPECT_EQ(t->redis.port, 6379);
  EXPECT_EQ(t->redis.connect_timeout_ns, d.redis.connect_timeout_ns);
  EXPECT_EQ(t->redis.ttl_price_ns, 24 * 3600 * 1'000'000'000LL);
  EXPECT_EQ(t->redis.ttl_bars_ns, d.redis.ttl_bars_ns);
  EXPECT_EQ(t->redis.max_bars, d.redis.max_bars);
  EXPECT_EQ(t->redis.key_prefix, d.redis.key_prefix);
  EXPECT_EQ(t->redis.journal_dir, d.redis.journal_dir);
  EXPECT_EQ(t->redis.journal_max_bytes, d.redis.journal_max_bytes);
  EXPECT_EQ(t->redis.journal_policy, journal_full_policy::drop_oldest);
  EXPECT_EQ(t->storage.dsn, d.storage.dsn);
  EXPECT_EQ(t->storage.dsn_env, "");
  EXPECT_EQ(t->storage.batch_size, d.storage.batch_size);
  EXPECT_EQ(t->storage.flush_interval_ns, d.storage.flush_interval_ns);
  EXPECT_EQ(t->storage.retention_ns, 0);
  EXPECT_EQ(t->storage.journal_dir, d.storage.journal_dir);
  EXPECT_EQ(t->storage.journal_max_bytes, d.storage.journal_max_bytes);
  EXPECT_EQ(t->storage.journal_policy, journal_full_policy::reject_new);
  EXPECT_EQ(t->storage.fsync, journal_fsync_policy::interval);
  EXPECT_NE(t->storage.dsn.find("host=127.0.0.1"), std::string::npos);
  // Every writer key is set in the file with a comment above it.
  auto text = std::string{default_config_text()};
  for (auto key : {"host =", "connect-timeout =", "ttl-price =", "ttl-bars =",
                   "max-bars =", "key-prefix =", "journal-dir =",
                   "journal-max-bytes =", "journal-policy =", "dsn =",
                   "dsn-env =", "batch-size =", "flush-interval =",
                   "retention =", "fsync ="}) {
    auto at = text.find(std::string{"\n"} + key);
    ASSERT_NE(at, std::string::npos) << key;
    auto prev = text.rfind('\n', at - 1);
    EXPECT_EQ(text[prev + 1], '#') << key << " is undocumented";
  }
}

TEST(WriterConfig, FullConfigEnablesBothOnLoopback) {
  auto path = std::string{TICKFLOW_SOURCE_DIR} + "/configs/full.ini";
  auto t = load_topology(read_file(path), path);
  ASSERT_TRUE(t.ok()) << t.err().context;
  EXPECT_TRUE(t->redis.enabled);
  EXPECT_TRUE(t->storage.enabled);
  EXPECT_EQ(t->redis.host, "127.0.0.1");
  EXPECT_EQ(t->redis.port, 6379);
  EXPECT_NE(t->storage.dsn.find("host=127.0.0.1 port=5432"), std::string::npos);
  EXPECT_NE(t->redis.journal_dir, t->storage.journal_dir);
}

TEST(WriterConfig, KeysParseAndCheckTheirRanges) {
  auto load = [](const std::string& body) {
    return load_topology("[simulator]\nsymbols = BTC-USDT:1\n" + body, "t.ini");
  };
  auto t = load("[redis]\nenabled = true\nhost = localhost\nport = 16379\n"
                "connect-timeout = 250ms\nttl-price = 0s\nttl-bars = 2h\n"
                "max-bars = 50\nkey-prefix = tf:test\njournal-dir = /tmp/j1\n"
                "journal-max-bytes = 1048576\njournal-policy = reject-new\n"
                "[storage]\nenabled = true\n"
                "dsn = postgresql://tf@127.0.0.1:5433/tf\ndsn-env = TF_PG_PW\n"
                "batch-size = 7\nflush-interval = 50ms\nretention = 48h\n"
                "journal-dir = /tmp/j2\njournal-max-bytes = 2097152\n"
                "journal-policy = drop-oldest\nfsync = always\n");
  ASSERT_TRUE(t.ok()) << t.err().context;
  EXPECT_TRUE(t->redis.enabled);
  EXPECT_EQ(t->redis.host, "localhost");
  EXPECT_EQ(t->redis.port, 16379);
  EXPECT_EQ(t->redis.connect_timeout_ns, 250'000'000);
  EXPECT_EQ(t->redis.ttl_price_ns, 0);
  EXPECT_EQ(t->redis.ttl_bars_ns, 2 * 3600 * 1'000'000'000LL);
  EXPECT_EQ(t->redis.max_bars, 50u);
  EXPECT_EQ(t->redis.key_prefix, "tf:test");
  EXPECT_EQ(t->redis.journal_dir, "/tmp/j1");
  EXPECT_EQ(t->redis.journal_max_bytes, 1048576u);
  EXPECT_EQ(t->redis.journal_policy, journal_full_policy::reject_new);
  EXPECT_TRUE(t->storage.enabled);
  EXPECT_EQ(t->storage.dsn, "postgresql://tf@127.0.0.1:5433/tf");
  EXPECT_EQ(t->storage.dsn_env, "TF_PG_PW");
  EXPECT_EQ(t->storage.batch_size, 7u);
  EXPECT_EQ(t->storage.flush_interval_ns, 50'000'000);
  EXPECT_EQ(t->storage.retention_ns, 48 * 3600 * 1'000'000'000LL);
  EXPECT_EQ(t->storage.journal_policy, journal_full_policy::drop_oldest);
  EXPECT_EQ(t->storage.fsync, journal_fsync_policy::always);

  struct bad_case {
    std::string body;
    std::string error;
  };
  std::vector<bad_case> bad{
    {"[redis]\nport = 0\n",
     "t.ini:4: redis.port: must be an integer in 1..65535, got \"0\""},
    {"[redis]\nhost = red is\n",
     "t.ini:4: redis.host: must be a host name or an IP address literal, got "
     "\"red is\""},
    {"[redis]\nkey-prefix = a b\n",
     "t.ini:4: redis.key-prefix: must be 1 to 64 of A-Z, a-z, 0-9, '_', '-',"
     " '.', ':', got \"a b\""},
    {"[redis]\njournal-max-bytes = 1000\n",
     "t.ini:4: redis.journal-max-bytes: must be an integer in "
     "1048576..1099511627776, got \"1000\""},
    {"[storage]\ndsn-env = PG PASSWORD\n",
     "t.ini:4: storage.dsn-env: must be an environment variable name "
     "(letters, digits, _), got \"PG PASSWORD\""},
    {"[storage]\ndsn = \n",
     "t.ini:4: storage.dsn: must be a libpq connection string, got \"\""},
    {"[storage]\nflush-interval = 0s\n",
     "t.ini:4: storage.flush-interval: must be a duration in 1ms..1h (an "
     "integer and a unit: ns, us, ms, s, m, h), got \"0s\""},
  };
  for (auto& c : bad) {
    SCOPED_TRACE(c.body);
    auto r = load(c.body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().context, c.error);
  }
  // The same journal directory is fine while only one writer is on.
  EXPECT_TRUE(load("[redis]\nenabled = true\njournal-dir = /tmp/j\n"
                   "[storage]\njournal-dir = /tmp/j\n")
                .ok());
}

