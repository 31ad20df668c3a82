// The operator client's I/O: REST over libcurl, live events over a
// websocketpp client. Formatting lives in api/client/client_render.

#include "actors/client_main.hpp"

#include <atomic>
#include <csignal>
#include <iostream>

#include <rapidjson/document.h>
#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

#include "adapters/common/curl_client.hpp"
#include "api/client/client_render.hpp"

namespace tickflow {

namespace {

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;

/// GET `target`; the body, or an error message.
result<std::string> get(const client::command& cmd, const std::string& target) {
  curl_options opts;
  opts.timeout_ns = 30'000'000'000;
  curl_client http{opts};
  outbound_request req;
  req.path = target; // already encoded, query included
  if (!cmd.key.empty()) {
    req.headers.emplace_back("Authorization", "Bearer " + cmd.key);
    req.secrets.push_back(cmd.key);
  }
  auto out = http.perform(req, cmd.url);
  if (auto* e = std::get_if<fetch_error>(&out))
    return error{errc::unavailable, cmd.url + ": " + e->message};
  auto& reply = std::get<http_reply>(out);
  if (reply.status >= 400)
    return error{errc::provider_error, "HTTP " + std::to_string(reply.status) + ": "
                                         + client::error_message(reply.body)};
  return reply.body;
}

int print_rows(const result<std::vector<std::vector<std::string>>>& rows, bool csv) {
  if (!rows) {
    std::cerr << "tickflow: " << rows.err().context << '\n';
    return exit_failure;
  }
  std::cout << (csv ? client::format_csv(*rows) : client::format_table(*rows));
  return exit_ok;
}

std::atomic<bool> interrupted{false};

/// True for a live event message (trade, quote, bar, status), not for
/// acknowledgements, snapshots or heartbeats: what --count counts.
bool is_live_event(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("type") || !d["type"].IsString())
    return false;
  std::string type = d["type"].GetString();
  return type == "trade" || type == "quote" || type == "bar" || type == "status";
}

/// Prints every message of the subscribed channels until Ctrl-C or --count.
int subscribe(const client::command& cmd) {
  using ws_client = websocketpp::client<websocketpp::config::asio_client>;
  ws_client c;
  c.clear_access_channels(websocketpp::log::alevel::all);
  c.clear_error_channels(websocketpp::log::elevel::all);
  c.init_asio();
  size_t seen = 0;
  int code = exit_ok;
  std::string request = R"({"op":"subscribe","channels":[)";
  for (size_t i = 0; i < cmd.args.size(); ++i)
    request += (i ? ",\"" : "\"") + cmd.args[i] + "\"";
  request += "]}";
  c.set_open_handler([&](websocketpp::connection_hdl h) {
    websocketpp::lib::error_code ec;
    c.send(h, request, websocketpp::frame::opcode::text, ec);
  });
  c.set_message_handler([&](websocketpp::connection_hdl h, ws_client::message_ptr m) {
    std::cout << m->get_payload() << std::endl;
    if (cmd.count && is_live_event(m->get_payload()) && ++seen >= *cmd.count) {
      websocketpp::lib::error_code ec;
      c.close(h, websocketpp::close::status::normal, "done", ec);
    }
  });
  c.set_fail_handler([&](websocketpp::connection_hdl h) {
    auto con = c.get_con_from_hdl(h);
    std::cerr << "tickflow: " << cmd.ws_url << ": " << con->get_ec().message() << '\n';
    code = exit_failure;
  });
  websocketpp::lib::error_code ec;
  auto con = c.get_connection(cmd.ws_url, ec);
  if (ec) {
    std::cerr << "tickflow: " << cmd.ws_url << ": " << ec.message() << '\n';
    return exit_failure;
  }
  if (!cmd.key.empty())
    con->append_header("Authorization", "Bearer " + cmd.key);
  c.connect(con);
  std::signal(SIGINT, [](int) { interrupted = true; });
  // Poll so Ctrl-C can close the connection cleanly.
  auto& io = c.get_io_service();
  while (!io.stopped()) {
    io.run_for(std::chrono::milliseconds{100});
    if (interrupted.exchange(false)) {
      websocketpp::lib::error_code ignored;
      c.close(con->get_handle(), websocketpp::close::status::normal, "bye", ignored);
    }
  }
  return code;
}

} // namespace

int run_client(const client::command& cmd) {
  using client::command_kind;
  if (cmd.kind == command_kind::subscribe)
    return subscribe(cmd);
  if (cmd.kind == command_kind::price) {
    std::vector<std::string> bodies;
    int code = exit_ok;
    for (auto& symbol : cmd.args) {
      auto body = get(cmd, client::target_of(cmd, symbol));
      if (!body) {
        std::cerr << "tickflow: " << symbol << ": " << body.err().context << '\n';
        code = exit_failure;
        continue;
      }
      bodies.push_back(std::move(*body));
    }
    if (cmd.json) {
      for (auto& b : bodies)
        std::cout << b << '\n';
      return code;
    }
    if (!bodies.empty())
      if (auto rc = print_rows(client::price_rows(bodies), false); rc != exit_ok)
        return rc;
    return code;
  }
  auto symbol = cmd.args.empty() ? std::string{} : cmd.args.front();
  auto body = get(cmd, client::target_of(cmd, symbol));
  if (!body) {
    std::cerr << "tickflow: " << body.err().context << '\n';
    return exit_failure;
  }
  if (cmd.json) {
    std::cout << *body << '\n';
    return exit_ok;
  }
  switch (cmd.kind) {
    case command_kind::ohlcv:
      return print_rows(client::ohlcv_rows(*body), cmd.csv);
    case command_kind::providers:
      return print_rows(client::providers_rows(*body), false);
    case command_kind::jobs:
      return print_rows(client::jobs_rows(*body), false);
    default: // stats: nested counters read best as indented JSON
      std::cout << client::pretty_json(*body);
      return exit_ok;
  }
}

} // namespace tickflow
