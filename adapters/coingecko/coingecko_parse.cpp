#include "adapters/coingecko/coingecko_parse.hpp"

#include <limits>
#include <string>

#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/common/json_number.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::coingecko {

namespace {

// Largest Unix s / ms whose ns value fits in int64 (year 2262): wire times
// beyond are out_of_range, not an overflow.
constexpr int64_t max_s = std::numeric_limits<int64_t>::max() / ns_per_s;
constexpr int64_t max_ms = std::numeric_limits<int64_t>::max() / ns_per_ms;

// The error a {"error_code":..,"error_message":..} object reports.
fetch_error from_status(const rapidjson::Value& status,
                        const http_reply& reply, int64_t recv_ns) {
  fetch_error out;
  auto code = json::member(status, "error_code");
  auto text = json::member(status, "error_message");
  if (text != nullptr && text->IsString())
    out.message = json::text_of(*text);
  auto n = code != nullptr ? json::to_int64(*code) : result<int64_t>{0};
  int64_t c = n ? *n : 0;
  if (out.message.empty())
    out.message = "error_code " + std::to_string(c);
  if (c == 429) {
    out.code = errc::rate_limited;
    out.retry_after_ns = retry_after_of(reply, recv_ns);
  } else if (c == 401 || c == 10002 || c == 10005 || c == 10010
             || c == 10011) {
    out.code = errc::unauthorized;
  } else {
    out.code = errc::provider_error;
  }
  return out;
}

// One [Unix ms, number] pair.
result<std::pair<int64_t, decimal>> ms_value(const rapidjson::Value& point) {
  if (!point.IsArray() || point.Size() != 2)
    return error{errc::malformed, "expected [ms, value]"};
  auto ms = json::to_int64(point[0]);
  if (!ms)
    return std::move(ms).err();
  if (*ms < 0 || *ms > max_ms)
    return error{errc::out_of_range, "timestamp out of range"};
  auto v = json::to_decimal(point[1]);
  if (!v)
    return std::move(v).err();
  return std::pair<int64_t, decimal>{*ms, *v};
}

// Reads the series `name` of a market_chart into (ts_ns, value) pairs.
result<std::vector<volume_point>> series(const rapidjson::Value& doc,
                                         const char* name) {
  json::number_reader in{doc};
  auto arr = in.array(name);
  if (!in)
    return in.err();
  std::vector<volume_point> out;
  out.reserve(arr->Size());
  for (rapidjson::SizeType i = 0; i < arr->Size(); ++i) {
    auto p = ms_value((*arr)[i]);
    if (!p) {
      std::string ctx = name;
      ctx.append("[" + std::to_string(i) + "]: ");
      ctx.append(p.err().context);
      return error{p.err().code, std::move(ctx)};
    }
    out.push_back({p->first * ns_per_ms, p->second});
  }
  return out;
}

} // namespace

std::optional<fetch_error> parse_error_body(const rapidjson::Value& doc,
                                            const http_reply& reply,
                                            int64_t recv_ns) {
  if (!doc.IsObject())
    return std::nullopt;
  if (auto status = json::member(doc, "status");
      status != nullptr && status->IsObject()
      && json::member(*status, "error_code") != nullptr)
    return from_status(*status, reply, recv_ns);
  auto err = json::member(doc, "error");
  if (err == nullptr)
    return std::nullopt;
  if (err->IsObject()) {
    auto status = json::member(*err, "status");
    if (status != nullptr && status->IsObject())
      return from_status(*status, reply, recv_ns);
    return fetch_error{errc::provider_error, "error object without status",
                       0};
  }
  if (!err->IsString())
    return fetch_error{errc::provider_error, "error of an unexpected type", 0};
  fetch_error out{errc::provider_error, std::string{json::text_of(*err)}, 0};
  if (out.message == "coin not found"
      || out.message == "invalid vs_currency")
    out.code = errc::unknown_symbol;
  return out;
}

result<price> parse_simple_price(const rapidjson::Value& doc,
                                 std::string_view id, std::string_view vs,
                                 std::string_view instrument,
                                 int64_t recv_ns) {
  if (!doc.IsObject())
    return error{errc::malformed, "simple/price: not an object"};
  auto coin = json::member(doc, id);
  if (coin == nullptr)
    return error{errc::unknown_symbol, std::string{id}};
  if (coin->IsObject() && json::member(*coin, vs) == nullptr)
    return error{errc::unknown_symbol,
                 std::string{id} + " has no price in " + std::string{vs}};
  std::string vs_name{vs};
  json::number_reader in{*coin, id};
  price x;
  x.instrument = std::string{instrument};
  x.source = providers::coingecko;
  x.value = in.decimal(vs_name.c_str());
  x.ts_recv_ns = recv_ns;
  // last_updated_at is optional (include_last_updated_at=true asks for it,
  // CoinGecko may still leave it out or send null): the receive time
  // stands in, flagged "defaulted", rather than refusing the price.
  auto* updated = coin->IsObject() ? json::member(*coin, "last_updated_at") : nullptr;
  int64_t updated_s = 0;
  if (updated != nullptr && !updated->IsNull())
    updated_s = in.int64("last_updated_at");
  if (!in)
    return in.err();
  if (updated == nullptr || updated->IsNull()) {
    x.ts_event_ns = recv_ns;
    x.flags |= quality_defaulted;
    return x;
  }
  if (updated_s < 0 || updated_s > max_s)
    return error{errc::out_of_range,
                 std::string{id} + ".last_updated_at: timestamp out of range"};
  x.ts_event_ns = updated_s * ns_per_s;
  return x;
}

result<market_chart> parse_market_chart(const rapidjson::Value& doc,
                                        std::string_view instrument,
                                        int64_t recv_ns) {
  if (!doc.IsObject())
    return error{errc::malformed, "market_chart: not an object"};
  auto prices = series(doc, "prices");
  if (!prices)
    return std::move(prices).err();
  auto volumes = series(doc, "total_volumes");
  if (!volumes)
    return std::move(volumes).err();
  market_chart out;
  out.prices.reserve(prices->size());
  for (auto& p : *prices) {
    price x;
    x.instrument = std::string{instrument};
    x.source = providers::coingecko;
    x.value = p.value;
    x.ts_event_ns = p.ts_ns;
    x.ts_recv_ns = recv_ns;
    out.prices.push_back(std::move(x));
  }
  out.total_volumes = std::move(*volumes);
  return out;
}

result<std::vector<bar>> parse_ohlc(const rapidjson::Value& doc,
                                    interval span,
                                    std::string_view instrument,
                                    std::string_view provider_symbol,
                                    int64_t recv_ns) {
  if (!doc.IsArray())
    return error{errc::malformed, "ohlc: expected an array of candles"};
  auto length = interval_ns(span);
  std::vector<bar> out;
  out.reserve(doc.Size());
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    auto where = "ohlc[" + std::to_string(i) + "]";
    auto& row = doc[i];
    if (!row.IsArray() || row.Size() != 5)
      return error{errc::malformed,
                   where + ": expected [ms, open, high, low, close]"};
    auto close_ms = json::to_int64(row[0]);
    if (!close_ms)
      return error{errc::bad_number, where + ": " + close_ms.err().context};
    if (*close_ms < 0 || *close_ms > max_ms)
      return error{errc::out_of_range, where + ": timestamp out of range"};
    decimal values[4];
    for (rapidjson::SizeType k = 0; k < 4; ++k) {
      auto v = json::to_decimal(row[k + 1]);
      if (!v)
        return error{errc::bad_number, where + ": " + v.err().context};
      values[k] = *v;
    }
    int64_t close_ns = *close_ms * ns_per_ms;
    if (close_ns % length != 0)
      return error{errc::malformed,
                   where + ": close time " + format_iso8601(close_ns)
                     + " is not on the " + std::string{to_string(span)}
                     + " grid"};
    if (!out.empty() && close_ns - length <= out.back().open_time_ns)
      return error{errc::malformed, where + ": candles out of order"};
    bar b;
    b.instrument = std::string{instrument};
    b.provider_symbol = std::string{provider_symbol};
    b.source = providers::coingecko;
    b.span = span;
    b.open_time_ns = close_ns - length;
    b.open = values[0];
    b.high = values[1];
    b.low = values[2];
    b.close = values[3];
    b.volume = decimal{}; // OHLC has no volume
    b.closed = close_ns <= recv_ns;
    b.ts_recv_ns = recv_ns;
    out.push_back(std::move(b));
  }
  return out;
}

} // namespace tickflow::coingecko
