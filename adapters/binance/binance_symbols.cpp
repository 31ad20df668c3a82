#include "adapters/binance/binance_symbols.hpp"

#include <rapidjson/document.h>

#include <algorithm>

#include "adapters/binance/binance_parse.hpp"
#include "adapters/common/json_reader.hpp"
#include "pipeline/normalize/asset_class.hpp"

namespace tickflow::binance {

namespace {

bool is_upper_alnum(std::string_view s) noexcept {
  if (s.empty())
    return false;
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      return false;
  return true;
}

bool is_known_quote(std::string_view q) {
  const auto& all = known_quote_assets();
  return std::find(all.begin(), all.end(), q) != all.end();
}

std::string at_entry(size_t i, std::string_view what) {
  std::string out = "symbols[" + std::to_string(i) + "]";
  if (!what.empty()) {
    out += '.';
    out.append(what);
  }
  return out;
}

// The decimal `field` of the filter `type` in `filters`; zero when there is
// no such filter.
result<decimal> filter_value(const rapidjson::Value& filters, size_t i,
                             std::string_view type, const char* field) {
  if (!filters.IsArray())
    return error{errc::malformed, at_entry(i, "filters: expected an array")};
  for (const auto& f : filters.GetArray()) {
    if (!f.IsObject())
      continue; // the docs show {} placeholders
    auto t = f.FindMember("filterType");
    if (t == f.MemberEnd() || !t->value.IsString()
        || std::string_view{t->value.GetString(), t->value.GetStringLength()} != type)
      continue;
    json::reader in{f};
    auto x = in.decimal_from_string(field);
    if (!in)
      return error{in.err().code, at_entry(i, "filters.") + in.err().context};
    if (x.is_negative())
      return error{errc::bad_number,
                   at_entry(i, "filters.") + field + ": negative"};
    return x;
  }
  return decimal{};
}

} // namespace

result<std::vector<symbol_info>> parse_exchange_info(std::string_view body) {
  rapidjson::Document doc;
  if (auto ok = parse_json(body, doc); !ok)
    return ok.err();
  if (!doc.IsObject())
    return error{errc::malformed, "not an object"};
  auto symbols = doc.FindMember("symbols");
  if (symbols == doc.MemberEnd())
    return error{errc::missing_field, "symbols"};
  if (!symbols->value.IsArray())
    return error{errc::malformed, "symbols: expected an array"};
  std::vector<symbol_info> out;
  out.reserve(symbols->value.Size());
  size_t i = 0;
  for (const auto& entry : symbols->value.GetArray()) {
    if (!entry.IsObject())
      return error{errc::malformed, at_entry(i, "") + ": not an object"};
    json::reader in{entry};
    symbol_info x;
    x.symbol = in.string("symbol");
    x.status = in.string("status");
    x.base_asset = in.string("baseAsset");
    x.quote_asset = in.string("quoteAsset");
    // quotePrecision is the older name of quoteAssetPrecision.
    auto precision = in.has("quoteAssetPrecision")
                       ? in.int64("quoteAssetPrecision")
                       : in.int64("quotePrecision");
    if (!in)
      return error{in.err().code, at_entry(i, in.err().context)};
    if (precision < 0 || precision > decimal::max_scale)
      return error{errc::bad_number,
                   at_entry(i, "quoteAssetPrecision: out of range: "
                                 + std::to_string(precision))};
    x.price_precision = static_cast<uint8_t>(precision);
    if (auto filters = entry.FindMember("filters");
        filters != entry.MemberEnd()) {
      auto tick = filter_value(filters->value, i, "PRICE_FILTER", "tickSize");
      if (!tick)
        return tick.err();
      x.tick_size = *tick;
      if (tick->is_positive())
        x.price_precision = tick->scale;
      auto step = filter_value(filters->value, i, "LOT_SIZE", "stepSize");
      if (!step)
        return step.err();
      x.lot_size = *step;
    }
    // USD-M futures name the contract (PERPETUAL, CURRENT_QUARTER); the
    // 2020 schema and spot do not.
    if (auto ct = entry.FindMember("contractType"); ct != entry.MemberEnd()) {
      if (!ct->value.IsString())
        return error{errc::malformed, at_entry(i, "contractType: expected a string")};
      x.contract_type.assign(ct->value.GetString(), ct->value.GetStringLength());
    }
    out.push_back(std::move(x));
    ++i;
  }
  return out;
}

const std::vector<std::string_view>& known_quote_assets() {
  static const std::vector<std::string_view> quotes = [] {
    std::vector<std::string_view> xs{
      "USDT", "FDUSD", "USDC", "BUSD", "TUSD", "USDP", "DAI",  "BTC",
      "ETH",  "BNB",   "XRP",  "TRX",  "DOGE", "DOT",  "EUR",  "EURI",
      "AEUR", "TRY",   "BRL",  "GBP",  "AUD",  "JPY",  "RUB",  "UAH",
      "ZAR",  "PLN",   "RON",  "ARS",  "MXN",  "COP",  "CZK",  "NGN",
      "BIDR", "IDRT",  "PAX"};
    std::stable_sort(xs.begin(), xs.end(), [](auto a, auto b) {
      return a.size() > b.size();
    });
    return xs;
  }();
  return quotes;
}

symbol_mapper::symbol_mapper(const kv_list& overrides,
                             const std::vector<symbol_info>& table)
    : has_table_(!table.empty()) {
  for (const auto& [canonical, symbol] : overrides)
    overrides_.add(canonical, symbol);
  for (const auto& x : table)
    table_.add(x.base_asset + "-" + x.quote_asset, x.symbol);
}

std::string symbol_mapper::to_provider(std::string_view canonical) const {
  if (auto s = overrides_.to_provider(canonical); !s.empty())
    return std::string{s};
  if (has_table_)
    return std::string{table_.to_provider(canonical)};
  std::string_view base, quote;
  if (!split_pair(canonical, base, quote) || !is_upper_alnum(base)
      || !is_upper_alnum(quote) || !is_known_quote(quote))
    return {};
  std::string out{base};
  out.append(quote);
  return out;
}

std::string symbol_mapper::to_canonical(std::string_view symbol) const {
  if (auto c = overrides_.to_canonical(symbol); !c.empty())
    return std::string{c};
  if (has_table_)
    return std::string{table_.to_canonical(symbol)};
  if (!is_upper_alnum(symbol))
    return {};
  for (auto quote : known_quote_assets()) {
    if (symbol.size() > quote.size()
        && symbol.substr(symbol.size() - quote.size()) == quote) {
      std::string out{symbol.substr(0, symbol.size() - quote.size())};
      out += '-';
      out.append(quote);
      return out;
    }
  }
  return {};
}

} // namespace tickflow::binance
