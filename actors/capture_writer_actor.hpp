#pragma once

// Capture of live feeds: every text frame a stream actor receives, to disk.

#include <string>

#include <caf/all.hpp>

#include "actors/messages.hpp"

namespace tickflow {

/// The capture writer's messages.
using capture_writer_actor = caf::typed_actor<
  caf::reacts_to<capture_atom, int64_t, std::string, std::string>,
  caf::replies_to<flush_atom>::with<bool>>;

/// Spawns the capture writer of one provider (detached: file I/O). It takes
/// (capture_atom, int64_t recv_ns, std::string connection, std::string frame)
/// and appends it to <dir>/<provider>-YYYYMMDD-HH.cap (adapters/capture);
/// (flush_atom) -> bool pushes buffered records to the OS and answers.
capture_writer_actor spawn_capture_writer(caf::actor_system& sys, std::string dir,
                                          std::string provider);

} // namespace tickflow
