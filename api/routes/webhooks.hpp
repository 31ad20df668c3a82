#pragma once

// POST /webhooks/{binance,polygon,test}: signed pushes that enter the
// pipeline like streamed data. The gate checks each request (a secret for
// the provider, the signature, the replay memory) and counts the outcomes
// that /status and /metrics report; the gateway parses the body with the
// provider's stream dialect and hands the events on.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "api/http_types.hpp"
#include "api/webhook_auth.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::api {

/// Events one /webhooks/test request may carry.
inline constexpr size_t max_webhook_events = 10000;

/// Webhook outcomes so far.
struct webhook_counters {
  std::map<std::pair<std::string, std::string>, uint64_t> results; ///< (provider, result)
  std::map<std::string, uint64_t> events; ///< events accepted, by provider
};

/// The webhooks part of the gateway: secrets, verifier and counters.
struct webhook_gate {
  /// The secret of each provider that has one (never logged).
  std::map<std::string, std::string> secrets;
  /// Checks signatures and remembers them ([webhooks] enabled).
  std::optional<webhook_verifier> verifier;
  webhook_counters counts;

  /// nullopt when a request to /webhooks/<provider> is signed and fresh:
  /// its body may be parsed. Else the refusal, counted: 404 disabled (no
  /// secret), 413, 401 (missing_signature, bad_timestamp, stale_timestamp,
  /// bad_signature, replayed) or 503 (replay memory full).
  std::optional<http_response> check(const std::string& provider,
                                     const http_request& req, int64_t now_ns,
                                     size_t max_body_bytes);

  /// 400 bad_body (counted) for a body the provider's parser refused.
  http_response refuse_body(const std::string& provider, const std::string& why);

  /// 202 {"accepted":n,"trades":..,"quotes":..,"bars":..} for `batch`
  /// (counted: the request and its events).
  http_response accept(const std::string& provider, const event_batch& batch);
};

/// 503: the events have nowhere to go yet.
http_response webhook_pipeline_down();

} // namespace tickflow::api
