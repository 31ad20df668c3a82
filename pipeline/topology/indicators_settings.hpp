#pragma once

// Settings of the indicators area; filled by pipeline/topology/topology_indicators.cpp.

#include <cstdint>
#include <string>
#include <vector>

namespace tickflow {

/// [indicators]: (issue 12) fields added with their config keys.
struct indicators_settings {
  bool enabled = true;
};

} // namespace tickflow
