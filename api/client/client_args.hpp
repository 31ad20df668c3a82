#pragma once

// The operator's command-line client: `tickflow <command> ...` talks to a
// running tickflow over its REST and WebSocket APIs.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/model/error.hpp"

namespace tickflow::client {

enum class command_kind { price, ohlcv, providers, stats, jobs, subscribe };

/// One client invocation.
struct command {
  command_kind kind = command_kind::price;
  std::string url = "http://127.0.0.1:8003";                 ///< --url: the REST base
  std::string ws_url = "ws://127.0.0.1:8004/api/v1/stream";  ///< --ws-url
  std::string key;               ///< --key or $TICKFLOW_API_KEY (Bearer)
  std::vector<std::string> args; ///< symbols (price, ohlcv) or channels (subscribe)
  std::string provider;          ///< --provider
  std::string interval = "1m";   ///< --interval (ohlcv)
  size_t limit = 20;             ///< --limit (ohlcv)
  std::string start, end;        ///< --start/--end (ohlcv), passed through
  bool csv = false;              ///< --csv (ohlcv)
  bool json = false;             ///< --json: print the response body as is
  std::optional<size_t> count;   ///< --count N (subscribe): stop after N events
};

/// True if `word` names a client command (the first argument of tickflow).
bool is_command(const std::string& word) noexcept;

/// Parses the arguments after the command word. errc::invalid_argument with
/// a one-line message for an unknown option, a missing value or argument.
result<command> parse_command(const std::string& word,
                              const std::vector<std::string>& args);

/// The REST target ("/api/v1/data/ohlcv?symbol=...") of a command with one
/// symbol (price and ohlcv take the symbol to use; the others ignore it).
std::string target_of(const command& c, const std::string& symbol = {});

/// The help text of the client commands.
const char* client_usage() noexcept;

} // namespace tickflow::client
