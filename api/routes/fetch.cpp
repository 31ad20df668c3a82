#include "api/routes/fetch.hpp"

#include <algorithm>

#include "api/routes/common.hpp"

namespace tickflow::api {

http_response provider_failure(const std::string& provider, errc code,
                               const std::string& message,
                               int64_t retry_after_ns,
                               const std::string& instrument) {
  // Adapters often name themselves already; say it once.
  auto msg = message.rfind(provider + ":", 0) == 0 ? message
                                                   : provider + ": " + message;
  switch (code) {
    case errc::unknown_symbol:
      return fail(404, "unknown_symbol",
                  provider + " does not know " + instrument, "symbol");
    case errc::not_found:
      return fail(404, "no_data", msg, "symbol");
    case errc::invalid_argument:
      return fail(400, "invalid_parameter", msg);
    case errc::rate_limited: {
      auto r = fail(503, "provider_rate_limited", msg);
      auto secs = std::max<int64_t>(1, (retry_after_ns + 999'999'999) / 1'000'000'000);
      r.headers.emplace_back("Retry-After", std::to_string(secs));
      return r;
    }
    case errc::unauthorized:
      return fail(502, "provider_unauthorized", msg);
    case errc::malformed:
    case errc::missing_field:
    case errc::bad_number:
      return fail(502, "provider_malformed", "malformed payload from " + msg);
    case errc::unavailable:
      return fail(502, "provider_unavailable", msg);
    default:
      return fail(502, "provider_error", msg);
  }
}

http_response no_provider_serves(const std::string& instrument) {
  return fail(404, "unknown_symbol", "no provider serves " + instrument, "symbol");
}

http_response bar_kind_not_served(const std::string& provider,
                                  const std::string& instrument, bool adjusted) {
  std::string kind = adjusted ? "adjusted" : "as-traded (adjusted=false)";
  if (!provider.empty())
    return fail(400, "invalid_parameter",
                provider + " publishes no " + kind + " bars of " + instrument, "adjusted");
  return fail(404, "unknown_symbol",
              "no enabled provider serves " + kind + " bars of " + instrument, "symbol");
}

bool is_no_service(errc code) noexcept {
  return code == errc::unknown_symbol || code == errc::invalid_argument;
}

std::string passed_reason(const std::string& provider, errc code,
                          const std::string& message) {
  auto msg = message;
  auto own = provider + ": ";
  if (msg.rfind(own, 0) == 0)
    msg.erase(0, own.size());
  return std::string{to_string(code)} + (msg.empty() ? "" : ": " + msg);
}

int64_t newest_age_ns(const std::vector<price>& prices, int64_t now_ns) noexcept {
  if (prices.empty())
    return 0;
  int64_t newest = 0;
  for (auto& p : prices)
    newest = std::max(newest, p.ts_event_ns);
  return now_ns - newest;
}

std::string stale_reason(const std::string& provider, int64_t age_ns) {
  return provider + ": stale (newest price " + std::to_string(age_ns / 1'000'000'000)
         + " s old)";
}

} // namespace tickflow::api
