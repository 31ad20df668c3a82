#include "adapters/massive_futures/massive_futures_instruments.hpp"

#include "adapters/polygon/polygon_paging.hpp"
#include "adapters/polygon/polygon_request.hpp"

namespace tickflow::massive_futures {

outbound_request contracts_request(std::string_view api_key) {
  outbound_request out;
  out.path = std::string{contracts_path};
  out.query.emplace_back("active", "true");
  polygon::add_api_key(out, api_key);
  return out;
}

std::vector<reference_instrument> reference_rows(const page<futures_contract>& p) {
  std::vector<reference_instrument> out;
  out.reserve(p.items.size());
  for (auto& c : p.items) {
    if (!c.active)
      continue;
    reference_instrument x;
    x.symbol = c.ticker;
    x.native = c.ticker;
    x.cls = asset_class::futures;
    x.tick_size = c.trade_tick_size;
    out.push_back(std::move(x));
  }
  return out;
}

result<reference_page> parse_reference_list(std::string_view body) {
  auto p = parse_contracts(body);
  if (!p)
    return p.err();
  reference_page out;
  out.items = reference_rows(*p);
  auto next = polygon::page_of_next_url(p->next_url, "/futures/");
  auto path = std::string_view{next}.substr(0, next.find('?'));
  if (path.size() >= 10 && path.substr(path.size() - 10) == "/contracts")
    out.next = std::move(next);
  return out;
}

result<outbound_request> reference_list_request(std::string_view page,
                                                std::string_view api_key) {
  if (page.empty())
    return contracts_request(api_key);
  return polygon::page_request(page, api_key);
}

} // namespace tickflow::massive_futures
