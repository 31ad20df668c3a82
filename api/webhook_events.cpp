#include "api/webhook_events.hpp"

#include <optional>
#include <string>

#include <rapidjson/document.h>

#include "pipeline/model/time.hpp"

namespace tickflow::api {

namespace {

/// Reads the fields of one event object; the first problem wins.
class event_fields {
 public:
  event_fields(const rapidjson::Value& v, std::string where)
      : v_(v), where_(std::move(where)) {}

  const std::optional<error>& problem() const noexcept { return err_; }

  std::string string(const char* name, bool required = true,
                     std::string fallback = {}) {
    auto m = member(name, required);
    if (m == nullptr)
      return fallback;
    if (!m->IsString()) {
      fail(errc::malformed, name, "expected a string");
      return fallback;
    }
    return std::string{m->GetString(), m->GetStringLength()};
  }

  decimal number(const char* name) {
    auto m = member(name, true);
    if (m == nullptr)
      return {};
    if (!m->IsString()) {
      fail(errc::bad_number, name, "expected a decimal string such as \"101.25\"");
      return {};
    }
    auto d = decimal::parse({m->GetString(), m->GetStringLength()});
    if (!d) {
      fail(errc::bad_number, name, d.err().context);
      return {};
    }
    return *d;
  }

  int64_t time(const char* name) {
    auto m = member(name, true);
    if (m == nullptr)
      return 0;
    std::string text;
    if (m->IsString())
      text.assign(m->GetString(), m->GetStringLength());
    else if (m->IsInt64())
      text = std::to_string(m->GetInt64());
    else {
      fail(errc::invalid_argument, name, "expected an ISO-8601 string or an integer");
      return 0;
    }
    auto t = parse_timestamp(text);
    if (!t || *t <= 0) {
      fail(errc::invalid_argument, name, "not a timestamp: " + text);
      return 0;
    }
    return *t;
  }

  uint64_t count(const char* name) {
    auto m = member(name, false);
    if (m == nullptr)
      return 0;
    if (!m->IsUint64()) {
      fail(errc::bad_number, name, "expected a non-negative integer");
      return 0;
    }
    return m->GetUint64();
  }

  bool flag(const char* name, bool fallback) {
    auto m = member(name, false);
    if (m == nullptr)
      return fallback;
    if (!m->IsBool()) {
      fail(errc::malformed, name, "expected true or false");
      return fallback;
    }
    return m->GetBool();
  }

  void fail(errc code, const char* name, const std::string& problem) {
    if (!err_)
      err_ = error{code, where_ + "." + name + ": " + problem};
  }

 private:
  const rapidjson::Value* member(const char* name, bool required) {
    auto it = v_.FindMember(name);
    if (it == v_.MemberEnd() || it->value.IsNull()) {
      if (required && !err_)
        err_ = error{errc::missing_field, where_ + "." + name};
      return nullptr;
    }
    return &it->value;
  }

  const rapidjson::Value& v_;
  std::string where_;
  std::optional<error> err_;
};

/// The common fields: instrument (canonical) and provider.
bool read_origin(event_fields& in, std::string& instrument, provider& source) {
  instrument = in.string("instrument");
  if (!instrument.empty() && !is_canonical_instrument(instrument))
    in.fail(errc::invalid_argument, "instrument", "not a canonical id: " + instrument);
  auto name = in.string("provider", false, "simulator");
  auto p = provider_from_string(name);
  if (!p)
    in.fail(errc::invalid_argument, "provider", "unknown provider " + name);
  else
    source = *p;
  return !in.problem();
}

} // namespace

result<event_batch> parse_canonical_events(std::string_view body, int64_t recv_ns,
                                           size_t max_events) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size()); // nesting costs no stack
  if (doc.HasParseError() || !doc.IsObject())
    return error{errc::malformed, "body: expected a JSON object {\"events\":[...]}"};
  auto events = doc.FindMember("events");
  if (events == doc.MemberEnd() || !events->value.IsArray())
    return error{errc::malformed, "events: expected an array"};
  auto& xs = events->value;
  if (xs.Empty() || xs.Size() > max_events)
    return error{errc::out_of_range, "events: expected 1.." + std::to_string(max_events)
                                       + " events, got " + std::to_string(xs.Size())};
  event_batch out;
  for (rapidjson::SizeType i = 0; i < xs.Size(); ++i) {
    auto where = "events[" + std::to_string(i) + "]";
    auto& v = xs[i];
    if (!v.IsObject())
      return error{errc::malformed, where + ": expected an object"};
    event_fields in{v, where};
    auto type = in.string("type");
    if (in.problem())
      return *in.problem();
    if (type == "trade") {
      trade t;
      read_origin(in, t.instrument, t.source);
      t.provider_symbol = t.instrument;
      t.price = in.number("price");
      t.size = in.number("size");
      auto side_name = in.string("side", false, "unknown");
      if (side_name == "buy")
        t.aggressor = side::buy;
      else if (side_name == "sell")
        t.aggressor = side::sell;
      else if (side_name != "unknown")
        in.fail(errc::invalid_argument, "side", "must be buy, sell or unknown");
      t.trade_id = in.string("trade_id", false);
      t.ts_event_ns = in.time("ts");
      t.ts_recv_ns = recv_ns;
      if (in.problem())
        return *in.problem();
      out.trades.push_back(std::move(t));
    } else if (type == "quote") {
      quote q;
      read_origin(in, q.instrument, q.source);
      q.provider_symbol = q.instrument;
      q.bid_price = in.number("bid");
      q.bid_size = in.number("bid_size");
      q.ask_price = in.number("ask");
      q.ask_size = in.number("ask_size");
      q.ts_event_ns = in.time("ts");
      q.ts_recv_ns = recv_ns;
      if (in.problem())
        return *in.problem();
      out.quotes.push_back(std::move(q));
    } else if (type == "bar") {
      bar b;
      read_origin(in, b.instrument, b.source);
      b.provider_symbol = b.instrument;
      auto span = in.string("interval");
      if (!in.problem()) {
        auto iv = parse_interval(span);
        if (!iv)
          in.fail(errc::invalid_argument, "interval", "unknown interval " + span);
        else
          b.span = *iv;
      }
      b.open_time_ns = in.time("open_time");
      b.open = in.number("open");
      b.high = in.number("high");
      b.low = in.number("low");
      b.close = in.number("close");
      b.volume = in.number("volume");
      b.trade_count = in.count("trades");
      b.closed = in.flag("closed", true);
      b.ts_recv_ns = recv_ns;
      if (in.problem())
        return *in.problem();
      out.bars.push_back(std::move(b));
    } else {
      return error{errc::malformed, where + ".type: must be trade, quote or bar"};
    }
  }
  return out;
}

} // namespace tickflow::api
