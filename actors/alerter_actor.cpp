#include "actors/alerter_actor.hpp"

#include "actors/clock.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/common/curl_client.hpp"
#include "api/quality_json.hpp"

namespace tickflow {

namespace {

struct alerter_state {
  std::vector<std::string> urls;
  std::unique_ptr<curl_client> http;
  stage_stats stats{"alerter"};
  std::shared_ptr<spdlog::logger> log = logger("alerts");
  static inline const char* name = "alerter";

  void post(const std::string& url, const std::string& body) {
    // The URL is split into base (scheme://host:port) and path.
    auto host_end = url.find('/', url.find("://") + 3);
    outbound_request req;
    req.method = "POST";
    req.path = host_end == std::string::npos ? "/" : url.substr(host_end);
    req.headers.emplace_back("Content-Type", "application/json");
    req.body = body;
    auto base = url.substr(0, host_end);
    auto r = http->perform(req, base);
    if (auto e = std::get_if<fetch_error>(&r)) {
      stats.dropped += 1;
      log->warn("alert POST failed: {}", e->message);
      return;
    }
    auto& reply = std::get<http_reply>(r);
    if (reply.status / 100 != 2) {
      stats.dropped += 1;
      log->warn("alert POST to {}{} answered HTTP {}", base, req.path, reply.status);
      return;
    }
    stats.events_out += 1;
  }
};

alerter_actor::behavior_type alerter(alerter_actor::stateful_pointer<alerter_state> self,
                                     topology topo) {
  auto& st = self->state;
  st.urls = topo.alerts.urls;
  curl_options opts;
  opts.timeout_ns = topo.alerts.timeout_ns;
  opts.max_body_bytes = 64 * 1024;
  st.http = std::make_unique<curl_client>(opts);
  return {
    [=](const alert& a) {
      auto& st = self->state;
      st.stats.events_in += 1;
      auto level = a.level == severity::high ? spdlog::level::err : spdlog::level::warn;
      st.log->log(level, "ALERT {} {}{}: {} (x{})", to_string(a.kind), a.instrument,
                  a.source ? " [" + std::string{to_string(*a.source)} + "]" : "",
                  a.message, a.count);
      auto body = api::alert_body(a, now_ns());
      for (auto& url : st.urls)
        st.post(url, body);
    },
    [=](stats_atom) { return self->state.stats; },
  };
}

} // namespace

alerter_actor spawn_alerter(caf::actor_system& sys, const topology& topo) {
  return sys.spawn<caf::detached>(alerter, topo);
}

} // namespace tickflow
