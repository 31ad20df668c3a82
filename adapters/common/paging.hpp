#pragma once

// A range longer than one provider page, fetched page by page from one
// provider: the first request asks for at most the adapter's page_limit
// bars, each answer says whether another page follows (the adapter's
// next_page: Polygon's next_url, Binance's startTime past the last open
// time), and the pages are joined until the asked limit is reached. Each
// page is one call of its own (the gateway sends each through the
// scheduler, so each counts against the provider's limits); a provider
// that cannot serve the whole range in one request is paged, never
// skipped for the next provider. Pure: no I/O.

#include <cstddef>
#include <optional>

#include "adapters/common/rest_adapter.hpp"

namespace tickflow {

/// Pages one fetch of bars from one provider (see the file comment).
class pager {
public:
  /// Pages beyond this end the fetch (what was joined is the answer): a
  /// provider that keeps sending continuations cannot hold a call forever.
  static constexpr size_t max_pages = 64;

  /// Pages `whole` from the provider of `a` (null: one request, as is).
  pager(const rest_adapter* a, fetch_request whole);

  /// The first request: `whole` with its limit cut to the page limit.
  const fetch_request& first() const noexcept { return asked_; }

  /// Takes the answer to the last request; the next request to make, or
  /// nullopt when the fetch is complete (then take result()).
  std::optional<fetch_request> take(fetch_result got);

  /// Every page joined: the bars in the order the pages came.
  fetch_result result() &&;

  /// Pages taken so far.
  size_t pages() const noexcept { return pages_; }

private:
  const rest_adapter* adapter_;
  size_t wanted_;        // bars asked for in all (0: the provider's default)
  fetch_request asked_;  // the request of the page in flight
  fetch_result joined_;
  size_t pages_ = 0;
};

} // namespace tickflow
