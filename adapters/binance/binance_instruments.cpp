#include "adapters/binance/binance_instruments.hpp"

#include "adapters/binance/binance_request.hpp"

namespace tickflow::binance {

outbound_request build_futures_exchange_info_request(const credentials& cred) {
  auto out = build_exchange_info_request(cred);
  out.path = futures_exchange_info_path;
  return out;
}

std::vector<reference_instrument> reference_rows(const std::vector<symbol_info>& table) {
  std::vector<reference_instrument> out;
  out.reserve(table.size());
  for (auto& s : table) {
    if (s.status != "TRADING" || s.base_asset.empty() || s.quote_asset.empty())
      continue;
    reference_instrument x;
    x.symbol = s.base_asset + "-" + s.quote_asset;
    x.native = s.symbol;
    x.cls = asset_class::crypto;
    x.tick_size = s.tick_size;
    x.lot_size = s.lot_size;
    out.push_back(std::move(x));
  }
  return out;
}

result<reference_page> parse_reference_list(std::string_view body) {
  auto table = parse_exchange_info(body);
  if (!table)
    return table.err();
  reference_page out;
  out.items = reference_rows(*table);
  return out;
}

} // namespace tickflow::binance
