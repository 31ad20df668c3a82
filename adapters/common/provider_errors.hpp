#pragma once

// From a provider's reply to a typed fetch_error: the steps the REST
// adapters share before parsing data (or instead of it). What a provider's
// error bodies mean stays in its own <provider>_parse; these helpers do the
// parts that are the same everywhere: parse the body, let the body or the
// HTTP status (classify_http_status) name the error, convert parse errors.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "adapters/common/exact_json.hpp"
#include "adapters/common/json_number.hpp"
#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow {

/// At most this many characters of a provider's own message are kept.
constexpr size_t max_provider_message = 256;

/// `e` as a fetch_error with the same code and context.
fetch_error to_fetch_error(const error& e);

/// A parse error as a fetch_error, the parse codes folded into one:
/// malformed / missing_field / bad_number / out_of_range become
/// errc::malformed with the message "<code>: <context>" (error::message());
/// other codes are kept with their context (to_fetch_error).
fetch_error fold_parse_error(const error& e);

/// The common start of an error-body classification. nullopt for a 2xx
/// reply when `body_error` is false. Otherwise a non-2xx is classified by its
/// status (classify_http_status: Retry-After relative to `now_ns`) and a 2xx
/// is errc::provider_error with `fallback_message`; a non-empty
/// `provider_message` (its first max_provider_message characters) then
/// replaces the message. The caller refines the code from the body.
std::optional<fetch_error> classify_error_reply(const http_reply& reply,
                                                bool body_error,
                                                std::string_view
                                                  provider_message,
                                                std::string fallback_message,
                                                int64_t now_ns);

/// A provider's error classification for exact-JSON replies: the reply, its
/// parsed body (nullptr when it is not JSON) and now_ns; nullopt when the
/// reply is not an error.
using exact_error_classifier = std::optional<fetch_error> (*)(
  const http_reply& reply, const json::exact_document* doc, int64_t now_ns);

/// Parses the body of `reply` into `doc` and returns the error the reply
/// stands for: `classify` (reply, &doc or nullptr, recv_ns) first, then the
/// parse error (fold_parse_error) when the body is not JSON. nullopt when
/// `doc` holds data to parse.
std::optional<fetch_error> read_exact_reply(const http_reply& reply,
                                            int64_t recv_ns,
                                            exact_error_classifier classify,
                                            json::exact_document& doc);

/// Parses the body of `reply` into `doc` (json::parse_with_number_text) and
/// returns the error the reply stands for: the error `body_error(doc)`
/// reports for a JSON body, whatever the status (provider error bodies name
/// the cause better than the status does), then classify_http_status
/// (Retry-After relative to `recv_ns`), then errc::malformed when the body
/// is not JSON. nullopt when `doc` holds data to parse. `body_error` takes
/// the document as a `const rapidjson::Value&` and returns
/// std::optional<fetch_error>.
template <class BodyError>
std::optional<fetch_error>
read_number_text_reply(const http_reply& reply, int64_t recv_ns,
                       BodyError body_error, rapidjson::Document& doc) {
  auto parsed = json::parse_with_number_text(reply.body, doc);
  if (parsed)
    if (auto e = body_error(static_cast<const rapidjson::Value&>(doc)))
      return e;
  fetch_error status;
  if (classify_http_status(reply, recv_ns, status))
    return status;
  if (!parsed)
    return to_fetch_error(parsed.err());
  return std::nullopt;
}

/// What a provider's "nothing" means for `kind`. Asked for the latest price
/// or quote of one instrument, a provider that has nothing (errc::not_found:
/// Polygon's empty results, Finnhub's and Massive's empty answers) does not
/// know the symbol: errc::unknown_symbol, a 404 unknown_symbol that is never
/// retried. Bars, trades and news of a range may simply be none: not_found
/// stays (404 no_data). Other errors and data pass unchanged.
fetch_outcome settle_not_found(fetch_kind kind, fetch_outcome out);

/// Nanoseconds from `now_ns` to the next 00:00 UTC (a whole day at
/// midnight): when a daily quota resets.
int64_t ns_until_next_utc_midnight(int64_t now_ns) noexcept;

} // namespace tickflow
