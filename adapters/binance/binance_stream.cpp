#include "adapters/binance/binance_stream.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <utility>

#include "adapters/binance/binance_adapter.hpp"
#include "adapters/binance/binance_parse.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/common/ascii.hpp"
#include "adapters/common/json_reader.hpp"
#include "adapters/streams/stream_json.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {

namespace {

using stream_detail::at;
using stream_detail::printable;

class binance_stream final : public stream_protocol {
 public:
  explicit binance_stream(const adapter_options& opts)
      : symbols_(make_binance_adapter(opts)) {
    // nop
  }

  provider id() const noexcept override { return providers::binance; }

  std::string path(const credentials&, std::vector<std::string>&) const override {
    return "/stream";
  }

  std::vector<std::string> on_open(const credentials&) const override {
    return {};
  }

  result<std::vector<std::string>>
  subscribe(const std::vector<stream_subscription>& subs,
            uint64_t& next_id) const override {
    return requests("SUBSCRIBE", subs, next_id);
  }

  result<std::vector<std::string>>
  unsubscribe(const std::vector<stream_subscription>& subs,
              uint64_t& next_id) const override {
    return requests("UNSUBSCRIBE", subs, next_id);
  }

  size_t max_streams_per_connection() const noexcept override {
    return binance::max_streams;
  }

  double max_outgoing_per_second() const noexcept override {
    return binance::max_messages_per_second;
  }

  result<void> parse(std::string_view frame, int64_t recv_ns,
                     stream_frame& out) const override {
    if (auto ok = stream_detail::check_frame(frame); !ok)
      return ok;
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseIterativeFlag
              | rapidjson::kParseValidateEncodingFlag>(frame.data(),
                                                      frame.size());
    if (doc.HasParseError())
      return error{errc::malformed,
                   std::string{"not JSON: "}
                     + rapidjson::GetParseError_En(doc.GetParseError())
                     + " at offset " + std::to_string(doc.GetErrorOffset())};
    if (!doc.IsObject())
      return error{errc::malformed, "frame: expected an object"};
    // Replies to our requests: {"result":null,"id":1} or
    // {"error":{"code":2,"msg":"Invalid request"},"id":1}.
    if (doc.HasMember("id") && (doc.HasMember("result") || doc.HasMember("error")))
      return reply(doc, out);
    const rapidjson::Value* data = &doc;
    std::string where;
    if (auto s = doc.FindMember("stream"); s != doc.MemberEnd()) {
      auto d = doc.FindMember("data");
      if (d == doc.MemberEnd())
        return error{errc::missing_field, "data"};
      data = &d->value;
      where = "data.";
    }
    if (!data->IsObject())
      return error{errc::malformed, where + "expected an object"};
    auto e = data->FindMember("e");
    if (e == data->MemberEnd()) {
      // Spot bookTicker payloads carry no event type.
      if (data->HasMember("u") && data->HasMember("b") && data->HasMember("a"))
        return book_ticker(*data, where, recv_ns, out);
      return error{errc::missing_field, where + "e"};
    }
    if (!e->value.IsString())
      return error{errc::malformed, where + "e: expected a string"};
    std::string_view type{e->value.GetString(), e->value.GetStringLength()};
    if (type == "trade")
      return raw_trade(*data, where, recv_ns, out);
    if (type == "aggTrade")
      return agg_trade(*data, where, recv_ns, out);
    if (type == "kline")
      return kline(*data, where, recv_ns, out);
    return error{errc::malformed,
                 where + "e: unexpected event type \""
                   + printable(type) + "\""};
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
      case stream_kind::agg_trades:
        req.kind = fetch_kind::trades;
        req.aggregated = sub.kind == stream_kind::agg_trades;
        req.limit = 1000;
        return req;
      case stream_kind::bars:
        req.kind = fetch_kind::bars;
        req.span = sub.span;
        req.limit = 1000;
        return req;
      case stream_kind::quotes:
        return std::nullopt; // a past top of book is worthless
    }
    return std::nullopt;
  }

  // /api/v3/trades serves the newest trades whatever the start time: a full
  // page cannot be continued. aggTrades and klines honour it.
  bool backfill_pages(const fetch_request& req) const noexcept override {
    return !(req.kind == fetch_kind::trades && !req.aggregated);
  }

 private:
  // "btcusdt@trade" for one subscription.
  result<std::string> stream_name(const stream_subscription& s) const {
    auto symbol = symbols_->to_provider_symbol(s.instrument);
    if (symbol.empty())
      return error{errc::unknown_symbol, s.instrument};
    auto name = ascii_lower(symbol);
    switch (s.kind) {
      case stream_kind::trades:
        return name + "@trade";
      case stream_kind::agg_trades:
        return name + "@aggTrade";
      case stream_kind::quotes:
        return name + "@bookTicker";
      case stream_kind::bars:
        return name + "@kline_" + std::string{to_string(s.span)};
    }
    return error{errc::invalid_argument, "unknown stream kind"};
  }

  result<std::vector<std::string>>
  requests(const char* method, const std::vector<stream_subscription>& subs,
           uint64_t& next_id) const {
    auto unique = stream_detail::unique_names(subs, [this](const stream_subscription& s) { return stream_name(s); });
    if (!unique)
      return unique.err();
    auto& names = *unique;
    std::vector<std::string> out;
    for (size_t i = 0; i < names.size(); i += binance::max_params_per_request) {
      rapidjson::StringBuffer buf;
      rapidjson::Writer<rapidjson::StringBuffer> w{buf};
      w.StartObject();
      w.Key("method");
      w.String(method);
      w.Key("params");
      w.StartArray();
      for (size_t j = i; j < names.size() && j < i + binance::max_params_per_request; ++j)
        w.String(names[j].data(), static_cast<rapidjson::SizeType>(names[j].size()));
      w.EndArray();
      w.Key("id");
      w.Uint64(next_id++);
      w.EndObject();
      out.emplace_back(buf.GetString(), buf.GetSize());
    }
    return out;
  }

  static result<void> reply(const rapidjson::Value& doc, stream_frame& out) {
    out.heartbeat = true;
    const auto& id = doc["id"];
    std::string id_text = id.IsUint64() ? std::to_string(id.GetUint64()) : "?";
    auto err = doc.FindMember("error");
    if (err != doc.MemberEnd() && err->value.IsObject()) {
      std::string msg = "?";
      if (auto m = err->value.FindMember("msg");
          m != err->value.MemberEnd() && m->value.IsString())
        msg = printable({m->value.GetString(), m->value.GetStringLength()}, 200);
      out.control = "request " + id_text + " failed: " + msg;
      return {};
    }
    const auto& res = doc["result"];
    if (res.IsNull()) {
      out.control = "request " + id_text + " ok";
      return {};
    }
    // LIST_SUBSCRIPTIONS and friends answer with a value.
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w{buf};
    res.Accept(w);
    out.control = "request " + id_text + " result "
                  + printable({buf.GetString(), buf.GetSize()}, 200);
    return {};
  }

  // The canonical id of the payload's "s"; unknown_symbol when unmapped.
  result<std::pair<std::string, std::string>>
  instrument_of(const rapidjson::Value& data, const std::string& where,
                const char* field = "s") const {
    json::reader in{data};
    auto symbol = in.string(field);
    if (!in)
      return at(where, in.err());
    auto instrument = symbols_->to_canonical(symbol);
    if (instrument.empty())
      return error{errc::unknown_symbol, printable(symbol)};
    return std::make_pair(std::move(instrument), std::string{symbol});
  }

  static std::optional<int64_t> ms_to_ns(int64_t ms) noexcept {
    int64_t ns = 0;
    if (!stream_detail::ms_to_ns(ms, ns))
      return std::nullopt;
    return ns;
  }

  // {"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001",
  //  "q":"100","T":1672515782136,"m":true,"M":true}   (T ms, t trade id)
  result<void> raw_trade(const rapidjson::Value& data, const std::string& where,
                         int64_t recv_ns, stream_frame& out) const {
    auto inst = instrument_of(data, where);
    if (!inst)
      return inst.err();
    json::reader in{data};
    trade x;
    x.instrument = inst->first;
    x.provider_symbol = inst->second;
    x.source = providers::binance;
    auto id = in.int64("t");
    x.price = in.decimal_from_string("p");
    x.size = in.decimal_from_string("q");
    auto ms = in.int64("T");
    x.aggressor = in.boolean("m") ? side::sell : side::buy; // buyer was maker
    if (!in)
      return at(where, in.err());
    auto ts = ms_to_ns(ms);
    if (!ts)
      return error{errc::bad_number, where + "T: out of range"};
    x.trade_id = std::to_string(id);
    x.ts_event_ns = *ts;
    x.ts_recv_ns = recv_ns;
    out.events.trades.push_back(std::move(x));
    return {};
  }

  // {"e":"aggTrade","E":1672515782136,"s":"BNBBTC","a":12345,"p":"0.001",
  //  "q":"100","f":100,"l":105,"T":1672515782136,"m":true,"M":true}
  result<void> agg_trade(const rapidjson::Value& data, const std::string& where,
                         int64_t recv_ns, stream_frame& out) const {
    auto inst = instrument_of(data, where);
    if (!inst)
      return inst.err();
    auto x = binance::parse_agg_trade(data, inst->first, inst->second, recv_ns);
    if (!x)
      return at(where, x.err());
    out.events.trades.push_back(std::move(*x));
    return {};
  }

  // {"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000",
  //  "a":"25.36520000","A":"40.66000000"}   (no time: stamped on arrival)
  result<void> book_ticker(const rapidjson::Value& data, const std::string& where,
                           int64_t recv_ns, stream_frame& out) const {
    auto inst = instrument_of(data, where);
    if (!inst)
      return inst.err();
    json::reader in{data};
    quote x;
    x.instrument = inst->first;
    x.provider_symbol = inst->second;
    x.source = providers::binance;
    x.bid_price = in.decimal_from_string("b");
    x.bid_size = in.decimal_from_string("B");
    x.ask_price = in.decimal_from_string("a");
    x.ask_size = in.decimal_from_string("A");
    if (!in)
      return at(where, in.err());
    x.ts_event_ns = recv_ns;
    x.ts_recv_ns = recv_ns;
    out.events.quotes.push_back(std::move(x));
    return {};
  }

  // {"e":"kline","E":1672515782136,"s":"BNBBTC","k":{"t":1672515780000,
  //  "T":1672515839999,"s":"BNBBTC","i":"1m","o":"0.0010","c":"0.0020",
  //  "h":"0.0025","l":"0.0015","v":"1000","n":100,"x":false,...}}
  //  (t open time ms, x closed)
  result<void> kline(const rapidjson::Value& data, const std::string& where,
                     int64_t recv_ns, stream_frame& out) const {
    auto inst = instrument_of(data, where);
    if (!inst)
      return inst.err();
    auto k = data.FindMember("k");
    if (k == data.MemberEnd())
      return error{errc::missing_field, where + "k"};
    if (!k->value.IsObject())
      return error{errc::malformed, where + "k: expected an object"};
    auto kwhere = where + "k.";
    json::reader in{k->value};
    bar x;
    x.instrument = inst->first;
    x.provider_symbol = inst->second;
    x.source = providers::binance;
    auto span_name = in.string("i");
    auto open_ms = in.int64("t");
    x.open = in.decimal_from_string("o");
    x.high = in.decimal_from_string("h");
    x.low = in.decimal_from_string("l");
    x.close = in.decimal_from_string("c");
    x.volume = in.decimal_from_string("v");
    x.trade_count = in.uint64("n");
    x.closed = in.boolean("x");
    if (!in)
      return at(kwhere, in.err());
    auto span = parse_interval(span_name);
    if (!span)
      return error{errc::malformed, kwhere + "i: unknown interval \""
                                      + printable(span_name, 16) + "\""};
    auto ts = ms_to_ns(open_ms);
    if (!ts)
      return error{errc::bad_number, kwhere + "t: out of range"};
    x.span = *span;
    x.open_time_ns = *ts;
    x.ts_recv_ns = recv_ns;
    out.events.bars.push_back(std::move(x));
    return {};
  }

  std::unique_ptr<rest_adapter> symbols_;
};

} // namespace

std::unique_ptr<stream_protocol> make_binance_stream(const adapter_options& opts) {
  return std::make_unique<binance_stream>(opts);
}

} // namespace tickflow
