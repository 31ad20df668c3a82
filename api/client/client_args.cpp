#include "api/client/client_args.hpp"

#include <charconv>
#include <cstdlib>

#include "api/url.hpp"

namespace tickflow::client {

namespace {

constexpr const char* words[] = {"price", "ohlcv", "providers", "stats", "jobs",
                                 "subscribe"};

error usage(std::string message) {
  return error{errc::invalid_argument, std::move(message)};
}

} // namespace

bool is_command(const std::string& word) noexcept {
  for (auto w : words)
    if (word == w)
      return true;
  return false;
}

const char* client_usage() noexcept {
  return R"(Client commands (talk to a running tickflow):
  tickflow price SYMBOL... [--provider P]
  tickflow ohlcv SYMBOL [--interval 1m] [--limit 20] [--start T] [--end T] [--csv]
  tickflow providers | stats | jobs
  tickflow subscribe CHANNEL... [--count N]   (Ctrl-C stops)
Options for all: --url http://127.0.0.1:8003  --ws-url ws://127.0.0.1:8004/api/v1/stream
  --key KEY (or $TICKFLOW_API_KEY)  --json (print the response body as is)
Channels: trades:SYMBOL, quotes:SYMBOL, bars:INTERVAL:SYMBOL, status:PROVIDER
)";
}

result<command> parse_command(const std::string& word,
                              const std::vector<std::string>& args) {
  command c;
  if (word == "price") c.kind = command_kind::price;
  else if (word == "ohlcv") c.kind = command_kind::ohlcv;
  else if (word == "providers") c.kind = command_kind::providers;
  else if (word == "stats") c.kind = command_kind::stats;
  else if (word == "jobs") c.kind = command_kind::jobs;
  else if (word == "subscribe") c.kind = command_kind::subscribe;
  else return usage("unknown command \"" + word + "\"");
  if (auto* key = std::getenv("TICKFLOW_API_KEY"))
    c.key = key;
  for (size_t i = 0; i < args.size(); ++i) {
    auto& a = args[i];
    if (a.rfind("--", 0) != 0) {
      c.args.push_back(a);
      continue;
    }
    std::string name = a, value;
    bool inline_value = false;
    if (auto eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      inline_value = true;
    }
    if (name == "--csv" || name == "--json") {
      if (inline_value)
        return usage(name + " takes no value");
      (name == "--csv" ? c.csv : c.json) = true;
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size())
        return usage(name + ": missing value");
      value = args[++i];
    }
    if (name == "--url") c.url = value;
    else if (name == "--ws-url") c.ws_url = value;
    else if (name == "--key") c.key = value;
    else if (name == "--provider") c.provider = value;
    else if (name == "--interval") c.interval = value;
    else if (name == "--start") c.start = value;
    else if (name == "--end") c.end = value;
    else if (name == "--limit" || name == "--count") {
      size_t n = 0;
      auto last = value.data() + value.size();
      auto r = std::from_chars(value.data(), last, n);
      if (value.empty() || r.ec != std::errc{} || r.ptr != last || n == 0)
        return usage(name + ": expected a positive integer, got \"" + value + "\"");
      if (name == "--limit") c.limit = n;
      else c.count = n;
    } else {
      return usage("unknown option " + name);
    }
  }
  while (!c.url.empty() && c.url.back() == '/')
    c.url.pop_back();
  bool needs_args = c.kind == command_kind::price || c.kind == command_kind::ohlcv
                    || c.kind == command_kind::subscribe;
  if (needs_args && c.args.empty())
    return usage(word + ": missing "
                 + (c.kind == command_kind::subscribe ? "CHANNEL" : "SYMBOL"));
  if (c.kind == command_kind::ohlcv && c.args.size() > 1)
    return usage("ohlcv: one SYMBOL at a time");
  if (!needs_args && !c.args.empty())
    return usage(word + ": unexpected argument \"" + c.args.front() + "\"");
  if (c.csv && c.kind != command_kind::ohlcv)
    return usage("--csv is for ohlcv only");
  return c;
}

std::string target_of(const command& c, const std::string& symbol) {
  switch (c.kind) {
    case command_kind::price: {
      auto t = "/api/v1/data/price?symbol=" + api::percent_encode(symbol);
      if (!c.provider.empty())
        t += "&provider=" + api::percent_encode(c.provider);
      return t;
    }
    case command_kind::ohlcv: {
      auto t = "/api/v1/data/ohlcv?symbol=" + api::percent_encode(symbol)
               + "&interval=" + api::percent_encode(c.interval)
               + "&limit=" + std::to_string(c.limit);
      if (!c.start.empty())
        t += "&start=" + api::percent_encode(c.start);
      if (!c.end.empty())
        t += "&end=" + api::percent_encode(c.end);
      if (!c.provider.empty())
        t += "&provider=" + api::percent_encode(c.provider);
      return t;
    }
    case command_kind::providers: return "/api/v1/data/providers";
    case command_kind::stats: return "/api/v1/stats";
    case command_kind::jobs: return "/api/v1/jobs";
    case command_kind::subscribe: return {};
  }
  return {};
}

} // namespace tickflow::client
