#pragma once

// Settings of the jobs area; filled by pipeline/topology/topology_jobs.cpp.

#include <cstdint>
#include <string>
#include <vector>

namespace tickflow {

struct jobs_settings {
};

} // namespace tickflow
