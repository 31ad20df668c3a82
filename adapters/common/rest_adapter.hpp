#pragma once

// The contract every REST provider adapter implements: a pure request
// builder and a pure parser, plus the static facts /api/v1/data/providers
// reports. No I/O here: adapters/common/curl_client does the HTTP.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "pipeline/model/corporate_action.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"
#include "pipeline/model/fetch_kind.hpp"
#include "pipeline/model/reference.hpp"
#include "pipeline/normalize/asset_class.hpp"
#include "pipeline/providers/provider_info.hpp"

namespace tickflow {

/// One fetch.
struct fetch_request {
  fetch_kind kind = fetch_kind::price;
  std::string instrument;        ///< canonical id ("BTC-USDT", "AAPL")
  interval span = interval::d1;  ///< bars only
  int64_t start_ns = 0;          ///< bars: 0 = provider default
  int64_t end_ns = 0;            ///< bars: 0 = now / provider default
  size_t limit = 0;              ///< bars: 0 = provider default
  /// trades: Binance aggregate trades (/api/v3/aggTrades, time-bounded)
  /// instead of raw trades (/api/v3/trades, the newest ones); others ignore it.
  bool aggregated = false;
  /// news: free-text query (NewsAPI-style sources); "" = none.
  std::string query;
  /// bars: adjusted for splits and dividends instead of as traded
  /// (docs/API.md "Adjusted prices"). An adapter whose provider cannot
  /// (provider_info::adjusted_bars false) refuses it: errc::invalid_argument.
  bool adjusted = false;
  /// A later page of a paginated answer: the provider's continuation as
  /// its last page gave it (fetch_result::next_page); "" = the first page.
  std::string page;
};

/// Key/value pairs, in order (query parameters, headers).
using kv_list = std::vector<std::pair<std::string, std::string>>;

/// An HTTP request to make, as plain data.
struct outbound_request {
  std::string method = "GET";
  std::string path;        ///< "/api/v3/klines" (no query), already escaped
  kv_list query;           ///< raw values; url() percent-encodes them
  kv_list headers;
  std::string body;        ///< sent when not empty (POST alerts, webhooks)
  /// Values that must never be logged or shown (API keys, tokens).
  std::vector<std::string> secrets;

  /// base_url + path + "?" + encoded query ("http://127.0.0.1:9/api/v3/klines?symbol=BTCUSDT").
  std::string url(std::string_view base_url) const;
  /// url() with every secret replaced by "***": the only form to log.
  std::string redacted_url(std::string_view base_url) const;
};

/// Percent-encodes a query component (RFC 3986 unreserved kept as is).
std::string url_encode(std::string_view s);

/// What came back over HTTP (any status).
struct http_reply {
  long status = 0;
  kv_list headers; ///< lowercase names
  std::string body;

  const std::string* header(std::string_view name) const;
};

/// Events a fetch produced.
struct fetch_result {
  std::vector<price> prices;
  std::vector<bar> bars;
  std::vector<quote> quotes;
  std::vector<trade> trades;
  std::vector<asset_profile> profiles; ///< fetch_kind::profile
  std::vector<news_item> news;         ///< fetch_kind::news
  std::vector<corporate_action> actions; ///< fetch_kind::splits, dividends
  /// The provider says more follows (Polygon's next_url, as path and
  /// query: the host is always the configured one); "" on the last page.
  std::string next_page;
};

/// A typed provider failure.
///   unknown_symbol  the provider does not know the instrument
///   unauthorized    bad/missing key (401/403, provider bodies saying so)
///   rate_limited    429/418, Binance -1003, Alpha Vantage "Note"/"Information"
///   not_found       404 / no data for the range
///   provider_error  the provider reported an error (message kept)
///   malformed       the body is not what the API documents (what, where)
///   unavailable     transport: timeout, refused, truncated, too large
struct fetch_error {
  errc code = errc::provider_error;
  std::string message;        ///< never contains a secret
  int64_t retry_after_ns = 0; ///< > 0 when the provider said when to retry
};

using fetch_outcome = std::variant<fetch_result, fetch_error>;

/// Credentials of one provider, read from the environment at start.
struct credentials {
  std::string api_key; ///< empty when none is configured
};

/// A provider's REST dialect.
class rest_adapter {
 public:
  virtual ~rest_adapter() = default;

  /// The static facts /api/v1/data/providers reports: its descriptor's
  /// (adapters/<provider>/<provider>_provider.cpp).
  virtual const provider_info& info() const noexcept = 0;

  /// The request for `req`. errc::unknown_symbol when the instrument cannot be
  /// mapped, errc::invalid_argument for an unsupported kind or interval,
  /// errc::unauthorized when a key is needed and `cred` has none.
  virtual result<outbound_request> build(const fetch_request& req,
                                         const credentials& cred) const = 0;

  /// Parses a reply of any status into events or a typed error. `recv_ns`
  /// stamps ts_recv_ns. Never throws; garbage is errc::malformed.
  virtual fetch_outcome parse(const fetch_request& req, const http_reply& reply,
                              int64_t recv_ns) const = 0;

  /// Provider symbol of a canonical id ("" if it cannot be mapped).
  virtual std::string to_provider_symbol(std::string_view canonical) const = 0;

  /// Canonical id of a provider symbol ("" if it cannot be mapped).
  virtual std::string to_canonical(std::string_view provider_symbol) const = 0;

  // -- pages (a range longer than one request; adapters/common/paging) -------

  /// The most bars one request of `kind` may ask for; 0: no bound (the
  /// provider pages by itself, with next_page, or answers everything).
  virtual size_t page_limit(fetch_kind) const noexcept { return 0; }

  /// The request of the page after `got`, the answer to `asked`; nullopt
  /// when `got` was the last. By default: the provider's continuation
  /// (got.next_page) when it gave one.
  virtual std::optional<fetch_request> next_page(const fetch_request& asked,
                                                 const fetch_result& got) const {
    if (got.next_page.empty())
      return std::nullopt;
    auto next = asked;
    next.page = got.next_page;
    return next;
  }

  // -- merged requests (the scheduler merges queued BATCH calls) -------------

  /// Instruments one request of `kind` may carry; 1: no merging.
  virtual size_t max_batch(fetch_kind) const noexcept { return 1; }

  /// One request for `kind` of every instrument of `instruments` (used only
  /// when max_batch(kind) > 1). Errors as build().
  virtual result<outbound_request>
  build_batch(fetch_kind kind, const std::vector<std::string>& instruments,
              const credentials& cred) const {
    (void) instruments;
    (void) cred;
    return error{errc::invalid_argument,
                 "cannot merge " + std::string{to_string(kind)} + " requests"};
  }

  /// Parses the reply to build_batch: the events of every instrument found
  /// (those it lacks are simply absent). Errors as parse().
  virtual fetch_outcome parse_batch(fetch_kind kind,
                                    const std::vector<std::string>& instruments,
                                    const http_reply& reply,
                                    int64_t recv_ns) const {
    (void) instruments;
    (void) reply;
    (void) recv_ns;
    return fetch_error{errc::invalid_argument,
                       "cannot merge " + std::string{to_string(kind)} + " requests", 0};
  }
};

/// Several instruments in one upstream request (merged BATCH calls):
/// (fetch_atom, fetch_batch) -> fetch_reply with the events of each.
struct fetch_batch {
  fetch_kind kind = fetch_kind::price;
  std::vector<std::string> instruments;
};

/// Options every adapter factory takes
/// (`std::unique_ptr<rest_adapter> make_<provider>_adapter(const adapter_options&)`
/// in adapters/<provider>/<provider>_adapter.hpp).
struct adapter_options {
  /// canonical id -> provider symbol, checked before the built-in mapping
  /// (e.g. {"PEPE-USD", "pepe"} for CoinGecko ids).
  kv_list symbol_overrides;
};

/// The provider symbol `overrides` ({canonical id, provider symbol} pairs,
/// adapter_options::symbol_overrides) gives `canonical`, the first pair
/// naming it; nullptr when none does. Adapters check it before their own
/// mapping.
const std::string* overridden_symbol(const kv_list& overrides,
                                     std::string_view canonical) noexcept;

/// The canonical id of the first pair of `overrides` whose provider symbol
/// is `provider_symbol`; nullptr when none is.
const std::string* overridden_canonical(const kv_list& overrides,
                                        std::string_view
                                          provider_symbol) noexcept;

/// Checks the time bounds of a bars request (0 = unbounded):
/// errc::invalid_argument "<who>: negative time bound" when one is below 0,
/// "<who>: start_ns > end_ns" when both are given and out of order.
result<void> check_time_bounds(std::string_view who, int64_t start_ns,
                               int64_t end_ns);

/// Generic HTTP status classification shared by adapters (after their own
/// body checks). Returns false for 2xx. Otherwise fills `out` and returns
/// true: 401/403 unauthorized, 404 not_found, 418/429 rate_limited with
/// Retry-After (delta seconds or HTTP-date relative to `now_ns`), anything
/// else provider_error ("HTTP <status>").
bool classify_http_status(const http_reply& reply, int64_t now_ns,
                          fetch_error& out);

/// Parses a Retry-After value (delta seconds or IMF-fixdate) into ns from now;
/// 0 when absent or unparsable.
int64_t parse_retry_after(std::string_view value, int64_t now_ns);

/// The Retry-After header of `reply` (any case) as ns from `now_ns`
/// (parse_retry_after); 0 when it is absent or unparsable.
int64_t retry_after_of(const http_reply& reply, int64_t now_ns);

} // namespace tickflow
