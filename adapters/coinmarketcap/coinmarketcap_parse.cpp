#include "adapters/coinmarketcap/coinmarketcap_parse.hpp"

#include <cstdint>
#include <string>

#include "adapters/coinmarketcap/coinmarketcap_provider.hpp"
#include "adapters/common/json_number.hpp"
#include "adapters/common/provider_errors.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::coinmarketcap {

namespace {

// The cmc_rank of an entry; entries without one sort last.
int64_t rank_of(const rapidjson::Value& entry) {
  auto rank = json::member(entry, "cmc_rank");
  auto n = rank != nullptr ? json::to_int64(*rank) : result<int64_t>{0};
  return n && *n > 0 ? *n : INT64_MAX;
}

bool has_symbol(const rapidjson::Value& entry, std::string_view symbol) {
  auto s = json::member(entry, "symbol");
  return s != nullptr && s->IsString() && json::text_of(*s) == symbol;
}

} // namespace

std::optional<fetch_error> parse_status(const rapidjson::Value& doc,
                                        const http_reply& reply,
                                        int64_t recv_ns) {
  auto status = json::member(doc, "status");
  if (status == nullptr || !status->IsObject())
    return std::nullopt;
  auto code_value = json::member(*status, "error_code");
  if (code_value == nullptr)
    return std::nullopt;
  auto code = json::to_int64(*code_value);
  if (!code)
    return fetch_error{errc::malformed,
                       "status.error_code: " + code.err().context, 0};
  if (*code == 0)
    return std::nullopt;
  fetch_error out{errc::provider_error, {}, 0};
  auto text = json::member(*status, "error_message");
  if (text != nullptr && text->IsString())
    out.message = json::text_of(*text);
  if (out.message.empty())
    out.message = "error_code " + std::to_string(*code);
  switch (*code) {
    case 1001: case 1002: case 1003: case 1004: case 1005: case 1006:
    case 1007:
      out.code = errc::unauthorized;
      break;
    case 1008:
    case 1011:
      out.code = errc::rate_limited;
      out.retry_after_ns = 60 * ns_per_s;
      break;
    case 1009:
      out.code = errc::rate_limited;
      out.retry_after_ns = ns_until_next_utc_midnight(recv_ns);
      break;
    case 1010:
      out.code = errc::rate_limited;
      break;
    case 400:
      if (out.message.find("Invalid value for \"symbol\"")
          != std::string::npos)
        out.code = errc::unknown_symbol;
      break;
    default:
      break;
  }
  // Retry-After, when usable, beats the documented wait.
  if (out.code == errc::rate_limited)
    if (auto after = retry_after_of(reply, recv_ns); after > 0)
      out.retry_after_ns = after;
  return out;
}

result<price> parse_quotes_latest(const rapidjson::Value& doc,
                                  std::string_view symbol,
                                  std::string_view convert,
                                  std::string_view instrument,
                                  int64_t recv_ns) {
  json::number_reader top{doc};
  auto data = top.object("data");
  if (!top)
    return top.err();
  // data[symbol] (v1 / v2 by symbol), else the only member (by id / slug).
  const rapidjson::Value* entry = nullptr;
  std::string where = "data.";
  if (auto v = json::member(*data, symbol)) {
    entry = v;
    where.append(symbol);
  } else if (data->MemberCount() == 1) {
    entry = &data->MemberBegin()->value;
    where.append(json::text_of(data->MemberBegin()->name));
  } else {
    return error{errc::unknown_symbol, std::string{symbol}};
  }
  if (entry->IsArray()) {
    const rapidjson::Value* best = nullptr;
    for (auto& e : entry->GetArray())
      if (e.IsObject() && has_symbol(e, symbol)
          && (best == nullptr || rank_of(e) < rank_of(*best)))
        best = &e;
    if (best == nullptr)
      return error{errc::unknown_symbol, std::string{symbol}};
    entry = best;
  }
  json::number_reader coin{*entry, where};
  auto coin_symbol = coin.string("symbol");
  auto quotes = coin.object("quote");
  if (!coin)
    return coin.err();
  if (coin_symbol != symbol)
    return error{errc::malformed, where + ": holds " + std::string{coin_symbol}
                                    + ", asked for " + std::string{symbol}};
  std::string convert_name{convert};
  json::number_reader in{*quotes, where + ".quote"};
  auto q = in.object(convert_name.c_str());
  if (!in)
    return in.err();
  auto path = where + ".quote." + convert_name;
  if (auto p = json::member(*q, "price"); p != nullptr && p->IsNull())
    return error{errc::not_found,
                 path + ".price: null (no " + convert_name + " price)"};
  json::number_reader quote{*q, path};
  price x;
  x.instrument = std::string{instrument};
  x.source = providers::coinmarketcap;
  x.value = quote.decimal("price");
  auto updated = quote.string("last_updated");
  if (!quote)
    return quote.err();
  auto ts = parse_timestamp(updated);
  if (!ts)
    return error{errc::malformed,
                 path + ".last_updated: " + ts.err().context};
  x.ts_event_ns = *ts;
  x.ts_recv_ns = recv_ns;
  return x;
}

} // namespace tickflow::coinmarketcap
