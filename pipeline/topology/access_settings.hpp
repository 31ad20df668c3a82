#pragma once

// Settings of the access area; filled by pipeline/topology/topology_access.cpp.

#include <cstdint>
#include <string>
#include <vector>

namespace tickflow {

struct access_settings {
};

} // namespace tickflow
