#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/events.hpp"
#include "pipeline/validate/quality_report.hpp"

namespace tickflow::api {

/// How fresh a value is, from its age and the interval it covers:
/// end-of-day for bars of a day or longer; else by the age past the
/// interval (a bar is as of its start and current for its whole span):
/// realtime (< 5 s), near-realtime (< 60 s), delayed (< 1 day), end-of-day
/// (older). span_ns is 0 for prices.
std::string_view freshness_class(int64_t age_ns, int64_t span_ns = 0) noexcept;

/// Where an answer came from and how fresh it is; on every data response.
struct provenance {
  std::string source = "l1"; ///< l1, redis, postgres, or a provider name
  bool cached = true;
  int64_t as_of_ns = 0;      ///< event time of the newest value in the answer
  int64_t now_ns = 0;        ///< when the answer was made
  /// Providers tried before the one that served, "name: reason" each:
  /// rendered as "failover":[{"provider":..,"reason":..}] when not empty.
  std::vector<std::string> failover;
};

/// Body of GET /api/v1/data/price: the price object (event_json) plus
/// "source", "cached", "as_of" (ISO-8601), "age_ms" and "freshness".
std::string price_body(const price& p, const provenance& from);

/// Body of GET /api/v1/data/ohlcv:
///   {"instrument":..,"interval":..,"count":n,"bars":[...],
///    "source":..,"cached":..,"as_of":..,"age_ms":..,"freshness":..}
/// (freshness from the age and the interval).
/// With `validate`, every bar also carries "findings": the sanity rules it
/// breaks ([{"rule":..,"reason":..}], empty when sane), beside its "flags".
std::string ohlcv_body(std::string_view instrument, interval span,
                       const std::vector<bar>& bars, const provenance& from,
                       bool validate = false);

/// One provider as GET /api/v1/data/providers lists it.
struct provider_listing {
  std::string name;
  std::vector<std::string> asset_classes;
  std::vector<std::string> data_types;
  std::vector<std::string> intervals;
  bool needs_key = false;
  bool enabled = false;        ///< in [providers] enabled
  bool key_configured = false; ///< its key variable is set (never the key)
  bool has_health = false;     ///< the provider actor answered
  uint64_t requests = 0;
  uint64_t successes = 0;
  uint64_t failures = 0;
  int64_t last_success_ns = 0;
  int64_t last_error_ns = 0;
  std::string last_error;
  int64_t last_latency_ns = 0;
  std::optional<quality_report> quality; ///< rolling data quality, when seen
};

/// Body of GET /api/v1/data/providers:
///   {"providers":[{"name":..,"asset_classes":[..],"data_types":[..],
///     "intervals":[..],"needs_key":..,"enabled":..,"key_configured":..,
///     "health":{"status":"ok|degraded|failing|idle","requests":..,
///     "successes":..,"failures":..,"last_success":ISO|null,
///     "last_error":{"at":ISO,"message":..}|null,"last_latency_ms":..}|null}]}
std::string providers_body(const std::vector<provider_listing>& xs);

} // namespace tickflow::api
