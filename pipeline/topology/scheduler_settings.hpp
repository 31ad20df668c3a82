#pragma once

// Settings of the scheduler area; filled by pipeline/topology/topology_scheduler.cpp.

#include <cstdint>
#include <string>
#include <vector>

namespace tickflow {

struct scheduler_settings {
};

} // namespace tickflow
