#pragma once

// The tickflow binary as the end-to-end suites run it: started once per
// suite on free REST and WebSocket ports, ready once /live answers, stopped
// by SIGTERM (the exit code tells whether the stop was clean).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"

namespace tickflow::test {

/// One tickflow process; its log in a fresh temp dir.
class service_process {
 public:
  /// Starts TICKFLOW_BINARY with `args` (e.g. {"--config", path}; none: the
  /// embedded default) plus --port and --ws-port, and waits up to 5 s for
  /// GET /live to answer 200.
  explicit service_process(std::vector<std::string> args = {});
  ~service_process();

  service_process(const service_process&) = delete;
  service_process& operator=(const service_process&) = delete;

  bool running() const;
  /// SIGTERM and wait: the exit code (0 after a clean stop). Once.
  int stop();
  std::string output() const;

  uint16_t rest_port() const noexcept { return rest_port_; }
  uint16_t ws_port() const noexcept { return ws_port_; }
  std::string ws_url() const;
  const std::string& dir() const noexcept { return dir_; }

 private:
  uint16_t rest_port_ = 0;
  uint16_t ws_port_ = 0;
  std::string dir_;
  std::unique_ptr<child_process> proc_;
  std::optional<int> exit_code_;
};

/// GET `target` on `port` until it answers 200 (`tries` x 50 ms: the
/// simulator's first events take a moment); the last reply, nullopt when
/// none came.
std::optional<http_reply> get_until_200(uint16_t port, const std::string& target,
                                        int tries = 100);

/// A suite sharing one service_process: Suite::service_args() (default:
/// none, the embedded default) is called once before the suite's first
/// test; each test starts only while the service runs.
template <typename Suite>
class service_suite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { svc_ = new service_process(Suite::service_args()); }
  static void TearDownTestSuite() {
    delete svc_;
    svc_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(svc_ && svc_->running()) << "tickflow is not running:\n"
                                         << (svc_ ? svc_->output() : "");
  }
  static std::vector<std::string> service_args() { return {}; }

  static inline service_process* svc_ = nullptr;
};

} // namespace tickflow::test
