#include "adapters/simulator/simulator_parse.hpp"

#include <string>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "adapters/common/json_reader.hpp"
#include "adapters/simulator/simulator_provider.hpp"

namespace tickflow::simulator {

namespace {

// One reusable document per thread. Its values live in a pool that starts in
// `buffer` and is reset before every parse, so a typical frame parses without
// touching the heap.
struct parse_context {
  alignas(8) char buffer[8192];
  rapidjson::MemoryPoolAllocator<> pool{buffer, sizeof(buffer)};
  rapidjson::Document doc{&pool};
};

// At most this many bytes of a bad value are quoted back in an error.
constexpr size_t max_quoted = 32;

std::string quoted(std::string_view what, std::string_view value) {
  std::string out{what};
  out += " \"";
  out.append(value.substr(0, max_quoted));
  out += '"';
  return out;
}

// Wire (decimals are strings, times are UTC ns, "m": the buyer was maker):
//   {"e":"trade","s":"BTCUSDT","t":17,"p":"65000.12","q":"0.015","m":false,
//    "T":1700000000123000000}
result<void> parse_trade(json::reader& in, const symbol_map& symbols,
                         int64_t recv_ns, std::vector<trade>& out) {
  trade x;
  auto symbol = in.string("s");
  auto id = in.int64("t");
  x.price = in.decimal_from_string("p");
  x.size = in.decimal_from_string("q");
  auto buyer_is_maker = in.boolean("m");
  x.ts_event_ns = in.int64("T");
  if (!in)
    return in.err();
  auto canonical = symbols.to_canonical(symbol);
  if (canonical.empty())
    return error{errc::unknown_symbol, std::string{symbol}};
  x.instrument = canonical;
  x.provider_symbol = symbol;
  x.source = providers::simulator;
  x.aggressor = buyer_is_maker ? side::sell : side::buy;
  x.trade_id = std::to_string(id);
  x.ts_recv_ns = recv_ns;
  x.flags = quality_synthetic;
  out.push_back(std::move(x));
  return {};
}

// Wire (open time "t" in UTC ns, "n" trades, "x": the bar is closed):
//   {"e":"bar","s":"BTCUSDT","i":"1m","t":1700000040000000000,"o":"65000.1",
//    "h":"65010","l":"64990.5","c":"65001","v":"12.345","n":42,"x":true}
result<void> parse_bar(json::reader& in, const symbol_map& symbols,
                       int64_t recv_ns, std::vector<bar>& out) {
  bar x;
  auto symbol = in.string("s");
  auto span = in.string("i");
  x.open_time_ns = in.int64("t");
  x.open = in.decimal_from_string("o");
  x.high = in.decimal_from_string("h");
  x.low = in.decimal_from_string("l");
  x.close = in.decimal_from_string("c");
  x.volume = in.decimal_from_string("v");
  x.trade_count = in.uint64("n");
  x.closed = in.boolean("x");
  if (!in)
    return in.err();
  auto iv = parse_interval(span);
  if (!iv)
    return error{errc::malformed, "i: " + quoted("unknown interval", span)};
  auto canonical = symbols.to_canonical(symbol);
  if (canonical.empty())
    return error{errc::unknown_symbol, std::string{symbol}};
  x.instrument = canonical;
  x.provider_symbol = symbol;
  x.source = providers::simulator;
  x.span = *iv;
  x.ts_recv_ns = recv_ns;
  x.flags = quality_synthetic;
  out.push_back(std::move(x));
  return {};
}

// Wire (best bid "b" / ask "a" with sizes "B" / "A", time "T" in UTC ns):
//   {"e":"quote","s":"BTCUSDT","b":"65000.11","B":"0.5","a":"65000.13",
//    "A":"0.5","T":1700000000123000000}
result<void> parse_quote(json::reader& in, const symbol_map& symbols,
                         int64_t recv_ns, std::vector<quote>& out) {
  quote x;
  auto symbol = in.string("s");
  x.bid_price = in.decimal_from_string("b");
  x.bid_size = in.decimal_from_string("B");
  x.ask_price = in.decimal_from_string("a");
  x.ask_size = in.decimal_from_string("A");
  x.ts_event_ns = in.int64("T");
  if (!in)
    return in.err();
  auto canonical = symbols.to_canonical(symbol);
  if (canonical.empty())
    return error{errc::unknown_symbol, std::string{symbol}};
  x.instrument = canonical;
  x.provider_symbol = symbol;
  x.source = providers::simulator;
  x.ts_recv_ns = recv_ns;
  x.flags = quality_synthetic;
  out.push_back(std::move(x));
  return {};
}

} // namespace

result<void> parse_frame(std::string_view frame, const symbol_map& symbols,
                         int64_t recv_ns, event_batch& out) {
  if (frame.empty())
    return error{errc::malformed, "empty frame"};
  thread_local parse_context ctx;
  auto& doc = ctx.doc;
  doc.SetNull();
  ctx.pool.Clear();
  // Iterative parsing: deeply nested garbage cannot exhaust the stack.
  doc.Parse<rapidjson::kParseIterativeFlag>(frame.data(), frame.size());
  if (doc.HasParseError()) {
    std::string context = "not JSON: ";
    context += rapidjson::GetParseError_En(doc.GetParseError());
    context += " at offset ";
    context += std::to_string(doc.GetErrorOffset());
    doc.SetNull();
    return error{errc::malformed, std::move(context)};
  }
  json::reader in{doc};
  auto type = in.string("e");
  if (!in)
    return in.err();
  if (type == "trade")
    return parse_trade(in, symbols, recv_ns, out.trades);
  if (type == "bar")
    return parse_bar(in, symbols, recv_ns, out.bars);
  if (type == "quote")
    return parse_quote(in, symbols, recv_ns, out.quotes);
  return error{errc::malformed, quoted("unknown event type", type)};
}

parse_tally parse_frames(const std::vector<std::string>& frames,
                         const symbol_map& symbols, int64_t recv_ns,
                         event_batch& out) {
  parse_tally tally;
  for (auto& frame : frames) {
    auto r = parse_frame(frame, symbols, recv_ns, out);
    if (r)
      continue;
    if (tally.rejected++ == 0)
      tally.first_error = r.err();
  }
  return tally;
}

} // namespace tickflow::simulator
