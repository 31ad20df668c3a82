#include "pipeline/flow/restart_backoff.hpp"

namespace tickflow {

int64_t restart_backoff::on_crash(int64_t started_ns, int64_t crashed_ns) noexcept {
  if (crashed_ns - started_ns >= reset_after_)
    delays_.reset();
  return delays_.next();
}

} // namespace tickflow
