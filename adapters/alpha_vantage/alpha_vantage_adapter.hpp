#pragma once

// Alpha Vantage (https://www.alphavantage.co/query), equities.
//
// Requests (all GET /query, the key in the apikey query parameter, listed in
// outbound_request::secrets; a key is required):
//   price            function=GLOBAL_QUOTE&symbol=IBM&apikey=...
//   bars 1d          function=TIME_SERIES_DAILY&symbol=IBM&outputsize=compact
//   bars 1m 5m 15m   function=TIME_SERIES_INTRADAY&symbol=IBM&interval=5min
//   30m 1h                &outputsize=compact   (1h is "60min")
//   profile          function=OVERVIEW&symbol=IBM (alpha_vantage_reference.hpp)
// outputsize is "compact" (the newest 100 rows) unless the request has a
// start_ns or a limit above 100, then "full" (a premium feature for some
// keys: the "premium" Information reply is errc::unauthorized). Bars are
// trimmed to [start_ns, end_ns] and the newest `limit`. The parser also
// reads TIME_SERIES_DAILY_ADJUSTED replies (the recorded fixture).
//
// Times: daily bars and GLOBAL_QUOTE prices are stamped at 00:00 UTC of
// their US/Eastern trading date; intraday rows are converted from the
// reply's "6. Time Zone" (US/Eastern, with the US DST rule of
// us_eastern_time.hpp) to UTC.
//
// Limits: HTTP 200 bodies carry them. "Note" (5 calls per minute) ->
// rate_limited, retry after 60 s; "Information" (25 calls per day) ->
// rate_limited, retry at the next 00:00 UTC (Alpha Vantage sends no
// Retry-After; both figures are ours). See alpha_vantage_parse.hpp.
//
// Symbols: the canonical equity id is the Alpha Vantage symbol ("IBM",
// "AZN.LON"); adapter_options::symbol_overrides maps others
// (canonical -> Alpha Vantage symbol). Pairs (crypto, forex) are not served.

#include <memory>

#include "adapters/common/rest_adapter.hpp"

namespace tickflow {

/// The Alpha Vantage adapter.
std::unique_ptr<rest_adapter>
make_alpha_vantage_adapter(const adapter_options& options);

} // namespace tickflow
