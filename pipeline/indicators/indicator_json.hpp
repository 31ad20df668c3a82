#pragma once

// The JSON text of indicator points, shared by the REST route and the
// WebSocket channels (std only: no JSON library needed to write it).

#include <string>
#include <vector>

#include "pipeline/indicators/indicator_spec.hpp"

namespace tickflow::indicators {

/// Appends the shortest text that reads back as exactly `x` ("0.1",
/// "65000.5", "1e-07"); null when x is not finite.
void append_number(std::string& out, double x);

/// Appends {"t":"2024-01-02T00:00:00Z","ts":<ns>,"value":..}, with the value
/// fields of value_names(kind) ("macd","signal","hist", ...).
void append_point(std::string& out, indicator_kind kind, const point& p);

/// Appends [point, point, ...].
void append_points(std::string& out, indicator_kind kind,
                   const std::vector<point>& ps);

} // namespace tickflow::indicators
