#include "pipeline/model/fetch_kind.hpp"

namespace tickflow {

std::string_view to_string(fetch_kind k) noexcept {
  switch (k) {
    case fetch_kind::price:
      return "price";
    case fetch_kind::bars:
      return "bars";
    case fetch_kind::quote:
      return "quote";
    case fetch_kind::trades:
      return "trades";
    case fetch_kind::profile:
      return "profile";
    case fetch_kind::news:
      return "news";
    case fetch_kind::splits:
      return "splits";
    case fetch_kind::dividends:
      return "dividends";
  }
  return "unknown";
}

} // namespace tickflow
