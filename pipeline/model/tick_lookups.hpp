#pragma once

// The lookups of the quote and trades routes (GET /api/v1/data/quote and
// /api/v1/data/trades), asked of the cache and the storage writer.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/model/events.hpp"
#include "pipeline/model/reports.hpp"

namespace tickflow {

/// Reply to get_quote_atom: the latest quote of an instrument.
struct quote_reply {
  lookup_status status = lookup_status::unknown;
  quote value;
};

/// Trades of one instrument: the newest `limit` with event time in
/// [start_ns, end_ns] (0: unbounded).
struct trades_query {
  std::string instrument;
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  size_t limit = 100;
};

/// Reply to get_trades_atom, oldest trade first.
struct trades_reply {
  lookup_status status = lookup_status::unknown;
  std::vector<trade> trades;
  /// Nothing older belongs to the answer (cache::recent_answer::complete).
  bool complete = false;
};

} // namespace tickflow
