#include "adapters/alpha_vantage/alpha_vantage_reference.hpp"

#include <optional>
#include <string>

#include "adapters/alpha_vantage/alpha_vantage_provider.hpp"
#include "adapters/common/ascii.hpp"
#include "adapters/common/json_number.hpp"
#include "pipeline/model/text.hpp"

namespace tickflow::alpha_vantage {

namespace {

// Reads optional string fields of the overview object and remembers the
// first problem, like the json readers: check once at the end.
class overview_reader {
 public:
  explicit overview_reader(const rapidjson::Value& object) : object_(object) {}

  /// The text of `name`; "" when absent, null or a missing-value text.
  std::string text(const char* name) {
    auto* v = find(name);
    if (v == nullptr)
      return {};
    auto t = json::text_of(*v);
    return is_missing_value(t) ? std::string{} : std::string{trim_blanks(t)};
  }

  /// The exact number in `name`; unset when absent or a missing-value text.
  decimal number(const char* name) {
    auto* v = find(name);
    if (v == nullptr || is_missing_value(json::text_of(*v)))
      return {};
    auto x = json::decimal_from_number(trim_blanks(json::text_of(*v)));
    if (!x) {
      fail(errc::bad_number, name, x.err().context);
      return {};
    }
    return *x;
  }

  void fail(errc code, std::string_view name, std::string_view problem) {
    if (!err_)
      err_ = error{code, std::string{name} + ": " + std::string{problem}};
  }

  explicit operator bool() const noexcept { return !err_; }
  const error& err() const { return *err_; }

 private:
  // The string value of `name`, nullptr when absent or null; another type
  // is recorded as malformed.
  const rapidjson::Value* find(const char* name) {
    if (err_)
      return nullptr;
    auto* v = json::member(object_, name);
    if (v == nullptr || v->IsNull())
      return nullptr;
    if (!v->IsString()) {
      fail(errc::malformed, name, "expected a string");
      return nullptr;
    }
    return v;
  }

  const rapidjson::Value& object_;
  std::optional<error> err_;
};

std::string asset_type_of(std::string_view type) {
  if (type == "Common Stock")
    return "equity";
  if (type == "ETF")
    return "etf";
  return ascii_lower(type);
}

} // namespace

bool is_missing_value(std::string_view text) noexcept {
  text = trim_blanks(text);
  return text.empty() || text == "None" || text == "-" || text == "N/A";
}

result<asset_profile> parse_overview(const rapidjson::Value& doc, std::string_view instrument,
                                     std::string_view symbol, int64_t recv_ns) {
  if (!doc.IsObject())
    return error{errc::malformed, "not an object"};
  if (doc.MemberCount() == 0)
    return error{errc::unknown_symbol, std::string{symbol}};
  overview_reader in{doc};
  auto echoed = in.text("Symbol");
  if (in && !echoed.empty() && !ascii_iequals(echoed, symbol))
    in.fail(errc::malformed, "Symbol", echoed + ", asked for " + std::string{symbol});
  asset_profile x;
  x.instrument = std::string{instrument};
  x.provider_symbol = std::string{symbol};
  x.source = providers::alpha_vantage;
  x.asset_type = asset_type_of(in.text("AssetType"));
  x.name = in.text("Name");
  x.description = in.text("Description");
  x.exchange = in.text("Exchange");
  x.currency = in.text("Currency");
  x.country = in.text("Country");
  x.sector = in.text("Sector");
  x.industry = in.text("Industry");
  x.homepage = in.text("OfficialSite");
  x.market_cap = in.number("MarketCapitalization");
  x.shares_outstanding = in.number("SharesOutstanding");
  x.pe_ratio = in.number("PERatio");
  x.eps = in.number("EPS");
  x.dividend_yield = in.number("DividendYield");
  x.beta = in.number("Beta");
  x.week52_high = in.number("52WeekHigh");
  x.week52_low = in.number("52WeekLow");
  x.ts_recv_ns = recv_ns;
  if (!in)
    return in.err();
  return x;
}

} // namespace tickflow::alpha_vantage
