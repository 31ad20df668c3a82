#pragma once

// A loopback stand-in for a Binance spot endpoint under load, for the chaos
// test: one websocketpp server on 127.0.0.1 that is both the combined stream
// (<url>/stream: SUBSCRIBE answered, then aggTrade frames of the subscribed
// symbols) and the REST API the stream actor backfills from
// (GET /api/v3/aggTrades?symbol=&startTime=&endTime=&limit=, as Binance
// answers it: the first `limit` trades with time in [start, end]).
//
// The market runs on its own thread at a fixed rate across the symbols,
// round robin, whether or not a client is connected (a live market does not
// wait): trade ids are 1, 2, 3, ... per symbol, times are wall-clock ms and
// never go back. Every trade is kept, so the test knows exactly what exists
// and REST can serve any past range. drop() cuts every connection without a
// close frame, as a network failure would; what was queued on it is lost
// and only a backfill can recover it.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

namespace tickflow::test {

/// One trade of the simulated market (its id is its index + 1).
struct market_trade {
  int64_t time_ms = 0;
  int64_t price_ticks = 0; ///< price in 0.01
  int32_t qty_lots = 0;    ///< size in 0.001
  bool buyer_maker = false;
};

/// What the exchange did, for the report.
struct exchange_counters {
  uint64_t generated = 0;      ///< trades made by the market
  uint64_t queued = 0;         ///< trades queued as frames on a subscribed connection
  uint64_t connections = 0;    ///< WebSocket connections opened
  uint64_t drops = 0;          ///< connections cut by drop()
  uint64_t rest_requests = 0;  ///< aggTrades requests answered
  uint64_t rest_trades = 0;    ///< trades in those answers
  double market_seconds = 0;   ///< how long the market ran
};

/// Digits of a fixed-point value: 12345 with 2 places -> "123.45".
inline std::string fixed_text(int64_t v, int places) {
  std::string digits = std::to_string(v);
  while (digits.size() <= static_cast<size_t>(places))
    digits.insert(digits.begin(), '0');
  return digits.substr(0, digits.size() - places) + "."
         + digits.substr(digits.size() - places);
}

class chaos_exchange {
 public:
  using server_type = websocketpp::server<websocketpp::config::asio>;

  /// `symbols` are Binance symbols ("CX12A0USDT"); the server listens at
  /// once, the market starts with start_market().
  explicit chaos_exchange(std::vector<std::string> symbols, uint64_t seed = 7) {
    for (auto& s : symbols) {
      book b;
      b.symbol = s;
      for (char c : s)
        b.lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
      b.price_ticks = 10'000; // 100.00
      books_.push_back(std::move(b));
    }
    rng_.seed(seed);
    endpoint_.clear_access_channels(websocketpp::log::alevel::all);
    endpoint_.clear_error_channels(websocketpp::log::elevel::all);
    websocketpp::lib::error_code ec;
    endpoint_.init_asio(&ioc_, ec);
    endpoint_.set_reuse_addr(true);
    endpoint_.set_listen_backlog(256);
    endpoint_.set_open_handler([this](websocketpp::connection_hdl h) {
      std::lock_guard<std::mutex> guard{mtx_};
      conns_[h] = conn_info{};
      live_ = h;
      counters_.connections += 1;
    });
    auto gone = [this](websocketpp::connection_hdl h) {
      std::lock_guard<std::mutex> guard{mtx_};
      conns_.erase(h);
    };
    endpoint_.set_close_handler(gone);
    endpoint_.set_fail_handler(gone);
    endpoint_.set_message_handler(
      [this](websocketpp::connection_hdl h, server_type::message_ptr msg) {
        on_message(h, msg->get_payload());
      });
    endpoint_.set_http_handler([this](websocketpp::connection_hdl h) { on_http(h); });
    auto ip = boost::asio::ip::make_address("127.0.0.1");
    endpoint_.listen(boost::asio::ip::tcp::endpoint{ip, 0}, ec);
    EXPECT_FALSE(ec) << "chaos exchange cannot listen: " << ec.message();
    endpoint_.start_accept(ec);
    websocketpp::lib::asio::error_code aec;
    auto local = endpoint_.get_local_endpoint(aec);
    port_ = aec ? 0 : local.port();
    io_thread_ = std::thread{[this] { ioc_.run(); }};
  }

  ~chaos_exchange() {
    stop_market();
    boost::asio::post(ioc_, [this] {
      websocketpp::lib::error_code ec;
      endpoint_.stop_listening(ec);
      std::lock_guard<std::mutex> guard{mtx_};
      for (auto& [h, info] : conns_)
        if (auto con = con_of(h))
          con->terminate(ec);
    });
    for (int i = 0; i < 200 && !ioc_.stopped(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    ioc_.stop();
    io_thread_.join();
  }

  chaos_exchange(const chaos_exchange&) = delete;
  chaos_exchange& operator=(const chaos_exchange&) = delete;

  uint16_t port() const { return port_; }
  std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
  std::string rest_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  /// Symbols subscribed on the newest connection.
  size_t subscribed_now() const {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = conns_.find(live_);
    return i == conns_.end() ? 0 : i->second.subscribed.size();
  }

  /// Starts (or resumes) the market: `per_second` trades a second over all
  /// symbols.
  void start_market(double per_second) {
    if (running_.exchange(true))
      return;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      seconds_before_ = counters_.market_seconds;
    }
    market_ = std::thread{[this, per_second] { run_market(per_second); }};
  }

  /// Stops (pauses) the market; the frames already queued still go out.
  void stop_market() {
    if (!running_.exchange(false))
      return;
    market_.join();
  }

  /// Cuts every open connection without a close frame.
  void drop() {
    boost::asio::post(ioc_, [this] {
      std::vector<websocketpp::connection_hdl> hs;
      {
        std::lock_guard<std::mutex> guard{mtx_};
        for (auto& [h, info] : conns_)
          hs.push_back(h);
        conns_.clear();
        counters_.drops += hs.size();
      }
      for (auto& h : hs)
        if (auto con = con_of(h)) {
          websocketpp::lib::error_code ec;
          con->terminate(ec);
        }
    });
  }

  exchange_counters counters() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return counters_;
  }

  /// Trades made per symbol so far (ids 1..n exist).
  std::vector<uint64_t> last_ids() const {
    std::lock_guard<std::mutex> guard{mtx_};
    std::vector<uint64_t> out;
    for (auto& b : books_)
      out.push_back(b.trades.size());
    return out;
  }

  /// Sums over every trade of symbol i: price in ticks, size in lots.
  std::pair<int64_t, int64_t> sums(size_t i) const {
    std::lock_guard<std::mutex> guard{mtx_};
    int64_t px = 0;
    int64_t qty = 0;
    for (auto& t : books_[i].trades) {
      px += t.price_ticks;
      qty += t.qty_lots;
    }
    return {px, qty};
  }

 private:
  struct book {
    std::string symbol; ///< "CX12A0USDT"
    std::string lower;  ///< "cx12a0usdt"
    std::vector<market_trade> trades;
    int64_t price_ticks = 0;
  };
  struct conn_info {
    std::set<size_t> subscribed; ///< indexes into books_
  };
  using hdl_map = std::map<websocketpp::connection_hdl, conn_info,
                           std::owner_less<websocketpp::connection_hdl>>;

  server_type::connection_ptr con_of(const websocketpp::connection_hdl& h) {
    websocketpp::lib::error_code ec;
    auto con = endpoint_.get_con_from_hdl(h, ec);
    return ec ? nullptr : con;
  }

  static int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
  }

  /// {"method":"SUBSCRIBE","params":["cx12a0usdt@aggTrade",...],"id":1}
  void on_message(websocketpp::connection_hdl h, const std::string& text) {
    rapidjson::Document d;
    d.Parse(text.c_str(), text.size());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("id") || !d["id"].IsInt64())
      return;
    bool subscribe = d.HasMember("method") && d["method"].IsString()
                     && std::string{d["method"].GetString()} == "SUBSCRIBE";
    if (subscribe && d.HasMember("params") && d["params"].IsArray()) {
      std::lock_guard<std::mutex> guard{mtx_};
      auto c = conns_.find(h);
      if (c != conns_.end())
        for (auto& p : d["params"].GetArray()) {
          if (!p.IsString())
            continue;
          std::string name = p.GetString();
          auto at = name.find('@');
          auto sym = name.substr(0, at);
          for (size_t i = 0; i < books_.size(); ++i)
            if (books_[i].lower == sym)
              c->second.subscribed.insert(i);
        }
    }
    websocketpp::lib::error_code ec;
    endpoint_.send(h, R"({"result":null,"id":)" + std::to_string(d["id"].GetInt64()) + "}",
                   websocketpp::frame::opcode::text, ec);
  }

  static std::string query_value(const std::string& query, const std::string& key) {
    size_t pos = 0;
    while (pos < query.size()) {
      auto end = query.find('&', pos);
      if (end == std::string::npos)
        end = query.size();
      auto eq = query.find('=', pos);
      if (eq != std::string::npos && eq < end && query.compare(pos, eq - pos, key) == 0)
        return query.substr(eq + 1, end - eq - 1);
      pos = end + 1;
    }
    return {};
  }

  /// GET /api/v3/aggTrades: the first `limit` trades with time in
  /// [startTime, endTime], oldest first.
  void on_http(websocketpp::connection_hdl h) {
    auto con = con_of(h);
    if (!con)
      return;
    auto resource = con->get_resource();
    auto q = resource.find('?');
    auto path = resource.substr(0, q);
    auto query = q == std::string::npos ? std::string{} : resource.substr(q + 1);
    con->append_header("Content-Type", "application/json");
    if (path != "/api/v3/aggTrades") {
      con->set_status(websocketpp::http::status_code::not_found);
      con->set_body(R"({"code":-1,"msg":"no such endpoint"})");
      return;
    }
    auto symbol = query_value(query, "symbol");
    auto start = std::atoll(query_value(query, "startTime").c_str());
    auto end_text = query_value(query, "endTime");
    int64_t end = end_text.empty() ? INT64_MAX : std::atoll(end_text.c_str());
    auto limit_text = query_value(query, "limit");
    size_t limit = limit_text.empty() ? 500 : std::strtoull(limit_text.c_str(), nullptr, 10);
    limit = std::min<size_t>(limit, 1000);
    std::string body = "[";
    size_t served = 0;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      const book* b = nullptr;
      for (auto& x : books_)
        if (x.symbol == symbol)
          b = &x;
      if (b == nullptr) {
        con->set_status(websocketpp::http::status_code::bad_request);
        con->set_body(R"({"code":-1121,"msg":"Invalid symbol."})");
        return;
      }
      auto first = std::lower_bound(
        b->trades.begin(), b->trades.end(), start,
        [](const market_trade& t, int64_t ms) { return t.time_ms < ms; });
      for (auto i = first; i != b->trades.end() && served < limit; ++i) {
        if (i->time_ms > end)
          break;
        auto id = static_cast<int64_t>(i - b->trades.begin()) + 1;
        if (served > 0)
          body += ',';
        body += R"({"a":)" + std::to_string(id) + R"(,"p":")"
                + fixed_text(i->price_ticks, 2) + R"(","q":")"
                + fixed_text(i->qty_lots, 3) + R"(","f":)" + std::to_string(id)
                + R"(,"l":)" + std::to_string(id) + R"(,"T":)"
                + std::to_string(i->time_ms) + R"(,"m":)"
                + (i->buyer_maker ? "true" : "false") + R"(,"M":true})";
        ++served;
      }
      counters_.rest_requests += 1;
      counters_.rest_trades += served;
    }
    body += "]";
    con->set_status(websocketpp::http::status_code::ok);
    con->set_body(body);
  }

  /// The aggTrade frame of trade `id` of book `b`.
  static std::string frame_of(const book& b, int64_t id, const market_trade& t) {
    auto ms = std::to_string(t.time_ms);
    return R"({"stream":")" + b.lower + R"(@aggTrade","data":{"e":"aggTrade","E":)" + ms
           + R"(,"s":")" + b.symbol + R"(","a":)" + std::to_string(id) + R"(,"p":")"
           + fixed_text(t.price_ticks, 2) + R"(","q":")" + fixed_text(t.qty_lots, 3)
           + R"(","f":)" + std::to_string(id) + R"(,"l":)" + std::to_string(id)
           + R"(,"T":)" + ms + R"(,"m":)" + (t.buyer_maker ? "true" : "false")
           + R"(,"M":true}})";
  }

  void run_market(double per_second) {
    using clock = std::chrono::steady_clock;
    auto t0 = clock::now();
    uint64_t made = 0;
    size_t next = 0;
    int64_t last_ms = 0;
    std::uniform_int_distribution<int> step{-1, 1};
    std::uniform_int_distribution<int> lots{1, 1000};
    std::bernoulli_distribution maker{0.5};
    while (running_) {
      std::this_thread::sleep_for(std::chrono::milliseconds{2});
      auto elapsed = std::chrono::duration<double>(clock::now() - t0).count();
      auto due = static_cast<uint64_t>(elapsed * per_second);
      if (due <= made)
        continue;
      auto n = due - made;
      made = due;
      std::vector<std::string> frames;
      websocketpp::connection_hdl target;
      {
        std::lock_guard<std::mutex> guard{mtx_};
        last_ms = std::max(last_ms, wall_ms());
        auto live = conns_.find(live_);
        target = live_;
        for (uint64_t k = 0; k < n; ++k) {
          auto i = next++ % books_.size();
          auto& b = books_[i];
          b.price_ticks = std::max<int64_t>(100, b.price_ticks + step(rng_));
          market_trade t{last_ms, b.price_ticks, lots(rng_), maker(rng_)};
          b.trades.push_back(t);
          counters_.generated += 1;
          if (live != conns_.end() && live->second.subscribed.count(i) > 0)
            frames.push_back(frame_of(b, static_cast<int64_t>(b.trades.size()), t));
        }
        counters_.queued += frames.size();
        counters_.market_seconds = seconds_before_ + elapsed;
      }
      if (frames.empty())
        continue;
      boost::asio::post(ioc_, [this, target, frames = std::move(frames)] {
        auto con = con_of(target);
        if (!con)
          return;
        for (auto& f : frames) {
          auto ec = con->send(f, websocketpp::frame::opcode::text);
          if (ec)
            return; // cut meanwhile: the rest is lost too
        }
      });
    }
  }

  boost::asio::io_context ioc_;
  server_type endpoint_;
  uint16_t port_ = 0;
  std::thread io_thread_;
  std::thread market_;
  std::atomic<bool> running_{false};
  std::mt19937_64 rng_;

  mutable std::mutex mtx_;
  std::vector<book> books_;
  hdl_map conns_;
  websocketpp::connection_hdl live_;
  exchange_counters counters_;
  double seconds_before_ = 0; ///< market time of earlier runs
};

} // namespace tickflow::test
