#include "actors/cli.hpp"

#include <charconv>

namespace tickflow {

namespace {

result<int> parse_port(const std::string& opt, const std::string& text) {
  int value = -1;
  auto last = text.data() + text.size();
  auto r = std::from_chars(text.data(), last, value);
  if (text.empty() || r.ec != std::errc{} || r.ptr != last || value < 0
      || value > 65535)
    return error{errc::invalid_argument,
                 opt + ": expected a port in 0..65535, got \"" + text + "\""};
  return value;
}

} // namespace

const char* usage_text() noexcept {
  return R"(Usage: tickflow [OPTIONS]

tickflow: one market-data service for every trading, analytics and dashboard
component. Without options it runs on its embedded default configuration
(a simulated market, REST on 127.0.0.1:8003, WebSocket on 127.0.0.1:8004).

Options:
  --config FILE        run with the configuration in FILE (INI)
  --check-config FILE  validate FILE, print "FILE: ok" or the problem; exit 0 or 2
  --print-config       print the embedded default configuration and exit
  --port N             REST port (overrides [gateway] port; 0 = any free port)
  --ws-port N          WebSocket port (overrides [broadcaster] port)
  --log-level LEVEL    trace, debug, info, warn, error, critical or off
  --help               show this text
  --version            show the version

Exit codes: 0 success, 1 runtime failure, 2 invalid configuration or usage.

Client commands (talk to a running tickflow; `tickflow price --help` for more):
  tickflow price SYMBOL...       tickflow ohlcv SYMBOL [--interval 1m] [--csv]
  tickflow providers | stats | jobs
  tickflow subscribe CHANNEL...  (prints live events until Ctrl-C)
)";
}

result<cli_options> parse_cli(const std::vector<std::string>& args) {
  cli_options o;
  for (size_t i = 0; i < args.size(); ++i) {
    auto& a = args[i];
    // Accept both "--opt value" and "--opt=value".
    std::string name = a, value;
    bool inline_value = false;
    if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      inline_value = true;
    }
    auto take = [&]() -> result<std::string> {
      if (inline_value)
        return value;
      if (i + 1 >= args.size())
        return error{errc::invalid_argument, name + ": missing value"};
      return args[++i];
    };
    if (name == "--help" || name == "-h") {
      o.mode = cli_options::mode_kind::help;
    } else if (name == "--version" || name == "-V") {
      o.mode = cli_options::mode_kind::version;
    } else if (name == "--print-config") {
      o.mode = cli_options::mode_kind::print_config;
    } else if (name == "--config" || name == "--check-config") {
      auto v = take();
      if (!v)
        return v.err();
      if (v->empty())
        return error{errc::invalid_argument, name + ": empty file name"};
      o.config_path = *v;
      if (name == "--check-config")
        o.mode = cli_options::mode_kind::check_config;
    } else if (name == "--port" || name == "--ws-port") {
      auto v = take();
      if (!v)
        return v.err();
      auto p = parse_port(name, *v);
      if (!p)
        return p.err();
      (name == "--port" ? o.port : o.ws_port) = *p;
    } else if (name == "--log-level") {
      auto v = take();
      if (!v)
        return v.err();
      o.log_level = *v;
    } else {
      return error{errc::invalid_argument,
                   "unknown option \"" + a + "\" (see --help)"};
    }
  }
  return o;
}

} // namespace tickflow
