#include "pipeline/indicators/indicator_json.hpp"

#include <charconv>
#include <cmath>

#include "pipeline/model/time.hpp"

namespace tickflow::indicators {

void append_number(std::string& out, double x) {
  if (!std::isfinite(x)) {
    out += "null";
    return;
  }
  char buf[32];
  // Shortest round-trip form; JSON takes the exponent form to_chars may use.
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  if (ec != std::errc{}) {
    out += "null";
    return;
  }
  out.append(buf, end);
}

void append_point(std::string& out, indicator_kind kind, const point& p) {
  out += "{\"t\":\"";
  out += format_iso8601(p.t_ns);
  out += "\",\"ts\":";
  out += std::to_string(p.t_ns);
  auto names = value_names(kind);
  for (size_t i = 0; i < names.size(); ++i) {
    out += ",\"";
    out.append(names[i].data(), names[i].size());
    out += "\":";
    append_number(out, p.values[i]);
  }
  out += '}';
}

void append_points(std::string& out, indicator_kind kind,
                   const std::vector<point>& ps) {
  out += '[';
  for (size_t i = 0; i < ps.size(); ++i) {
    if (i > 0)
      out += ',';
    append_point(out, kind, ps[i]);
  }
  out += ']';
}

} // namespace tickflow::indicators
