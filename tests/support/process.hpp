#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace tickflow::test {

/// A child process (the real tickflow binary) with its stdout and stderr
/// captured to a file. The destructor stops it (SIGTERM, then SIGKILL).
class child_process {
 public:
  /// Starts `program` with `args`; output goes to `log_path`.
  child_process(const std::string& program, const std::vector<std::string>& args,
                const std::string& log_path);
  ~child_process();

  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const noexcept { return pid_; }

  /// Sends SIGTERM and waits up to `timeout`; then SIGKILL. Returns the exit
  /// code (128+signal if killed by a signal).
  int stop(std::chrono::milliseconds timeout = std::chrono::seconds{10});

  /// True while the process runs.
  bool running();

  /// Everything it printed so far.
  std::string output() const;

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
  std::string log_path_;
};

/// Runs a command to completion; returns its exit code and fills `out` with
/// stdout and stderr combined.
int run_command(const std::string& program, const std::vector<std::string>& args,
                std::string& out);

/// A TCP port on 127.0.0.1 that is free and that no other caller of
/// free_port(), in this test binary or another one running beside it, gets
/// until this binary exits.
uint16_t free_port();

/// A fresh temporary directory under /tmp, removed when the test binary exits
/// (kept when a test failed, or with TICKFLOW_KEEP_TEST_DIRS=1).
std::string temp_dir();

} // namespace tickflow::test
