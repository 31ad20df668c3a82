// The command line of the real binary: help, version, config checks.

#include <dirent.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/process.hpp"

using namespace tickflow::test;

namespace {

const std::string binary = TICKFLOW_BINARY;
const std::string source_dir = TICKFLOW_SOURCE_DIR;

std::vector<std::string> invalid_examples() {
  std::vector<std::string> files;
  auto dir = source_dir + "/tests/configs/invalid";
  if (auto* d = opendir(dir.c_str())) {
    while (auto* e = readdir(d)) {
      std::string name = e->d_name;
      if (name.size() > 4 && name.substr(name.size() - 4) == ".ini")
        files.push_back(dir + "/" + name);
    }
    closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// The `# expect: ...` first line of an example, with FILE replaced by path.
std::string expectation(const std::string& path) {
  std::ifstream in{path};
  std::string line;
  std::getline(in, line);
  const std::string tag = "# expect: ";
  if (line.rfind(tag, 0) != 0)
    return {};
  line = line.substr(tag.size());
  if (auto pos = line.find("FILE"); pos != std::string::npos)
    line.replace(pos, 4, path);
  return line;
}

} // namespace

TEST(Cli, HelpAndVersion) {
  std::string out;
  EXPECT_EQ(run_command(binary, {"--help"}, out), 0);
  EXPECT_NE(out.find("--config FILE"), std::string::npos) << out;
  EXPECT_NE(out.find("--check-config FILE"), std::string::npos) << out;
  EXPECT_EQ(run_command(binary, {"--version"}, out), 0);
  EXPECT_EQ(out.rfind("tickflow ", 0), 0u) << out;
}

TEST(Cli, UsageErrorsExitTwo) {
  std::string out;
  EXPECT_EQ(run_command(binary, {"--bogus"}, out), 2);
  EXPECT_NE(out.find("unknown option"), std::string::npos) << out;
  EXPECT_EQ(run_command(binary, {"--port", "70000"}, out), 2);
  EXPECT_NE(out.find("--port"), std::string::npos) << out;
  EXPECT_EQ(run_command(binary, {"--config"}, out), 2);
  EXPECT_EQ(run_command(binary, {"--config", "/nonexistent/x.ini"}, out), 2);
  EXPECT_NE(out.find("/nonexistent/x.ini"), std::string::npos) << out;
}

TEST(Cli, ShippedConfigsAreValid) {
  for (auto name : {"default.ini", "live.ini"}) {
    std::string out;
    auto path = source_dir + "/configs/" + name;
    EXPECT_EQ(run_command(binary, {"--check-config", path}, out), 0) << out;
    EXPECT_EQ(out, path + ": ok\n");
  }
}

TEST(Cli, PrintedDefaultIsTheShippedFile) {
  std::string out;
  ASSERT_EQ(run_command(binary, {"--print-config"}, out), 0);
  std::ifstream in{source_dir + "/configs/default.ini"};
  std::string file{std::istreambuf_iterator<char>{in}, {}};
  EXPECT_EQ(out, file);
}

TEST(Cli, EveryInvalidExampleGivesItsOneLineError) {
  auto files = invalid_examples();
  ASSERT_GE(files.size(), 10u);
  struct run {
    std::string flag, path, out;
    int code = -1;
  };
  std::vector<run> runs;
  for (auto& path : files) {
    ASSERT_FALSE(expectation(path).empty()) << path << " has no '# expect:' first line";
    for (auto flag : {"--check-config", "--config"})
      runs.push_back({flag, path, {}, -1});
  }
  // Six at a time: each start of the instrumented binary mostly waits (an
  // ASan build spent 70 s here one after another, for 0.45 s of CPU each).
  constexpr size_t width = 6;
  for (size_t first = 0; first < runs.size(); first += width) {
    std::vector<std::thread> group;
    for (size_t i = first; i < std::min(first + width, runs.size()); ++i)
      group.emplace_back([&r = runs[i]] { r.code = run_command(binary, {r.flag, r.path}, r.out); });
    for (auto& t : group)
      t.join();
  }
  for (auto& r : runs) {
    EXPECT_EQ(r.code, 2) << r.path << "\n" << r.out;
    EXPECT_EQ(r.out, expectation(r.path) + "\n") << r.flag << " " << r.path;
  }
}

TEST(Cli, JsonLogLinesWhenConfigured) {
  auto dir = temp_dir();
  auto config = dir + "/json.ini";
  {
    std::ofstream out{config};
    out << "[log]\nformat = json\nlevel = debug\n"
           "[simulator]\nsymbols = BTC-USDT:100.00\n";
  }
  auto rest = free_port(), ws = free_port();
  child_process p{binary,
                  {"--config", config, "--port", std::to_string(rest),
                   "--ws-port", std::to_string(ws)},
                  dir + "/out.log"};
  // Until the ready line is written, then stop it.
  for (int i = 0; i < 250 && p.output().find("ready") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  EXPECT_EQ(p.stop(), 0);
  auto out = p.output();
  std::istringstream lines{out};
  std::string line;
  size_t n = 0;
  while (std::getline(lines, line)) {
    ++n;
    rapidjson::Document d;
    d.Parse(line.c_str());
    ASSERT_FALSE(d.HasParseError()) << "not JSON: " << line;
    ASSERT_TRUE(d.IsObject()) << line;
    for (auto key : {"ts", "level", "logger", "msg"})
      EXPECT_TRUE(d.HasMember(key) && d[key].IsString()) << key << " in " << line;
  }
  EXPECT_GE(n, 3u) << out; // start-up, ready, stopped at least
}
