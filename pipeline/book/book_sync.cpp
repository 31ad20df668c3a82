#include "pipeline/book/book_sync.hpp"

#include <utility>

namespace tickflow::book {

std::string_view to_string(resync_reason r) noexcept {
  switch (r) {
    case resync_reason::none:
      return "none";
    case resync_reason::gap:
      return "gap";
    case resync_reason::snapshot_behind:
      return "snapshot_behind";
    case resync_reason::crossed:
      return "crossed";
    case resync_reason::buffer_overflow:
      return "buffer_overflow";
    case resync_reason::checksum_mismatch:
      return "checksum_mismatch";
  }
  return "unknown";
}

book_sync::book_sync(sync_settings settings)
    : settings_(settings), book_(settings.max_depth) {
  // nop
}

book_sync::verdict book_sync::judge(const book_delta& d) const noexcept {
  const uint64_t id = book_.last_update_id();
  if (settings_.rule == continuity_rule::consecutive_ids) {
    if (d.last_update_id <= id)
      return verdict::stale;
    if (!first_applied_)
      return d.first_update_id <= id + 1 ? verdict::apply : verdict::behind;
    return d.first_update_id == id + 1 ? verdict::apply : verdict::gap;
  }
  if (!first_applied_) {
    // The diff ending exactly at the snapshot id still straddles it.
    if (d.last_update_id < id)
      return verdict::stale;
    return d.first_update_id <= id ? verdict::apply : verdict::behind;
  }
  if (d.last_update_id <= id)
    return verdict::stale;
  return d.prev_last_update_id == id ? verdict::apply : verdict::gap;
}

resync_reason book_sync::apply(const book_delta& d) {
  for (const auto& l : d.bids)
    book_.apply(side::bid, l.price, l.size);
  for (const auto& l : d.asks)
    book_.apply(side::ask, l.price, l.size);
  book_.set_last_update(d.last_update_id, d.ts_event_ns);
  first_applied_ = true;
  ++stats_.applied;
  return book_.crossed() ? resync_reason::crossed : resync_reason::none;
}

void book_sync::invalidate(sync_outcome& out, resync_reason why) {
  state_ = sync_state::awaiting_snapshot;
  first_applied_ = false;
  buffer_.clear();
  book_.clear();
  out.resync = why;
  ++stats_.resyncs;
}

sync_outcome book_sync::on_delta(book_delta delta) {
  sync_outcome out;
  if (state_ == sync_state::awaiting_snapshot) {
    if (buffer_.size() >= settings_.max_buffered) {
      stats_.overflowed += buffer_.size();
      invalidate(out, resync_reason::buffer_overflow);
    }
    buffer_.push_back(std::move(delta));
    out.buffered = 1;
    return out;
  }
  auto v = judge(delta);
  switch (v) {
    case verdict::stale:
      ++stats_.stale;
      out.stale = 1;
      break;
    case verdict::apply:
      out.applied = 1;
      if (auto why = apply(delta); why != resync_reason::none)
        invalidate(out, why);
      break;
    case verdict::gap:
    case verdict::behind:
      invalidate(out, v == verdict::gap ? resync_reason::gap
                                        : resync_reason::snapshot_behind);
      // The newest diff is still good data for the next snapshot.
      buffer_.push_back(std::move(delta));
      out.buffered = 1;
      break;
  }
  return out;
}

sync_outcome book_sync::on_snapshot(book_snapshot snapshot) {
  sync_outcome out;
  book_.apply_snapshot(snapshot.bids, snapshot.asks, snapshot.last_update_id,
                       snapshot.ts_event_ns);
  state_ = sync_state::synced;
  first_applied_ = false;
  ++stats_.snapshots;
  auto pending = std::move(buffer_);
  buffer_.clear();
  if (book_.crossed()) {
    invalidate(out, resync_reason::crossed);
    buffer_ = std::move(pending); // still good for the next snapshot
    out.buffered = static_cast<uint32_t>(buffer_.size());
    return out;
  }
  while (!pending.empty()) {
    auto v = judge(pending.front());
    if (v == verdict::stale) {
      ++stats_.stale;
      ++out.stale;
      pending.pop_front();
      continue;
    }
    resync_reason why = resync_reason::none;
    if (v == verdict::apply) {
      ++out.applied;
      why = apply(pending.front());
      pending.pop_front(); // applied: not kept even when the book crossed
    } else {
      why = v == verdict::gap ? resync_reason::gap
                              : resync_reason::snapshot_behind;
    }
    if (why != resync_reason::none) {
      invalidate(out, why);
      // The rest are newer than anything applied: keep them for the next
      // snapshot.
      buffer_ = std::move(pending);
      out.buffered = static_cast<uint32_t>(buffer_.size());
      return out;
    }
  }
  return out;
}

void book_sync::reset() {
  state_ = sync_state::awaiting_snapshot;
  first_applied_ = false;
  buffer_.clear();
  book_.clear();
}

} // namespace tickflow::book
