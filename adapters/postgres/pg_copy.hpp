#pragma once

// Pure encoders for COPY ... FROM STDIN in PostgreSQL's text format: one
// line per row, fields separated by tabs, with backslash escapes. The column
// order of each row is the one of pg_schema's copy_sql().

#include <string>
#include <string_view>
#include <vector>

#include "adapters/postgres/pg_schema.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::pg {

/// `text` as valid UTF-8 that PostgreSQL accepts in TEXT: every NUL byte and
/// every invalid UTF-8 sequence (maximal subpart) becomes U+FFFD. Valid text
/// comes back unchanged.
std::string sanitize_text(std::string_view text);

/// Appends one COPY text-format field: sanitize_text(value) with `\` `\n`
/// `\r` `\t` `\b` `\f` `\v` escaped, so tabs, newlines and backslashes
/// survive.
void append_copy_field(std::string& out, std::string_view value);

/// A JSON text PostgreSQL's jsonb accepts for a quarantine payload: the
/// payload itself when it is valid JSON (RapidJSON, UTF-8 validated) without
/// \u0000 or surrogate escapes, nested at most 512 deep, with numbers in the
/// double range; otherwise the whole payload as one JSON string (sanitized),
/// so nothing is lost and the batch still loads.
std::string jsonb_payload(std::string_view payload);

/// The trade id stored for `x`: its own, or for an empty one a synthetic
/// "~<ts_event_ns>:<price>:<size>:<side>" so id-less trades are neither
/// merged with each other nor duplicated when a batch is written twice.
std::string storage_trade_id(const trade& x);

/// COPY rows for tickflow_stage_bars (columns of pg_schema's copy_sql).
std::string copy_rows(const std::vector<bar>& rows);

/// COPY rows for tickflow_stage_trades, or for trades itself
/// (direct_copy_sql): the columns are the same.
std::string copy_rows(const std::vector<trade>& rows);

/// COPY rows for tickflow_stage_quarantine.
std::string copy_rows(const std::vector<quarantine_record>& rows);

} // namespace tickflow::pg
