#include "tests/support/service_process.hpp"

#include <chrono>
#include <thread>

namespace tickflow::test {

using namespace std::chrono_literals;

service_process::service_process(std::vector<std::string> args)
    : rest_port_(free_port()), ws_port_(free_port()), dir_(temp_dir()) {
  args.insert(args.end(), {"--port", std::to_string(rest_port_), "--ws-port",
                           std::to_string(ws_port_)});
  proc_ = std::make_unique<child_process>(TICKFLOW_BINARY, args, dir_ + "/tickflow.log");
  // The service starts in well under a second (several under ASan).
  for (int i = 0; i < 250 && proc_->running(); ++i) {
    if (auto r = http_get(rest_port_, "/live"); r && r->status == 200)
      return;
    std::this_thread::sleep_for(20ms);
  }
}

service_process::~service_process() { stop(); }

bool service_process::running() const { return !exit_code_ && proc_->running(); }

int service_process::stop() {
  if (!exit_code_)
    exit_code_ = proc_->stop();
  return *exit_code_;
}

std::string service_process::output() const { return proc_->output(); }

std::string service_process::ws_url() const {
  return "ws://127.0.0.1:" + std::to_string(ws_port_) + "/api/v1/stream";
}

std::optional<http_reply> get_until_200(uint16_t port, const std::string& target, int tries) {
  std::optional<http_reply> last;
  for (int i = 0; i < tries; ++i) {
    auto r = http_get(port, target);
    if (!r)
      return std::nullopt;
    last = *r;
    if (r->status == 200)
      break;
    std::this_thread::sleep_for(50ms);
  }
  return last;
}

} // namespace tickflow::test
