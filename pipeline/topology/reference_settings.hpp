#pragma once

// Settings of the reference area; filled by pipeline/topology/topology_reference.cpp.

#include <cstdint>
#include <string>
#include <vector>

namespace tickflow {

/// [reference]: (issue 12) fields added with their config keys.
struct reference_settings {
  bool enabled = true;
};

} // namespace tickflow
