#pragma once

// Settings of the streams area; filled by pipeline/topology/topology_streams.cpp.

#include <cstdint>
#include <string>
#include <vector>

namespace tickflow {

struct streams_settings {
};

} // namespace tickflow
