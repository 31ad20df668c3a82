#include "adapters/streams/stream_protocol.hpp"

#include <set>
#include <tuple>

namespace tickflow {

std::string_view to_string(stream_kind k) noexcept {
  switch (k) {
    case stream_kind::trades:
      return "trades";
    case stream_kind::agg_trades:
      return "agg_trades";
    case stream_kind::quotes:
      return "quotes";
    case stream_kind::bars:
      return "bars";
  }
  return "unknown";
}

std::vector<std::vector<stream_subscription>>
spread_subscriptions(const std::vector<stream_subscription>& subs,
                     size_t per_connection) {
  // operator== ignores the span of non-bar subscriptions: so does the key.
  std::set<std::tuple<std::string, stream_kind, interval>> seen;
  std::vector<stream_subscription> unique;
  unique.reserve(subs.size());
  for (const auto& s : subs) {
    auto span = s.kind == stream_kind::bars ? s.span : interval::m1;
    if (seen.emplace(s.instrument, s.kind, span).second)
      unique.push_back(s);
  }
  std::vector<std::vector<stream_subscription>> out;
  for (auto& s : unique) {
    if (out.empty() || (per_connection > 0 && out.back().size() >= per_connection))
      out.emplace_back();
    out.back().push_back(std::move(s));
  }
  return out;
}

} // namespace tickflow
