#include "actors/capture_writer_actor.hpp"

#include <memory>

#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/capture/capture_file.hpp"

namespace tickflow {

namespace {

struct capture_state {
  std::unique_ptr<capture_writer> writer;
  uint64_t unflushed = 0;
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("stream");
  static inline const char* name = "stream.capture";
};

capture_writer_actor::behavior_type
capture_actor(capture_writer_actor::stateful_pointer<capture_state> self, std::string dir,
              std::string provider) {
  self->state.writer = std::make_unique<capture_writer>(dir, provider);
  self->state.log->info("capturing {} frames under {}", provider, dir);
  return {
    [=](capture_atom, int64_t recv_ns, std::string& connection, std::string& frame) {
      auto& st = self->state;
      auto ok = st.writer->write(captured_frame{recv_ns, std::move(connection),
                                                std::move(frame)});
      if (!ok) {
        uint64_t suppressed = 0;
        if (st.throttle.allow(suppressed))
          st.log->error("capture write failed: {} ({} similar suppressed)",
                        ok.err().message(), suppressed);
      }
      if (++st.unflushed >= 256) {
        st.writer->flush();
        st.unflushed = 0;
      }
    },
    [=](flush_atom) {
      self->state.writer->flush();
      self->state.unflushed = 0;
      return true;
    },
  };
}

} // namespace

capture_writer_actor spawn_capture_writer(caf::actor_system& sys, std::string dir,
                                          std::string provider) {
  return sys.spawn<caf::detached>(capture_actor, std::move(dir), std::move(provider));
}

} // namespace tickflow
