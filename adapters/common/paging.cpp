#include "adapters/common/paging.hpp"

#include <iterator>
#include <utility>

namespace tickflow {

pager::pager(const rest_adapter* a, fetch_request whole)
  : adapter_(a), wanted_(whole.limit), asked_(std::move(whole)) {
  if (adapter_ == nullptr || asked_.kind != fetch_kind::bars)
    return;
  auto page = adapter_->page_limit(asked_.kind);
  if (page > 0 && (asked_.limit == 0 || asked_.limit > page))
    asked_.limit = page;
}

std::optional<fetch_request> pager::take(fetch_result got) {
  ++pages_;
  std::optional<fetch_request> next;
  if (adapter_ != nullptr && asked_.kind == fetch_kind::bars && pages_ < max_pages)
    next = adapter_->next_page(asked_, got);
  auto& bars = joined_.bars;
  if (pages_ == 1) {
    joined_ = std::move(got);
  } else {
    bars.insert(bars.end(), std::make_move_iterator(got.bars.begin()),
                std::make_move_iterator(got.bars.end()));
  }
  joined_.next_page.clear();
  if (!next || (wanted_ > 0 && bars.size() >= wanted_))
    return std::nullopt;
  if (wanted_ > 0 && next->limit > 0 && next->page.empty())
    next->limit = std::min(next->limit, wanted_ - bars.size());
  asked_ = *next;
  return next;
}

fetch_result pager::result() && {
  return std::move(joined_);
}

} // namespace tickflow
