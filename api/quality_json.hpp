#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/validate/alert_limiter.hpp"
#include "pipeline/validate/quality_report.hpp"
#include "pipeline/validate/quarantine.hpp"

namespace tickflow::api {

/// {"score":97.5,"events":..,"accepted":..,"flagged":..,"dropped":..,
///  "by_rule":{"duplicate":3,...}} (rules with no finding are left out).
void append_json(std::string& out, const quality_report& q);

/// One quarantined event:
/// {"seq":..,"rule":..,"reason":..,"dropped":..,"provider":..,"instrument":..,
///  "type":..,"event_time":ISO,"seen":ISO,"flags":[..],"fields":{..}}
/// and "node":.. after them when another node quarantined it.
void append_json(std::string& out, const quarantined_event& x);

/// An alert as POSTed to the alert URLs:
/// {"type":"alert","severity":"high","kind":"divergence","instrument":..,
///  "provider":..|null,"message":..,"count":..,"time":ISO}
std::string alert_body(const alert& a, int64_t now_ns);

/// Body of GET /api/v1/data/quality: `subject` is "overall" or an instrument;
/// providers' rolling scores follow.
std::string quality_body(std::string_view subject, const quality_report& q,
                         const std::vector<std::pair<std::string, quality_report>>& providers,
                         const std::vector<std::string>& stale);

/// Body of GET /api/v1/data/quarantine: newest first, with the counters that
/// never reset.
std::string quarantine_body(const std::vector<quarantined_event>& xs,
                            const quarantine::counters& totals);

} // namespace tickflow::api
