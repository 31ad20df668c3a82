#include "adapters/finnhub/finnhub_stream.hpp"

#include <cstdio>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "adapters/common/exact_json.hpp"
#include "adapters/finnhub/finnhub_adapter.hpp"
#include "adapters/finnhub/finnhub_provider.hpp"
#include "adapters/streams/stream_json.hpp"

namespace tickflow {

namespace finnhub {

std::string derived_trade_id(std::string_view symbol, int64_t t_ms, decimal p,
                             decimal v, size_t repeat) {
  std::string key{symbol};
  key.push_back('|');
  key.append(std::to_string(t_ms));
  key.push_back('|');
  p.append_to(key);
  key.push_back('|');
  v.append_to(key);
  // FNV-1a 64: short, stable across runs and platforms.
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char hex[18];
  std::snprintf(hex, sizeof hex, "f%016llx", static_cast<unsigned long long>(h));
  std::string id{hex};
  if (repeat > 0)
    id.append("#").append(std::to_string(repeat));
  return id;
}

} // namespace finnhub

namespace {

using stream_detail::json_string;
using stream_detail::printable;

class finnhub_stream final : public stream_protocol {
 public:
  explicit finnhub_stream(const adapter_options& opts)
      : symbols_(make_finnhub_adapter(opts)) {
    // nop
  }

  provider id() const noexcept override { return providers::finnhub; }

  std::string path(const credentials& cred,
                   std::vector<std::string>& secrets) const override {
    auto token = url_encode(cred.api_key);
    if (!cred.api_key.empty()) {
      secrets.push_back(cred.api_key);
      if (token != cred.api_key)
        secrets.push_back(token);
    }
    return "/?token=" + token;
  }

  std::vector<std::string> on_open(const credentials&) const override {
    return {};
  }

  result<std::vector<std::string>>
  subscribe(const std::vector<stream_subscription>& subs,
            uint64_t&) const override {
    return requests("subscribe", subs);
  }

  result<std::vector<std::string>>
  unsubscribe(const std::vector<stream_subscription>& subs,
              uint64_t&) const override {
    return requests("unsubscribe", subs);
  }

  size_t max_streams_per_connection() const noexcept override {
    return finnhub::max_stream_symbols;
  }

  // Not documented; a modest pace for the one-message-per-symbol burst.
  double max_outgoing_per_second() const noexcept override { return 10; }

  result<void> parse(std::string_view frame, int64_t recv_ns,
                     stream_frame& out) const override {
    if (auto ok = stream_detail::check_frame(frame); !ok)
      return ok;
    json::exact_document doc;
    if (auto ok = doc.parse(frame); !ok)
      return ok.err();
    json::exact_reader top{doc, doc.root()};
    auto type = top.string("type");
    if (!top)
      return top.err();
    if (type == "ping") {
      // {"type":"ping"}
      out.heartbeat = true;
      return {};
    }
    if (type == "error") {
      // {"type":"error","msg":"Invalid symbol"}
      out.heartbeat = true;
      out.control = "error: " + printable(top.optional_string("msg"), 200);
      return {};
    }
    if (type != "trade")
      return error{errc::malformed,
                   "type: unexpected message type \"" + printable(type) + "\""};
    return trades(doc, top, recv_ns, out);
  }

  std::optional<fetch_request> backfill(const stream_subscription&, int64_t,
                                        int64_t) const override {
    // Finnhub has no trade history endpoint: the gap can only be reported.
    return std::nullopt;
  }

 private:
  result<std::vector<std::string>>
  requests(const char* type, const std::vector<stream_subscription>& subs) const {
    auto symbols = stream_detail::unique_names(subs, [this](const stream_subscription& s) -> result<std::string> {
      if (s.kind != stream_kind::trades)
        return error{errc::invalid_argument,
                     "finnhub: only trades stream, not " + std::string{to_string(s.kind)}};
      auto symbol = symbols_->to_provider_symbol(s.instrument);
      if (symbol.empty())
        return error{errc::unknown_symbol, s.instrument};
      return symbol;
    });
    if (!symbols)
      return symbols.err();
    std::vector<std::string> out;
    out.reserve(symbols->size());
    for (const auto& s : *symbols)
      out.push_back(std::string{R"({"type":)"} + json_string(type)
                    + R"(,"symbol":)" + json_string(s) + "}");
    return out;
  }

  // {"type":"trade","data":[{"p":7296.89,"s":"BINANCE:BTCUSDT",
  //  "t":1575526691134,"v":0.011467,"c":null}]}   (t Unix ms)
  result<void> trades(const json::exact_document& doc, json::exact_reader& top,
                      int64_t recv_ns, stream_frame& out) const {
    auto data = top.array("data");
    if (!top)
      return top.err();
    // Identical trades within one frame are told apart by their rank.
    std::map<std::tuple<std::string, int64_t, decimal, decimal>, size_t> seen;
    std::optional<error> first;
    for (rapidjson::SizeType i = 0; i < data->Size(); ++i) {
      json::exact_reader in{doc, (*data)[i], json::element_name("data", i) + "."};
      auto symbol = in.string("s");
      auto p = in.number("p");
      auto v = in.number("v");
      auto t_ms = in.integer("t");
      int64_t ts = 0;
      if (in && !stream_detail::ms_to_ns(t_ms, ts))
        in.fail(errc::out_of_range, "t", "timestamp out of range");
      if (!in) {
        if (!first)
          first = in.err();
        continue;
      }
      auto instrument = symbols_->to_canonical(symbol);
      if (instrument.empty()) {
        if (!first)
          first = error{errc::unknown_symbol, printable(symbol)};
        continue;
      }
      auto& n = seen[std::make_tuple(std::string{symbol}, t_ms, p, v)];
      trade x;
      x.instrument = std::move(instrument);
      x.provider_symbol = std::string{symbol};
      x.source = providers::finnhub;
      x.price = p;
      x.size = v;
      x.trade_id = finnhub::derived_trade_id(symbol, t_ms, p, v, n++);
      x.ts_event_ns = ts;
      x.ts_recv_ns = recv_ns;
      out.events.trades.push_back(std::move(x));
    }
    if (first)
      return *first;
    return {};
  }

  std::unique_ptr<rest_adapter> symbols_;
};

} // namespace

std::unique_ptr<stream_protocol> make_finnhub_stream(const adapter_options& opts) {
  return std::make_unique<finnhub_stream>(opts);
}

} // namespace tickflow
