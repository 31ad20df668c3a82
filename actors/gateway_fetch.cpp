#include <algorithm>
#include <memory>

#include "actors/gateway_state.hpp"

namespace tickflow {

namespace {

/// The reply for a provider's failure; the message always names the provider.
api::http_response provider_failure(const std::string& name, const fetch_error& e,
                                    const std::string& instrument) {
  // Adapters often name themselves already; say it once.
  auto msg = e.message.rfind(name + ":", 0) == 0 ? e.message : name + ": " + e.message;
  switch (e.code) {
    case errc::unknown_symbol:
      return fail(404, "unknown_symbol",
                  name + " does not know " + instrument, "symbol");
    case errc::not_found:
      return fail(404, "no_data", msg, "symbol");
    case errc::invalid_argument:
      return fail(400, "invalid_parameter", msg);
    case errc::rate_limited: {
      auto r = fail(503, "provider_rate_limited", msg);
      auto secs = std::max<int64_t>(1, (e.retry_after_ns + 999'999'999) / 1'000'000'000);
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

using chain = std::vector<std::pair<std::string, caf::actor>>;

/// Asks the providers of `xs` in turn from `i`: the first that serves the
/// instrument answers; one that does not know it passes to the next.
void fetch_through(gateway_ptr self, std::shared_ptr<chain> xs, size_t i,
                   fetch_request req, std::shared_ptr<chain_outcome> out,
                   fetch_done done) {
  if (i >= xs->size()) {
    out->error = fail(404, "unknown_symbol", "no provider serves " + req.instrument,
                      "symbol");
    return done(std::move(*out));
  }
  auto name = (*xs)[i].first;
  self->request((*xs)[i].second, self->state.fetch_timeout, fetch_atom::value, req)
    .then(
      [=](const fetch_reply& r) {
        if (r.ok) {
          out->ok = true;
          out->reply = r;
          return done(std::move(*out));
        }
        auto pass = r.failure.code == errc::unknown_symbol
                    || r.failure.code == errc::invalid_argument;
        if (pass && i + 1 < xs->size()) {
          out->passed.push_back(name + ": " + std::string{to_string(r.failure.code)});
          return fetch_through(self, xs, i + 1, req, out, done);
        }
        out->error = provider_failure(r.provider, r.failure, req.instrument);
        done(std::move(*out));
      },
      [=](caf::error& e) {
        out->error = fail(504, "provider_timeout",
                          name + " did not answer: " + self->system().render(e));
        done(std::move(*out));
      });
}

} // namespace

void fetch_from_providers(gateway_ptr self, fetch_request req, std::string only,
                          priority, fetch_done done) {
  auto xs = std::make_shared<chain>(self->state.rest_chain(only));
  fetch_through(self, xs, 0, std::move(req), std::make_shared<chain_outcome>(),
                std::move(done));
}

bool can_fetch(gateway_ptr self, const std::string&) {
  return !self->state.rest_chain({}).empty();
}

} // namespace tickflow
