#include "pipeline/validate/quality_report.hpp"

namespace tickflow {

void quality_report::record(const verdict& v, double alpha) noexcept {
  events += 1;
  if (v.accepted()) {
    accepted += 1;
    for (auto& f : v.findings) {
      if (f.action == rule_action::flag) {
        flagged += 1;
        break;
      }
    }
  } else {
    dropped += 1;
  }
  for (auto& f : v.findings)
    by_rule[index_of(f.which)] += 1;
  score += alpha * (static_cast<double>(v.score) - score);
}

quality_report quality_report::merge(const quality_report& a,
                                     const quality_report& b) noexcept {
  quality_report out;
  out.events = a.events + b.events;
  out.accepted = a.accepted + b.accepted;
  out.flagged = a.flagged + b.flagged;
  out.dropped = a.dropped + b.dropped;
  for (size_t i = 0; i < rule_count; ++i)
    out.by_rule[i] = a.by_rule[i] + b.by_rule[i];
  if (out.events > 0)
    out.score = (a.score * static_cast<double>(a.events)
                 + b.score * static_cast<double>(b.events))
                / static_cast<double>(out.events);
  return out;
}

} // namespace tickflow
