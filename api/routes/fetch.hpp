#pragma once

// What the gateway says about a fetch from the providers: the reply for a
// provider's failure, and why a provider of a failover chain was passed
// over ("binance: rate_limited: ..." in the answer's "failover").

#include <cstdint>
#include <string>
#include <vector>

#include "api/http_types.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::api {

/// The reply for a provider's failure (`code`, `message` as the provider
/// actor said it); the message always names the provider once. Unknown
/// symbol and no data are 404, invalid arguments 400, rate limits 503 with
/// Retry-After (`retry_after_ns` rounded up, at least 1 s), the rest 502.
http_response provider_failure(const std::string& provider, errc code,
                               const std::string& message,
                               int64_t retry_after_ns,
                               const std::string& instrument);

/// The reply when no enabled provider serves `instrument`.
http_response no_provider_serves(const std::string& instrument);

/// Bars of the asked kind (adjusted, or as traded) that cannot be served:
/// 400 invalid_parameter "adjusted" naming `provider` when it is set (it
/// publishes the other kind only), else 404 unknown_symbol "no enabled
/// provider serves adjusted bars of <instrument>".
http_response bar_kind_not_served(const std::string& provider,
                                  const std::string& instrument, bool adjusted);

/// A failure that says nothing about the provider's health: it just does
/// not serve this instrument or request.
bool is_no_service(errc code) noexcept;

/// Why a failed reply was passed over: "rate_limited: <message>" (the
/// provider's own "name: " prefix dropped).
std::string passed_reason(const std::string& provider, errc code,
                          const std::string& message);

/// How old the newest of `prices` is at `now_ns`; 0 when there are none.
int64_t newest_age_ns(const std::vector<price>& prices, int64_t now_ns) noexcept;

/// "binance: stale (newest price 42 s old)".
std::string stale_reason(const std::string& provider, int64_t age_ns);

} // namespace tickflow::api
