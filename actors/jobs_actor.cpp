#include "actors/jobs_actor.hpp"

#include <chrono>
#include <map>
#include <optional>

#include "actors/clock.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "api/event_json.hpp"
#include "api/jobs_json.hpp"
#include "api/url.hpp"
#include "pipeline/jobs/job_board.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {

namespace {

constexpr auto tick_every = std::chrono::seconds{1};

/// Items of one run asked at once: each answer asks the next. Bounds the
/// answers in flight (a 1000-symbol ohlcv job would otherwise have every
/// answer in a mailbox at the same time). Above the largest merged batch
/// ([limits.binance] max-batch 100), so the scheduler still merges a
/// watchlist refresh into full batch requests.
constexpr size_t max_items_in_flight = 128;

/// One internal GET of a data route, and what it is for.
struct job_item {
  std::string target; ///< "/api/v1/data/price?symbol=BTC-USDT"
  std::string label;  ///< the symbol, for the async result
};

/// A run in progress: a scheduled job ("job:<name>") or an async one ("async:<id>").
struct running_job {
  std::vector<job_item> items;
  size_t asked = 0;
  size_t answered = 0;
  size_t failed = 0;
  int64_t started_ns = 0;
  std::vector<std::string> failures; ///< the first few, for the message
};

struct jobs_state {
  jobs_settings cfg;
  bool storage = false; ///< [storage] enabled: backfill has somewhere to look
  internal_calls_actor gateway;
  job_board board;
  std::optional<async_jobs> async;
  std::map<std::string, running_job> running;
  std::shared_ptr<spdlog::logger> log = logger("jobs");
  static inline const char* name = "jobs";
};

using jobs_ptr = jobs_actor::stateful_pointer<jobs_state>;

std::string price_target(const std::string& symbol) {
  return "/api/v1/data/price?symbol=" + api::percent_encode(symbol);
}

/// The items of a scheduled job, from the watchlist.
std::vector<job_item> items_of(const jobs_state& st, const std::string& name) {
  std::vector<job_item> xs;
  auto prices = [&](const std::vector<std::string>& symbols) {
    for (auto& s : symbols)
      xs.push_back({price_target(s), s});
  };
  if (name == "refresh-crypto")
    prices(st.cfg.crypto);
  else if (name == "refresh-stocks")
    prices(st.cfg.stocks);
  else if (name == "warm") {
    prices(st.cfg.crypto);
    prices(st.cfg.stocks);
  } else if (name == "backfill") {
    // The historical route reads Postgres first and asks the providers only
    // for the slots storage lacks (newest first), so the job fetches holes only.
    auto now = now_ns();
    auto span = interval_ns(st.cfg.backfill_interval);
    auto slots = std::max<int64_t>(1, st.cfg.backfill_lookback_ns / span);
    auto limit = std::min<int64_t>(slots, 5000);
    auto start = now - limit * span;
    for (auto* list : {&st.cfg.crypto, &st.cfg.stocks})
      for (auto& s : *list)
        xs.push_back({"/api/v1/data/historical?symbol=" + api::percent_encode(s)
                        + "&interval=" + std::string{to_string(st.cfg.backfill_interval)}
                        + "&start=" + api::percent_encode(format_iso8601(start))
                        + "&limit=" + std::to_string(limit),
                      s});
  } else if (name == "health-probe") {
    xs.push_back({"/api/v1/data/providers", "providers"});
  }
  return xs;
}

priority priority_of(const std::string& key) {
  if (key == "job:backfill")
    return priority::batch;
  if (key.rfind("async:", 0) == 0)
    return priority::medium;
  return priority::low;
}

/// Sends one internal GET to the gateway; its answer comes back as
/// (job_item_atom, key, index, status, body).
void call(jobs_ptr self, const std::string& key, size_t index, const std::string& target) {
  api::http_request req;
  req.method = "GET";
  req.target = target;
  auto q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::string_view rest{target};
    rest.remove_prefix(q + 1);
    while (!rest.empty()) {
      auto amp = rest.find('&');
      auto pair = rest.substr(0, amp);
      auto eq = pair.find('=');
      auto name = api::percent_decode(pair.substr(0, eq), true);
      auto value = api::percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
      if (name && value)
        req.query.emplace_back(std::move(*name), std::move(*value));
      if (amp == std::string_view::npos)
        break;
      rest.remove_prefix(amp + 1);
    }
  }
  req.remote = "internal";
  auto me = caf::actor_cast<jobs_actor>(self);
  api::responder done = [me, key, index](api::http_response r) {
    caf::anon_send(me, job_item_atom::value, key, static_cast<uint64_t>(index),
                   static_cast<uint32_t>(r.status), std::move(r.body));
  };
  self->send(self->state.gateway, internal_atom::value,
             http_call{std::move(req), std::move(done), {}, priority_of(key)});
}

/// Starts a run: the first max_items_in_flight items are asked, each answer
/// asks the next (the scheduler paces the upstream calls).
void launch(jobs_ptr self, const std::string& key, std::vector<job_item> items) {
  auto& st = self->state;
  running_job run;
  run.items = std::move(items);
  run.started_ns = now_ns();
  auto n = run.items.size();
  st.running[key] = std::move(run);
  if (n == 0 || !st.gateway) {
    // Nothing to do (empty watchlist) or no gateway yet: finish at once.
    self->send(self, job_item_atom::value, key, uint64_t{0}, uint32_t{0}, std::string{});
    return;
  }
  auto& run_ref = st.running[key];
  while (run_ref.asked < n && run_ref.asked < max_items_in_flight) {
    call(self, key, run_ref.asked, run_ref.items[run_ref.asked].target);
    ++run_ref.asked;
  }
}

void start_job(jobs_ptr self, const std::string& name) {
  auto& st = self->state;
  if (!st.board.start(name))
    return;
  st.log->debug("job {} started", name);
  launch(self, "job:" + name, items_of(st, name));
}

/// Counts the providers the health route reports as failing.
std::string probe_summary(const std::string& body, size_t& failing) {
  failing = 0;
  size_t pos = 0;
  while ((pos = body.find("\"status\":\"failing\"", pos)) != std::string::npos) {
    ++failing;
    ++pos;
  }
  return failing == 0 ? "every provider healthy"
                      : std::to_string(failing) + " provider(s) failing";
}

void finish_scheduled(jobs_ptr self, const std::string& name, running_job& run) {
  auto& st = self->state;
  auto now = now_ns();
  job_run r;
  r.started_ns = run.started_ns;
  r.finished_ns = now;
  r.items = run.items.size();
  r.failed = run.failed;
  r.ok = run.failed == 0;
  if (run.items.empty())
    r.message = st.gateway ? "nothing to do (empty watchlist)" : "gateway not ready";
  else
    r.message = std::to_string(r.items - r.failed) + " of " + std::to_string(r.items) + " ok";
  for (auto& f : run.failures)
    r.message += "; " + f;
  auto level = r.ok ? spdlog::level::info : spdlog::level::warn;
  st.log->log(level, "job {} finished in {} ms: {}", name, (now - run.started_ns) / 1'000'000,
              r.message);
  st.board.finish(name, std::move(r), now);
}

void on_item(jobs_ptr self, const std::string& key, size_t index, uint32_t status,
             std::string body) {
  auto& st = self->state;
  auto it = st.running.find(key);
  if (it == st.running.end())
    return;
  auto& run = it->second;
  bool empty_run = run.items.empty();
  if (!empty_run) {
    if (index >= run.items.size())
      return;
    run.answered += 1;
    bool ok = status >= 200 && status < 300;
    if (key == "job:health-probe" && ok) {
      size_t failing = 0;
      auto summary = probe_summary(body, failing);
      if (failing > 0) {
        ok = false;
        run.failures.push_back(summary);
      }
    }
    if (!ok) {
      run.failed += 1;
      if (run.failures.size() < 3 && key != "job:health-probe")
        run.failures.push_back(run.items[index].label + ": HTTP " + std::to_string(status));
    }
    if (key.rfind("async:", 0) == 0) {
      std::string result = "{\"symbol\":";
      api::append_json_string(result, run.items[index].label);
      result += ",\"status\":" + std::to_string(status) + ",\"body\":";
      result += body.empty() || (body.front() != '{' && body.front() != '[') ? "null" : body;
      result += '}';
      st.async->record(key.substr(6), index, ok, std::move(result), now_ns());
    }
    if (run.asked < run.items.size()) {
      call(self, key, run.asked, run.items[run.asked].target);
      ++run.asked;
    }
    if (run.answered < run.items.size())
      return;
  }
  auto done = std::move(run);
  st.running.erase(it);
  if (key.rfind("job:", 0) == 0)
    finish_scheduled(self, key.substr(4), done);
}

void schedule_jobs(jobs_ptr self) {
  auto& st = self->state;
  auto now = now_ns();
  st.board.put("refresh-crypto", st.cfg.refresh_crypto, now);
  st.board.put("refresh-stocks", st.cfg.refresh_stocks, now);
  st.board.put("health-probe", st.cfg.health_probe, now);
  st.board.put("warm", job_schedule{}, now, st.cfg.warm_at_start);
  st.board.put("backfill", job_schedule{}, now, st.cfg.backfill_at_start && st.storage);
}

jobs_actor::behavior_type jobs(jobs_ptr self, topology topo) {
  auto& st = self->state;
  st.cfg = topo.jobs;
  st.storage = topo.storage.enabled;
  st.async.emplace(st.cfg.async_capacity, st.cfg.async_result_bytes);
  if (st.cfg.enabled)
    schedule_jobs(self);
  return {
    [=](internal_atom, internal_calls_actor gateway) {
      auto& st = self->state;
      bool first = !st.gateway;
      st.gateway = std::move(gateway);
      if (first)
        self->send(self, tick_atom::value);
    },
    [=](tick_atom) {
      auto& st = self->state;
      for (auto& name : st.board.due(now_ns()))
        start_job(self, name);
      self->delayed_send(self, tick_every, tick_atom::value);
    },
    [=](job_item_atom, const std::string& key, uint64_t index, uint32_t status,
        std::string& body) { on_item(self, key, index, status, std::move(body)); },
    [=](reload_atom, jobs_settings& cfg) {
      // New schedules and watchlists; history and running jobs are kept.
      auto& st = self->state;
      st.cfg = std::move(cfg);
      auto now = now_ns();
      for (auto& [name, s] : {std::pair{"refresh-crypto", st.cfg.refresh_crypto},
                              std::pair{"refresh-stocks", st.cfg.refresh_stocks},
                              std::pair{"health-probe", st.cfg.health_probe}})
        st.board.put(name, st.cfg.enabled ? s : job_schedule{}, now);
      st.log->info("jobs reloaded: {} crypto and {} stock symbols on the watchlist",
                   st.cfg.crypto.size(), st.cfg.stocks.size());
    },
    [=](jobs_atom) { return api::jobs_body(self->state.board.all()); },
    [=](run_atom, const std::string& name) -> int32_t {
      auto& st = self->state;
      auto* j = st.board.find(name);
      if (j == nullptr)
        return static_cast<int32_t>(run_verdict::unknown);
      if (j->running)
        return static_cast<int32_t>(run_verdict::running);
      start_job(self, name);
      return static_cast<int32_t>(run_verdict::started);
    },
    [=](async_atom, std::vector<std::string>& targets,
        std::vector<std::string>& labels) -> std::string {
      auto& st = self->state;
      auto id = st.async->submit(labels, now_ns());
      if (!id)
        return {};
      std::vector<job_item> items;
      for (size_t i = 0; i < targets.size() && i < labels.size(); ++i)
        items.push_back({std::move(targets[i]), std::move(labels[i])});
      if (!items.empty())
        launch(self, "async:" + *id, std::move(items));
      return *id;
    },
    [=](job_atom, const std::string& id) -> std::string {
      auto* j = self->state.async->find(id);
      return j ? api::async_job_body(*j) : std::string{};
    },
  };
}

} // namespace

jobs_actor spawn_jobs(caf::actor_system& sys, const topology& topo) {
  return sys.spawn(jobs, topo);
}

} // namespace tickflow
