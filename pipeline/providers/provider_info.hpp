#pragma once

// The pure part of a provider's descriptor: what configuration, failover,
// rate limits, the provider listing and the docs need to know about a
// provider, without its code. Each provider's folder fills one
// (adapters/<name>/<name>_provider.cpp, which adds the REST and stream
// dialect factories); the registry (adapters/registry.cpp) installs the
// table once at start. Everything in pipeline/ reads the table, so no
// pipeline code names a provider.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/model/error.hpp"
#include "pipeline/model/fetch_kind.hpp"
#include "pipeline/model/interval.hpp"
#include "pipeline/model/provider.hpp"
#include "pipeline/normalize/asset_class.hpp"
#include "pipeline/ratelimit/provider_limits.hpp"

namespace tickflow {

/// A provider's place in one asset class's default failover chain.
struct failover_place {
  asset_class cls = asset_class::crypto;
  /// Lower is asked first. Spaced by 10 so a new provider can slot in
  /// between without moving the others.
  int rank = 0;
};

/// What a provider's live stream dialect promises (unused without one).
struct stream_traits {
  /// Subscriptions one connection may carry; more go on more connections.
  size_t max_streams_per_connection = 0;
  /// Frames a client may send per second on one connection.
  double max_outgoing_per_second = 0;
  /// Default of [stream.<name>] max-connection-age: reconnect before the
  /// server cuts a connection this old (0: never).
  int64_t max_connection_age_ns = 0;
  /// Trade ids count up by one per instrument (an "a" prefix marks an
  /// aggregate id, counted apart) and a bar comes for every interval: a
  /// skip is a gap (adapters/streams/feed_continuity). Otherwise events are
  /// only deduplicated.
  bool consecutive_ids = false;
};

/// Static facts about one provider.
struct provider_info {
  provider id{};          ///< stable: journals, Redis and capture files store it
  std::string_view name;  ///< snake_case, as in configs
  std::vector<asset_class> asset_classes;
  std::vector<fetch_kind> data_types; ///< what it serves
  std::vector<interval> intervals;    ///< bar intervals it serves
  /// Its equity bars can be raw (as traded) / adjusted for splits and
  /// dividends (docs/API.md "Adjusted prices"; fetch_request::adjusted).
  /// Other classes have no corporate actions: every source serves both.
  bool raw_bars = true;
  bool adjusted_bars = true; ///< see raw_bars
  bool needs_key = false;             ///< refuses calls without a key
  /// The environment variable configs/live.ini names for its key ("": none).
  std::string_view key_env;
  /// May be listed in [providers] enabled (false: a reserved name, such as
  /// replay, which has a section of its own).
  bool selectable = true;
  /// In [providers] enabled when the file does not set it.
  bool enabled_by_default = false;
  /// Has a REST dialect: a [<name>] section, [limits.<name>], failover. The
  /// registry sets it from the descriptor's factory.
  bool rest = false;
  /// Has a live stream dialect: [stream.<name>], [replay] provider. The
  /// registry sets it from the descriptor's factory.
  bool stream = false;
  /// Accepts signed pushes at POST /webhooks/<name>, parsed by its stream
  /// dialect; the secret's variable is [webhooks] <name>-secret-env.
  bool webhook = false;
  /// Published default limits of the free tier (none: the generic 10/s of
  /// default_limits, and no [limits.<name>] default in the table).
  std::optional<provider_limits> limits;
  /// Its places in the default failover chains ([failover] <class>).
  std::vector<failover_place> failover;
  /// Quote asset it uses for a bare crypto symbol ("BTC" -> "BTC-USD").
  std::string_view crypto_quote = "USD";
  stream_traits streams;
  /// Canonical ids it serves, the main one first (fuzz seeds, docs).
  std::vector<std::string_view> examples;
};

// -- the installed table --------------------------------------------------------

/// Installs `infos` (any order) as the table every function below reads, and
/// their names for to_string(provider). The registry
/// (install_provider_registry, adapters/registry.hpp) calls it once at
/// start, before any other thread runs: readers take no lock. A name's
/// storage must outlive the table (string literals). errc::invalid_argument
/// for a repeated id or name or an empty name.
result<void> install_providers(std::vector<provider_info> infos);

/// Every installed provider, in id order.
const std::vector<provider_info>& provider_table() noexcept;

/// The provider named `name`, or nullptr.
const provider_info* find_provider(std::string_view name) noexcept;

/// The provider with id `id`, or nullptr.
const provider_info* find_provider(provider id) noexcept;

/// Names of the providers selected by `keep`, in id order.
template <class Predicate>
std::vector<std::string> provider_names(Predicate keep) {
  std::vector<std::string> out;
  for (auto& x : provider_table())
    if (keep(x))
      out.emplace_back(x.name);
  return out;
}

/// [providers] enabled when the file does not set it.
std::vector<std::string> default_enabled_providers();

} // namespace tickflow
