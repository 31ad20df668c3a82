#pragma once

// GET /api/v1/instruments?query=&asset_class=&provider=&limit=: the
// instruments tickflow knows (configured in the simulator, the live feeds
// and the watchlists, seen by the cache, and listed by the providers' own
// reference lists), with their asset class, tick and lot size where a list
// gives them, and the providers that serve each (live sources, the REST
// providers of the class's failover chain, the providers listing it). Pure:
// the gateway gathers, this searches and renders.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "api/api_error.hpp"
#include "api/http_types.hpp"
#include "pipeline/normalize/symbol_resolver.hpp"
#include "pipeline/ratelimit/failover.hpp"
#include "pipeline/reference/reference_list.hpp"
#include "pipeline/topology/instruments.hpp"

namespace tickflow::api {

/// The search's query.
struct instruments_query {
  std::string text;               ///< query=, trimmed; "" matches every one
  std::optional<asset_class> cls; ///< asset_class=
  std::string provider;           ///< provider=, lower-cased; "" any
  size_t limit = 100;             ///< 1..1000
};

/// asset_class= must be crypto, equity, forex, futures or index; provider=
/// a known provider; limit= 1..1000 (400 invalid_parameter naming each).
api_result<instruments_query> parse_instruments_query(const http_request& req);

/// One instrument the search knows.
struct instrument_info {
  std::string id;
  asset_class cls = asset_class::equity;
  std::vector<std::string> live; ///< live sources (simulator, stream feeds)
  std::vector<std::string> rest; ///< REST providers asked for it, in order
  std::vector<std::string> listed; ///< providers whose reference list has it
  decimal tick_size;             ///< from a reference list; zero: unknown
  decimal lot_size;              ///< likewise
  bool configured = false;       ///< named in the config
  bool seen = false;             ///< held by the cache
  bool reference = false;        ///< in a provider's reference list
};

/// Every instrument of `configured`, `seen` and `reference` (the merged
/// reference lists, sorted by id), sorted by id, each once. A configured or
/// seen one has its class by shape and `f.overrides` and the enabled REST
/// providers (`enabled_rest`) of its class's chain, and gains the tick and
/// lot size and the listing providers of its reference entry; one only a
/// reference list names has the class the list gives and its listing
/// providers (no chain is resolved for it: lists hold up to
/// [instruments] max-reference rows).
std::vector<instrument_info> instrument_catalog(
  const std::vector<configured_instrument>& configured,
  const std::vector<std::string>& seen, const failover_settings& f,
  const std::vector<std::string>& enabled_rest,
  const std::vector<reference_entry>& reference = {});

/// The instruments of `all` that match `q`: an id containing the query
/// (any case), or the id the query resolves to. Ranked: the resolved id,
/// then ids starting with the query, then the others; by id within.
std::vector<const instrument_info*> search_instruments(
  const std::vector<instrument_info>& all, const instruments_query& q,
  const symbol_resolver& symbols);

/// {"query":..,"asset_class":..,"provider":..,"count":n,"total":m,
///  "instruments":[{"id":..,"asset_class":..,"base":..,"quote":..,
///  "providers":[..],"live":[..],"configured":..,"seen":..,
///  "reference":..,"tick_size":"0.01","lot_size":null}]}: the first
/// `q.limit` of `found` (total: all of them); base and quote are null for
/// ids that are no pair, tick_size and lot_size (exact decimal strings)
/// where no reference list gives them.
std::string instruments_body(const instruments_query& q,
                             const std::vector<const instrument_info*>& found);

} // namespace tickflow::api
