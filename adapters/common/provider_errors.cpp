#include "adapters/common/provider_errors.hpp"

#include <utility>
#include <variant>

#include "pipeline/model/time.hpp"

namespace tickflow {

fetch_error to_fetch_error(const error& e) {
  return fetch_error{e.code, e.context, 0};
}

fetch_error fold_parse_error(const error& e) {
  switch (e.code) {
    case errc::malformed:
    case errc::missing_field:
    case errc::bad_number:
    case errc::out_of_range:
      return fetch_error{errc::malformed, e.message(), 0};
    default:
      return to_fetch_error(e);
  }
}

std::optional<fetch_error> classify_error_reply(const http_reply& reply,
                                                bool body_error,
                                                std::string_view
                                                  provider_message,
                                                std::string fallback_message,
                                                int64_t now_ns) {
  bool http_error = reply.status < 200 || reply.status >= 300;
  if (!http_error && !body_error)
    return std::nullopt;
  fetch_error e;
  if (!http_error || !classify_http_status(reply, now_ns, e)) {
    e.code = errc::provider_error;
    e.message = std::move(fallback_message);
  }
  if (!provider_message.empty())
    e.message = std::string{provider_message.substr(0, max_provider_message)};
  return e;
}

std::optional<fetch_error> read_exact_reply(const http_reply& reply,
                                            int64_t recv_ns,
                                            exact_error_classifier classify,
                                            json::exact_document& doc) {
  auto parsed = doc.parse(reply.body);
  if (auto e = classify(reply, parsed ? &doc : nullptr, recv_ns))
    return e;
  if (!parsed)
    return fold_parse_error(parsed.err());
  return std::nullopt;
}

int64_t ns_until_next_utc_midnight(int64_t now_ns) noexcept {
  constexpr int64_t day_ns = 86'400 * ns_per_s;
  auto day = now_ns / day_ns - (now_ns % day_ns < 0 ? 1 : 0);
  return (day + 1) * day_ns - now_ns;
}

fetch_outcome settle_not_found(fetch_kind kind, fetch_outcome out) {
  auto* e = std::get_if<fetch_error>(&out);
  if (e != nullptr && e->code == errc::not_found
      && (kind == fetch_kind::price || kind == fetch_kind::quote))
    e->code = errc::unknown_symbol;
  return out;
}

} // namespace tickflow
