#pragma once

// The JSON of order books (docs/API.md "Order book", docs/WEBSOCKET.md
// "Book channels"): levels as [["price","size"],...] strings, best first.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/book/book_store.hpp"

namespace tickflow::api {

/// Appends {"instrument":..,"provider":..,"update_id":N,"ts":ns,"time":ISO,
/// "ts_recv":ns,"depth":N,"bids":[["p","s"],..],"asks":[..],"crossed":b}.
void append_json(std::string& out, const book::book_view& v, size_t depth);

/// A book channel's snapshot:
/// {"type":"snapshot","channel":..,"book":{append_json}} (no seq yet).
std::string book_snapshot_message(std::string_view channel,
                                  const book::book_view& v, size_t depth);

/// A book channel's delta: {"type":"book","channel":..,"instrument":..,
/// "update_id":N,"ts":ns,"time":ISO,"bids":[["p","s"],..],"asks":[..],
/// "crossed":b}; a size "0" removes the level.
std::string book_delta_message(std::string_view channel, const book::book_view& v,
                               const std::vector<book_level>& bids,
                               const std::vector<book_level>& asks);

/// A book_top channel's message, "type" "book_top" (a change) or "snapshot":
/// {"type":..,"channel":..,"instrument":..,"update_id":N,"ts":ns,
/// "time":ISO,"bid":["p","s"]|null,"ask":..,"crossed":b}.
std::string book_top_message(std::string_view channel, const book::book_view& v,
                             bool snapshot);

} // namespace tickflow::api
