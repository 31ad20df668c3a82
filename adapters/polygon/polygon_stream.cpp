#include "adapters/polygon/polygon_stream.hpp"

#include <string>
#include <utility>

#include "adapters/common/exact_json.hpp"
#include "adapters/polygon/polygon_adapter.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/polygon/polygon_request.hpp"
#include "adapters/streams/stream_json.hpp"

namespace tickflow {

namespace {

using stream_detail::at;
using stream_detail::json_string;
using stream_detail::printable;

// What an "ev" names.
enum class event_type { status, trade, quote, bar_1s, bar_1m, unknown };

event_type type_of(std::string_view ev) noexcept {
  if (ev == "status")
    return event_type::status;
  if (ev == "T" || ev == "XT")
    return event_type::trade;
  if (ev == "Q" || ev == "XQ")
    return event_type::quote;
  if (ev == "A" || ev == "XAS")
    return event_type::bar_1s;
  if (ev == "AM" || ev == "XA")
    return event_type::bar_1m;
  return event_type::unknown;
}

class polygon_stream final : public stream_protocol {
 public:
  polygon_stream(const adapter_options& opts, polygon_market market)
      : symbols_(make_polygon_adapter(opts)), market_(market) {
    // nop
  }

  provider id() const noexcept override { return providers::polygon; }

  std::string path(const credentials&, std::vector<std::string>&) const override {
    return market_ == polygon_market::stocks ? "/stocks" : "/crypto";
  }

  // The key travels in this first frame: it must never be logged.
  std::vector<std::string> on_open(const credentials& cred) const override {
    return {R"({"action":"auth","params":)" + json_string(cred.api_key) + "}"};
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

  // Polygon allows one connection per key by default and documents no cap
  // on the subscriptions of one connection.
  size_t max_streams_per_connection() const noexcept override {
    return 10'000;
  }

  // Not documented; a modest pace for subscription bursts.
  double max_outgoing_per_second() const noexcept override { return 10; }

  result<void> parse(std::string_view frame, int64_t recv_ns,
                     stream_frame& out) const override {
    if (auto ok = stream_detail::check_frame(frame); !ok)
      return ok;
    json::exact_document doc;
    if (auto ok = doc.parse(frame); !ok)
      return ok.err();
    const auto& root = doc.root();
    if (root.IsObject())
      return event(doc, root, "", recv_ns, out);
    if (!root.IsArray())
      return error{errc::malformed, "frame: expected an array of events"};
    // Several events per frame: a bad one does not cost the others.
    std::optional<error> first;
    for (rapidjson::SizeType i = 0; i < root.Size(); ++i) {
      auto ok = event(doc, root[i], "[" + std::to_string(i) + "].", recv_ns, out);
      if (!ok && !first)
        first = ok.err();
    }
    if (first)
      return *first;
    return {};
  }

  std::optional<fetch_request>
  backfill(const stream_subscription& sub, int64_t from_ns,
           int64_t to_ns) const override {
    fetch_request req;
    req.instrument = sub.instrument;
    req.start_ns = from_ns;
    req.end_ns = to_ns;
    switch (sub.kind) {
      case stream_kind::trades:
        req.kind = fetch_kind::trades;
        return req;
      case stream_kind::bars:
        // The REST adapter serves no 1s aggregates.
        if (sub.span != interval::m1)
          return std::nullopt;
        req.kind = fetch_kind::bars;
        req.span = sub.span;
        return req;
      case stream_kind::agg_trades:
      case stream_kind::quotes:
        return std::nullopt;
    }
    return std::nullopt;
  }

 private:
  bool crypto() const noexcept { return market_ == polygon_market::crypto; }

  // "T.AAPL" / "XT.BTC-USD" for one subscription.
  result<std::string> channel(const stream_subscription& s) const {
    auto ticker = symbols_->to_provider_symbol(s.instrument);
    if (ticker.empty())
      return error{errc::unknown_symbol, s.instrument};
    bool is_crypto = ticker.rfind("X:", 0) == 0;
    if (ticker.rfind("C:", 0) == 0 || ticker.rfind("I:", 0) == 0
        || is_crypto != crypto())
      return error{errc::invalid_argument,
                   s.instrument + " is not on the "
                     + (crypto() ? "crypto" : "stocks") + " feed"};
    std::string name = ticker;
    if (is_crypto) {
      // The stream names pairs "BTC-USD" where REST says "X:BTCUSD".
      name = polygon::from_polygon_ticker(ticker);
      if (name.empty())
        return error{errc::unknown_symbol, s.instrument};
    }
    std::string prefix;
    switch (s.kind) {
      case stream_kind::trades:
        prefix = "T";
        break;
      case stream_kind::quotes:
        prefix = "Q";
        break;
      case stream_kind::bars:
        if (s.span == interval::s1)
          prefix = crypto() ? "AS" : "A";
        else if (s.span == interval::m1)
          prefix = crypto() ? "A" : "AM";
        else
          return error{errc::invalid_argument,
                       "polygon: no " + std::string{to_string(s.span)}
                         + " bars on the stream"};
        break;
      case stream_kind::agg_trades:
        return error{errc::invalid_argument, "polygon: no agg_trades stream"};
    }
    return (crypto() ? "X" : "") + prefix + "." + name;
  }

  result<std::vector<std::string>>
  requests(const char* action, const std::vector<stream_subscription>& subs) const {
    auto unique = stream_detail::unique_names(subs, [this](const stream_subscription& s) { return channel(s); });
    if (!unique)
      return unique.err();
    auto& names = *unique;
    std::vector<std::string> out;
    for (size_t i = 0; i < names.size(); i += polygon::max_params_per_request) {
      std::string params;
      for (size_t j = i; j < names.size() && j < i + polygon::max_params_per_request; ++j) {
        if (!params.empty())
          params.push_back(',');
        params.append(names[j]);
      }
      out.push_back(std::string{R"({"action":)"} + json_string(action)
                    + R"(,"params":)" + json_string(params) + "}");
    }
    return out;
  }

  // The instrument of an event's symbol field ("sym" for stocks, "pair"
  // for crypto).
  result<std::pair<std::string, std::string>>
  instrument_of(json::exact_reader& in, bool pair) const {
    auto sym = in.string(pair ? "pair" : "sym");
    if (!in)
      return in.err();
    std::string ticker{sym};
    if (pair) {
      ticker = "X:";
      for (char c : sym)
        if (c != '-')
          ticker.push_back(c);
    }
    auto instrument = symbols_->to_canonical(ticker);
    if (instrument.empty())
      return error{errc::unknown_symbol, printable(sym)};
    return std::make_pair(std::move(instrument), std::string{sym});
  }

  static int64_t read_ms(json::exact_reader& in, const char* name) {
    auto ms = in.integer(name);
    int64_t ns = 0;
    if (in && !stream_detail::ms_to_ns(ms, ns))
      in.fail(errc::out_of_range, name, "timestamp out of range");
    return ns;
  }

  // The trade id: a string on stocks ("i":"12345"), an integer on crypto.
  static std::string read_id(const json::exact_document& doc,
                             const rapidjson::Value& v, json::exact_reader& in) {
    auto m = v.FindMember("i");
    if (m != v.MemberEnd()) {
      if (auto text = doc.number_text(m->value))
        return std::string{*text};
    }
    return std::string{in.string("i")};
  }

  result<void> event(const json::exact_document& doc, const rapidjson::Value& v,
                     const std::string& where, int64_t recv_ns,
                     stream_frame& out) const {
    json::exact_reader in{doc, v, where};
    auto ev = in.string("ev");
    if (!in)
      return in.err();
    bool pair = ev.size() > 1 && ev[0] == 'X';
    switch (type_of(ev)) {
      case event_type::status: {
        // [{"ev":"status","status":"auth_success","message":"authenticated"}]
        auto status = in.string("status");
        auto message = in.optional_string("message");
        if (!in)
          return in.err();
        out.heartbeat = true;
        if (!out.control.empty())
          out.control.append("; ");
        out.control.append(printable(status, 64));
        if (!message.empty())
          out.control.append(": ").append(printable(message, 200));
        if (status == "auth_failed")
          out.auth_failed = true;
        return {};
      }
      case event_type::trade: {
        // {"ev":"T","sym":"MSFT","x":4,"i":"12345","z":3,"p":114.125,
        //  "s":100,"c":[0,12],"t":1536036818784,"q":3681328}  (t SIP ms)
        auto inst = instrument_of(in, pair);
        if (!inst)
          return inst.err();
        trade x;
        x.instrument = std::move(inst->first);
        x.provider_symbol = std::move(inst->second);
        x.source = providers::polygon;
        x.price = in.number("p");
        x.size = in.number("s");
        x.trade_id = read_id(doc, v, in);
        x.ts_event_ns = read_ms(in, "t");
        x.ts_recv_ns = recv_ns;
        if (!in)
          return in.err();
        out.events.trades.push_back(std::move(x));
        return {};
      }
      case event_type::quote: {
        // {"ev":"Q","sym":"MSFT","bx":4,"bp":114.125,"bs":100,"ax":7,
        //  "ap":114.128,"as":160,"c":0,"t":1536036818784,...}
        auto inst = instrument_of(in, pair);
        if (!inst)
          return inst.err();
        quote x;
        x.instrument = std::move(inst->first);
        x.provider_symbol = std::move(inst->second);
        x.source = providers::polygon;
        x.bid_price = in.number("bp");
        x.bid_size = in.number("bs");
        x.ask_price = in.number("ap");
        x.ask_size = in.number("as");
        x.ts_event_ns = read_ms(in, "t");
        x.ts_recv_ns = recv_ns;
        if (!in)
          return in.err();
        out.events.quotes.push_back(std::move(x));
        return {};
      }
      case event_type::bar_1s:
      case event_type::bar_1m: {
        // {"ev":"AM","sym":"GTE","v":4110,"av":9470157,"op":0.4372,
        //  "vw":0.4488,"o":0.4488,"c":0.4486,"h":0.4489,"l":0.4486,
        //  "a":0.4352,"z":685,"s":1610144640000,"e":1610144700000}
        //  (s/e window start/end ms; sent once the window ended)
        auto inst = instrument_of(in, pair);
        if (!inst)
          return inst.err();
        bar x;
        x.instrument = std::move(inst->first);
        x.provider_symbol = std::move(inst->second);
        x.source = providers::polygon;
        x.span = type_of(ev) == event_type::bar_1s ? interval::s1 : interval::m1;
        x.open = in.number("o");
        x.high = in.number("h");
        x.low = in.number("l");
        x.close = in.number("c");
        x.volume = in.number("v");
        x.open_time_ns = read_ms(in, "s");
        x.closed = true;
        x.ts_recv_ns = recv_ns;
        if (!in)
          return in.err();
        out.events.bars.push_back(std::move(x));
        return {};
      }
      case event_type::unknown:
        break;
    }
    return error{errc::malformed,
                 where + "ev: unexpected event type \"" + printable(ev) + "\""};
  }

  std::unique_ptr<rest_adapter> symbols_;
  polygon_market market_;
};

} // namespace

std::unique_ptr<stream_protocol>
make_polygon_stream(const adapter_options& opts, polygon_market market) {
  return std::make_unique<polygon_stream>(opts, market);
}

} // namespace tickflow
