#pragma once

// Which providers to ask, in which order: the failover chain of the
// symbol's asset class from config, narrowed to the enabled providers.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/normalize/asset_class.hpp"

namespace tickflow {

/// Chain per asset class, first choice first.
using failover_chains = std::vector<std::pair<asset_class, std::vector<std::string>>>;

/// The default chains: every provider's places (its descriptor's
/// failover_place), by class in asset_class order, then by rank.
failover_chains default_failover_chains();

/// The default bare-crypto quote assets: each provider whose descriptor's
/// crypto_quote is not USD, in id order, then {"*", "USD"}.
std::vector<std::pair<std::string, std::string>> default_quote_assets();

/// [failover]
struct failover_settings {
  /// Chain per asset class, first choice first.
  failover_chains chains = default_failover_chains();
  /// Symbols whose class the rules would get wrong ("SOL" = equity).
  asset_class_overrides overrides;
  /// Quote asset each provider uses for a bare crypto symbol ("BTC");
  /// "*" is every other provider.
  std::vector<std::pair<std::string, std::string>> quotes = default_quote_assets();
  /// Quote asset a bare coin ("BTC") resolves to, per class ("crypto=USDT"),
  /// so it is one instrument whoever serves it. Empty: the one configured
  /// instrument of that base, else bare (`quotes` per provider).
  std::vector<std::pair<asset_class, std::string>> default_quotes;
  /// A price older than this is stale: the next provider is asked (the
  /// stale one still answers when no one has better). Absent: never stale.
  std::vector<std::pair<asset_class, int64_t>> stale_after;
};

/// One provider to ask and the id it is asked for.
struct chain_step {
  std::string provider;
  std::string instrument;
};

/// The symbol as detected and the providers to ask, in order.
struct resolved_chain {
  detected_symbol symbol;
  std::vector<chain_step> steps;
};

/// The chain of `symbol`: only `only` when set (if it is enabled), else
/// the configured chain of its class narrowed to `enabled` (the enabled
/// REST providers in config order); when the class has no chain or none
/// of its providers is enabled, every enabled provider in config order.
resolved_chain resolve_chain(const failover_settings& s, std::string_view symbol,
                             const std::vector<std::string>& enabled,
                             std::string_view only = {});

/// The id `provider` is asked for: a bare crypto base gets the provider's
/// quote asset ("BTC" -> "BTC-USDT" where the quote is USDT); anything else
/// as detected.
std::string instrument_for(const failover_settings& s, const detected_symbol& d,
                           std::string_view provider);

/// The providers of `names`, in order, whose bars of class `cls` can be
/// adjusted (`adjusted`) or raw (provider_info raw_bars / adjusted_bars),
/// so a chain never serves one kind for the other; unknown names are
/// dropped. Only equities have corporate actions: for another class every
/// known name serves both.
std::vector<std::string> serving_bars(const std::vector<std::string>& names,
                                      bool adjusted, asset_class cls);

/// The staleness bound of `cls` (0: none).
int64_t stale_after_ns(const failover_settings& s, asset_class cls) noexcept;

} // namespace tickflow
