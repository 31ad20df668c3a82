#pragma once

// Helpers of the storage tests: the services env file (written by
// scripts/services.sh, named by TICKFLOW_SERVICES_ENV), outage control, and
// field-by-field comparisons of model types.

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "pipeline/model/events.hpp"
#include "tests/support/process.hpp"

namespace tickflow::test {

/// KEY=VALUE lines of the services env file.
class services_env {
 public:
  /// Reads the file named by TICKFLOW_SERVICES_ENV. ok() is false (with a
  /// reason in problem()) if the variable or the file is missing: the
  /// caller fails the test, it never skips.
  services_env() { reload(); }

  void reload() {
    values_.clear();
    problem_.clear();
    const char* path = std::getenv("TICKFLOW_SERVICES_ENV");
    if (path == nullptr || *path == '\0') {
      problem_ = "TICKFLOW_SERVICES_ENV is not set (run through ctest, "
                 "which starts the services fixture)";
      return;
    }
    path_ = path;
    std::ifstream in{path_};
    if (!in) {
      problem_ = "cannot read the services env file " + path_;
      return;
    }
    std::string line;
    while (std::getline(in, line)) {
      auto eq = line.find('=');
      if (eq != std::string::npos)
        values_[line.substr(0, eq)] = line.substr(eq + 1);
    }
    for (auto key : {"REDIS_PORT", "PG_DSN", "PG_PORT"})
      if (values_[key].empty())
        problem_ = std::string{"services env file lacks "} + key;
  }

  bool ok() const { return problem_.empty(); }
  const std::string& problem() const { return problem_; }
  const std::string& path() const { return path_; }

  std::string get(const std::string& key) const {
    auto i = values_.find(key);
    return i == values_.end() ? std::string{} : i->second;
  }

  uint16_t redis_port() const {
    return static_cast<uint16_t>(std::atoi(get("REDIS_PORT").c_str()));
  }

  std::string pg_dsn() const { return get("PG_DSN"); }

  /// PG_DSN with another database name.
  std::string pg_dsn_for(const std::string& dbname) const {
    auto dsn = pg_dsn();
    return dsn.substr(0, dsn.rfind('/') + 1) + dbname;
  }

  /// Runs scripts/services.sh <command> <env file> (stop-redis,
  /// start-redis, stop-postgres, start-postgres) and rereads the file.
  /// Returns the script's exit code; its output goes to `out`.
  int control(const std::string& command, std::string& out) {
    auto code = run_command(std::string{TICKFLOW_SOURCE_DIR}
                              + "/scripts/services.sh",
                            {command, path_}, out);
    reload();
    return code;
  }

 private:
  std::string path_;
  std::string problem_;
  std::map<std::string, std::string> values_;
};

/// A name unique to this test and process ("<test>_<pid>"), uppercase
/// letters and digits only, so it is a canonical instrument too.
inline std::string unique_name(const char* tag = "") {
  auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string out;
  for (const char* p = info->name(); *p != '\0'; ++p) {
    char c = *p;
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
      out.push_back(c);
  }
  out.append(tag);
  out.append(std::to_string(::getpid()));
  return out;
}

// -- model comparisons --------------------------------------------------------

inline void expect_same(const trade& a, const trade& b) {
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

inline void expect_same(const quote& a, const quote& b) {
  EXPECT_EQ(a.instrument, b.instrument);
  EXPECT_EQ(a.provider_symbol, b.provider_symbol);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.bid_price, b.bid_price);
  EXPECT_EQ(a.bid_size, b.bid_size);
  EXPECT_EQ(a.ask_price, b.ask_price);
  EXPECT_EQ(a.ask_size, b.ask_size);
  EXPECT_EQ(a.ts_event_ns, b.ts_event_ns);
  EXPECT_EQ(a.ts_recv_ns, b.ts_recv_ns);
  EXPECT_EQ(a.flags, b.flags);
}

inline void expect_same(const bar& a, const bar& b) {
  EXPECT_EQ(a.instrument, b.instrument);
  EXPECT_EQ(a.provider_symbol, b.provider_symbol);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.span, b.span);
  EXPECT_EQ(a.open_time_ns, b.open_time_ns);
  EXPECT_EQ(a.open, b.open) << a.open.to_string() << " vs "
                            << b.open.to_string();
  EXPECT_EQ(a.high, b.high);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.close, b.close);
  EXPECT_EQ(a.volume, b.volume) << a.volume.to_string() << " vs "
                                << b.volume.to_string();
  EXPECT_EQ(a.trade_count, b.trade_count);
  EXPECT_EQ(a.closed, b.closed);
  EXPECT_EQ(a.ts_recv_ns, b.ts_recv_ns);
  EXPECT_EQ(a.flags, b.flags);
}

/// decimal::parse that must succeed.
inline decimal dec(const char* text) {
  auto d = decimal::parse(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? *d : decimal{};
}

} // namespace tickflow::test
