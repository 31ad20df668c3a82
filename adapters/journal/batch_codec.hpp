#pragma once

// An exact binary form of event_batch for the journal: every field as
// stored in memory, decimals as mantissa + scale, no text conversion.
//
//   "TFB" 0x02                       magic + format version
//   u32 trades, u32 quotes, u32 bars, u32 statuses counts
//   trade: str instrument, str provider_symbol, u8 provider, dec price,
//          dec size, u8 side, str trade_id, i64 ts_event_ns,
//          i64 ts_recv_ns, u32 flags
//   quote: str instrument, str provider_symbol, u8 provider,
//          dec bid_price, dec bid_size, dec ask_price, dec ask_size,
//          i64 ts_event_ns, i64 ts_recv_ns, u32 flags
//   bar:   str instrument, str provider_symbol, u8 provider, u8 interval,
//          i64 open_time_ns, dec open, dec high, dec low, dec close,
//          dec volume, u64 trade_count, u8 closed, i64 ts_recv_ns, u32 flags
//   status: u8 provider, str connection, u8 state, i64 gap_start_ns,
//          i64 gap_end_ns, str reason, i64 ts_ns
//   str = u32 length + bytes; dec = i64 mantissa + u8 scale; all integers
//   little endian. Enums are their underlying values. Version 0x01 (no
//   statuses count, no statuses: journals of earlier releases) still decodes.

#include <string>
#include <string_view>

#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::journal {

/// Serializes `batch` (lossless).
std::string encode_batch(const event_batch& batch);

/// Appends encode_batch(batch) to `out` (hot path, no temporary).
void append_batch(std::string& out, const event_batch& batch);

/// Inverse of encode_batch. errc::malformed, naming the field, for a wrong
/// magic or version, truncated input, trailing bytes, an unknown provider,
/// side or interval, or a decimal scale above 18. Never throws and never
/// allocates more than the input can describe.
result<event_batch> decode_batch(std::string_view bytes);

} // namespace tickflow::journal
