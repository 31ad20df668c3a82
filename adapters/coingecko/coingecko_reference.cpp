#include "adapters/coingecko/coingecko_reference.hpp"

#include <optional>
#include <string>

#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/common/ascii.hpp"
#include "adapters/common/json_number.hpp"

namespace tickflow::coingecko {

namespace {

// Optional fields of a numbers-as-text document: absent and null read as
// unset; the first wrong type or bad number is remembered (check once).
class optional_reader {
 public:
  /// The string `name` of `object` ("" when absent or null).
  std::string text(const rapidjson::Value& object, const char* name) {
    auto* v = find(object, name);
    if (v == nullptr)
      return {};
    if (!v->IsString()) {
      fail(errc::malformed, name, "expected a string");
      return {};
    }
    return std::string{json::text_of(*v)};
  }

  /// The number `name` of `object` (unset when absent or null).
  decimal number(const rapidjson::Value& object, const char* name) {
    auto* v = find(object, name);
    if (v == nullptr)
      return {};
    auto x = json::to_decimal(*v);
    if (!x) {
      fail(errc::bad_number, name, x.err().context);
      return {};
    }
    return *x;
  }

  /// The object `name` of `object` (nullptr when absent or null).
  const rapidjson::Value* object(const rapidjson::Value& parent, const char* name) {
    auto* v = find(parent, name);
    if (v != nullptr && !v->IsObject()) {
      fail(errc::malformed, name, "expected an object");
      return nullptr;
    }
    return v;
  }

  /// The array `name` of `object` (nullptr when absent or null).
  const rapidjson::Value* array(const rapidjson::Value& parent, const char* name) {
    auto* v = find(parent, name);
    if (v != nullptr && !v->IsArray()) {
      fail(errc::malformed, name, "expected an array");
      return nullptr;
    }
    return v;
  }

  /// The first non-empty string of array `name` ("" when there is none).
  std::string first_text(const rapidjson::Value& parent, const char* name) {
    auto* xs = array(parent, name);
    if (xs == nullptr)
      return {};
    for (auto& x : xs->GetArray()) {
      if (x.IsNull())
        continue;
      if (!x.IsString()) {
        fail(errc::malformed, name, "expected strings");
        return {};
      }
      if (x.GetStringLength() > 0)
        return std::string{json::text_of(x)};
    }
    return {};
  }

  void fail(errc code, std::string_view name, std::string_view problem) {
    if (!err_)
      err_ = error{code, std::string{name} + ": " + std::string{problem}};
  }

  explicit operator bool() const noexcept { return !err_; }
  const error& err() const { return *err_; }

 private:
  const rapidjson::Value* find(const rapidjson::Value& object, const char* name) {
    if (err_ || !object.IsObject())
      return nullptr;
    auto* v = json::member(object, name);
    return v == nullptr || v->IsNull() ? nullptr : v;
  }

  std::optional<error> err_;
};

} // namespace

outbound_request coin_request(std::string_view id) {
  outbound_request out;
  out.method = "GET";
  out.path = "/api/v3/coins/" + url_encode(id);
  out.query = {{"localization", "false"},  {"tickers", "false"},
               {"market_data", "true"},    {"community_data", "false"},
               {"developer_data", "false"}, {"sparkline", "false"}};
  return out;
}

result<asset_profile> parse_coin(const rapidjson::Value& doc, std::string_view id,
                                 std::string_view vs, std::string_view instrument,
                                 int64_t recv_ns) {
  if (!doc.IsObject())
    return error{errc::malformed, "not an object"};
  optional_reader in;
  auto echoed = in.text(doc, "id");
  if (in && !echoed.empty() && echoed != id)
    in.fail(errc::malformed, "id", "\"" + echoed + "\", asked for \"" + std::string{id} + "\"");
  asset_profile x;
  x.instrument = std::string{instrument};
  x.provider_symbol = std::string{id} + "/" + std::string{vs};
  x.source = providers::coingecko;
  x.asset_type = "crypto";
  x.currency = ascii_upper(vs);
  x.name = in.text(doc, "name");
  if (auto* d = in.object(doc, "description"))
    x.description = in.text(*d, "en");
  if (auto* links = in.object(doc, "links"))
    x.homepage = in.first_text(*links, "homepage");
  if (auto* image = in.object(doc, "image")) {
    for (auto size : {"large", "small", "thumb"})
      if (x.logo.empty())
        x.logo = in.text(*image, size);
  }
  x.ipo_date = in.text(doc, "genesis_date");
  x.sector = in.first_text(doc, "categories");
  x.country = in.text(doc, "country_origin");
  if (auto* market = in.object(doc, "market_data")) {
    if (auto* caps = in.object(*market, "market_cap"))
      x.market_cap = in.number(*caps, std::string{vs}.c_str());
    x.shares_outstanding = in.number(*market, "circulating_supply");
  }
  x.ts_recv_ns = recv_ns;
  if (!in)
    return in.err();
  return x;
}

} // namespace tickflow::coingecko
