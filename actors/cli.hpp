#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pipeline/model/error.hpp"

namespace tickflow {

/// What the command line asks for.
struct cli_options {
  enum class mode_kind { run, check_config, print_config, help, version };
  mode_kind mode = mode_kind::run;
  std::string config_path;        ///< empty: the embedded default
  std::optional<int> port;        ///< --port: REST port (overrides the config)
  std::optional<int> ws_port;     ///< --ws-port: WebSocket port
  std::optional<std::string> log_level; ///< --log-level
};

/// Parses argv (without argv[0]). errc::invalid_argument with a one-line
/// message for an unknown option, a missing value or a bad port.
result<cli_options> parse_cli(const std::vector<std::string>& args);

/// The --help text.
const char* usage_text() noexcept;

} // namespace tickflow
