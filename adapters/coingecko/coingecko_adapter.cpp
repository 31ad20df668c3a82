#include "adapters/coingecko/coingecko_adapter.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>
#include <string_view>
#include <utility>

#include "adapters/coingecko/coingecko_parse.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/coingecko/coingecko_reference.hpp"
#include "adapters/common/ascii.hpp"
#include "adapters/common/bar_window.hpp"
#include "adapters/common/provider_errors.hpp"
#include "adapters/provider_descriptor.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {

namespace {

constexpr int64_t day_ns = 86'400 * ns_per_s;

// Ids one merged simple/price request carries at most (the URL stays short).
constexpr size_t max_batch_ids = 50;

// Base symbol -> CoinGecko coin id, for large coins.
constexpr std::pair<std::string_view, std::string_view> coin_ids[] = {
  {"AAVE", "aave"},
  {"ADA", "cardano"},
  {"APT", "aptos"},
  {"ARB", "arbitrum"},
  {"ATOM", "cosmos"},
  {"AVAX", "avalanche-2"},
  {"BCH", "bitcoin-cash"},
  {"BNB", "binancecoin"},
  {"BTC", "bitcoin"},
  {"DAI", "dai"},
  {"DOGE", "dogecoin"},
  {"DOT", "polkadot"},
  {"ETC", "ethereum-classic"},
  {"ETH", "ethereum"},
  {"FIL", "filecoin"},
  {"HBAR", "hedera-hashgraph"},
  {"ICP", "internet-computer"},
  {"LINK", "chainlink"},
  {"LTC", "litecoin"},
  {"MATIC", "matic-network"},
  {"NEAR", "near"},
  {"OP", "optimism"},
  {"SHIB", "shiba-inu"},
  {"SOL", "solana"},
  {"SUI", "sui"},
  {"TON", "the-open-network"},
  {"TRX", "tron"},
  {"UNI", "uniswap"},
  {"USDC", "usd-coin"},
  {"USDT", "tether"},
  {"XLM", "stellar"},
  {"XMR", "monero"},
  {"XRP", "ripple"},
};

class coingecko_adapter final : public rest_adapter {
 public:
  coingecko_adapter(const adapter_options& options, coingecko::plan key_plan)
      : overrides_(options.symbol_overrides), plan_(key_plan) {
    // nop
  }

  const provider_info& info() const noexcept override {
    return coingecko_descriptor().info;
  }

  result<outbound_request> build(const fetch_request& req,
                                 const credentials& cred) const override {
    std::string id, vs;
    if (!map(req.instrument, id, vs))
      return error{errc::unknown_symbol, req.instrument};
    outbound_request out;
    switch (req.kind) {
      case fetch_kind::price:
        if (req.start_ns == 0) {
          out.path = "/api/v3/simple/price";
          out.query = {{"ids", id},
                       {"vs_currencies", vs},
                       {"include_last_updated_at", "true"}};
          break;
        }
        if (req.end_ns <= req.start_ns)
          return error{errc::invalid_argument,
                       "coingecko price history needs end_ns > start_ns "
                       "(days count back from the provider's now)"};
        out.path = "/api/v3/coins/" + url_encode(id) + "/market_chart";
        out.query = {{"vs_currency", vs},
                     {"days", std::to_string(history_days(req))}};
        break;
      case fetch_kind::bars: {
        auto days = ohlc_days(req);
        if (days == 0)
          return error{errc::invalid_argument,
                       "coingecko serves 30m and 4h bars, not "
                         + std::string{to_string(req.span)}};
        out.path = "/api/v3/coins/" + url_encode(id) + "/ohlc";
        out.query = {{"vs_currency", vs}, {"days", std::to_string(days)}};
        break;
      }
      case fetch_kind::profile:
        out = coingecko::coin_request(id);
        break;
      default:
        return error{errc::invalid_argument,
                     "coingecko does not serve "
                       + std::string{to_string(req.kind)}};
    }
    if (!cred.api_key.empty()) {
      out.headers.emplace_back(plan_ == coingecko::plan::pro
                                 ? "x-cg-pro-api-key"
                                 : "x-cg-demo-api-key",
                               cred.api_key);
      out.secrets.push_back(cred.api_key);
    }
    return out;
  }

  fetch_outcome parse(const fetch_request& req, const http_reply& reply,
                      int64_t recv_ns) const override {
    rapidjson::Document doc;
    auto body_error = [&](const rapidjson::Value& body) {
      return coingecko::parse_error_body(body, reply, recv_ns);
    };
    if (auto e = read_number_text_reply(reply, recv_ns, body_error, doc))
      return *e;
    std::string id, vs;
    if (!map(req.instrument, id, vs))
      return fetch_error{errc::unknown_symbol, req.instrument, 0};
    fetch_result out;
    if (req.kind == fetch_kind::price && req.start_ns == 0) {
      auto x = coingecko::parse_simple_price(doc, id, vs, req.instrument,
                                             recv_ns);
      if (!x)
        return to_fetch_error(x.err());
      out.prices.push_back(std::move(*x));
    } else if (req.kind == fetch_kind::price) {
      auto chart = coingecko::parse_market_chart(doc, req.instrument,
                                                 recv_ns);
      if (!chart)
        return to_fetch_error(chart.err());
      out.prices = std::move(chart->prices);
      trim_to_request(out.prices, req);
    } else if (req.kind == fetch_kind::bars) {
      auto bars = coingecko::parse_ohlc(doc, req.span, req.instrument,
                                        id + "/" + vs, recv_ns);
      if (!bars)
        return to_fetch_error(bars.err());
      out.bars = std::move(*bars);
      trim_to_request(out.bars, req);
    } else if (req.kind == fetch_kind::profile) {
      auto p = coingecko::parse_coin(doc, id, vs, req.instrument, recv_ns);
      if (!p)
        return fold_parse_error(p.err());
      out.profiles.push_back(std::move(*p));
    } else {
      return fetch_error{errc::invalid_argument,
                         "coingecko does not serve "
                           + std::string{to_string(req.kind)},
                         0};
    }
    return out;
  }

  size_t max_batch(fetch_kind kind) const noexcept override {
    return kind == fetch_kind::price ? max_batch_ids : 1;
  }

  // GET /api/v3/simple/price?ids=bitcoin,ethereum&vs_currencies=usd,eur
  // &include_last_updated_at=true: every id in every vs currency asked.
  result<outbound_request>
  build_batch(fetch_kind kind, const std::vector<std::string>& instruments,
              const credentials& cred) const override {
    if (kind != fetch_kind::price)
      return error{errc::invalid_argument, "coingecko merges price requests only"};
    if (instruments.size() > max_batch_ids)
      return error{errc::invalid_argument,
                   std::to_string(instruments.size()) + " ids, at most "
                     + std::to_string(max_batch_ids)};
    std::vector<std::string> ids, vss;
    for (auto& x : instruments) {
      std::string id, vs;
      if (!map(x, id, vs))
        continue;
      if (std::find(ids.begin(), ids.end(), id) == ids.end())
        ids.push_back(id);
      if (std::find(vss.begin(), vss.end(), vs) == vss.end())
        vss.push_back(vs);
    }
    if (ids.empty())
      return error{errc::unknown_symbol, "no instrument coingecko knows"};
    auto join = [](const std::vector<std::string>& xs) {
      std::string out;
      for (auto& x : xs)
        out += (out.empty() ? "" : ",") + x;
      return out;
    };
    fetch_request one;
    one.kind = fetch_kind::price;
    one.instrument = instruments.front();
    auto out = build(one, cred); // same path, headers and key handling
    if (!out)
      return out;
    out->query = {{"ids", join(ids)},
                  {"vs_currencies", join(vss)},
                  {"include_last_updated_at", "true"}};
    return out;
  }

  fetch_outcome parse_batch(fetch_kind kind,
                            const std::vector<std::string>& instruments,
                            const http_reply& reply,
                            int64_t recv_ns) const override {
    if (kind != fetch_kind::price)
      return fetch_error{errc::invalid_argument, "coingecko merges price requests only", 0};
    rapidjson::Document doc;
    auto body_error = [&](const rapidjson::Value& body) {
      return coingecko::parse_error_body(body, reply, recv_ns);
    };
    if (auto e = read_number_text_reply(reply, recv_ns, body_error, doc))
      return *e;
    fetch_result out;
    std::optional<error> first;
    for (auto& x : instruments) {
      std::string id, vs;
      if (!map(x, id, vs))
        continue;
      auto p = coingecko::parse_simple_price(doc, id, vs, x, recv_ns);
      if (p)
        out.prices.push_back(std::move(*p));
      else if (p.err().code != errc::unknown_symbol && !first)
        first = p.err();
    }
    if (out.prices.empty())
      return first ? to_fetch_error(*first)
                   : fetch_error{errc::unknown_symbol, "no instrument coingecko knows", 0};
    return out;
  }

  std::string to_provider_symbol(std::string_view canonical) const override {
    std::string id, vs;
    if (!map(canonical, id, vs))
      return {};
    return id + "/" + vs;
  }

  std::string to_canonical(std::string_view provider_symbol) const override {
    auto slash = provider_symbol.find('/');
    if (slash == std::string_view::npos || slash == 0
        || slash + 1 == provider_symbol.size())
      return {};
    auto id = provider_symbol.substr(0, slash);
    auto quote = ascii_upper(provider_symbol.substr(slash + 1));
    std::string_view base, q;
    for (auto& [canonical, override_id] : overrides_)
      if (override_id == id && split_pair(canonical, base, q) && q == quote)
        return canonical;
    for (auto& [symbol, coin] : coin_ids) {
      if (coin != id)
        continue;
      auto canonical = std::string{symbol} + "-" + quote;
      return is_canonical_instrument(canonical) ? canonical : std::string{};
    }
    return {};
  }

 private:
  // The coin id and vs currency of a canonical "BASE-QUOTE" id.
  bool map(std::string_view canonical, std::string& id,
           std::string& vs) const {
    std::string_view base, quote;
    if (!is_canonical_instrument(canonical)
        || !split_pair(canonical, base, quote))
      return false;
    id.clear();
    for (auto& [c, override_id] : overrides_)
      if (c == canonical)
        id = override_id;
    if (id.empty())
      for (auto& [symbol, coin] : coin_ids)
        if (symbol == base)
          id = coin;
    if (id.empty())
      return false;
    vs = ascii_lower(quote);
    return true;
  }

  // market_chart days: whole days covering [start_ns, end_ns].
  static int64_t history_days(const fetch_request& req) {
    auto span = req.end_ns - req.start_ns;
    auto days = (span + day_ns - 1) / day_ns;
    return days < 1 ? 1 : days;
  }

  // ohlc days for the requested candle size, 0 when it has none.
  static int64_t ohlc_days(const fetch_request& req) {
    if (req.span == interval::m30)
      return 1;
    if (req.span != interval::h4)
      return 0;
    int64_t needed = 7 * day_ns; // provider default range
    if (req.start_ns > 0)
      needed = req.end_ns > req.start_ns ? req.end_ns - req.start_ns
                                         : 30 * day_ns;
    else if (req.limit > 0)
      needed = req.limit > 180 // 30 days of 4h candles
                 ? 30 * day_ns
                 : static_cast<int64_t>(req.limit) * interval_ns(interval::h4);
    if (needed <= 7 * day_ns)
      return 7;
    if (needed <= 14 * day_ns)
      return 14;
    return 30;
  }

  kv_list overrides_;
  coingecko::plan plan_;
};

} // namespace

std::unique_ptr<rest_adapter>
make_coingecko_adapter(const adapter_options& options) {
  return make_coingecko_adapter(options, coingecko::plan::demo);
}

std::unique_ptr<rest_adapter>
make_coingecko_adapter(const adapter_options& options,
                       coingecko::plan key_plan) {
  return std::make_unique<coingecko_adapter>(options, key_plan);
}

} // namespace tickflow
