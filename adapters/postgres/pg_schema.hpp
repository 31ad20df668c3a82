#pragma once

// The PostgreSQL schema of tickflow (docs/STORAGE.md) as pure SQL builders:
// versioned migrations, staging tables for COPY batches, the merge
// statements that move a batch into its table, read queries and retention.
// Nothing here talks to a server; pg_client runs what this builds.
//
// Time: every event time is stored twice, as TIMESTAMPTZ (microseconds,
// floored; the partitioning/BRIN/retention column and what humans query)
// and as BIGINT ns (exact; what tickflow reads back). Decimals are NUMERIC
// written from decimal::to_string text, so "0.00100000" is stored and read
// back as "0.001" and never passes through a double.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.hpp"
#include "pipeline/model/provider.hpp"

namespace tickflow::pg {

/// How time-series tables are laid out, chosen once at the first migration.
enum class storage_flavor : uint8_t {
  plain,     ///< ordinary tables with BRIN indexes on time
  timescale, ///< TimescaleDB hypertables with a compression policy
};

/// "plain" or "timescale".
std::string_view to_string(storage_flavor f) noexcept;

/// Inverse of to_string; nullopt for anything else.
std::optional<storage_flavor>
flavor_from_string(std::string_view name) noexcept;

/// One schema step. Versions start at 1 and increase by 1.
struct migration {
  int version = 0;
  std::string description;
  std::string sql; ///< one or more statements, run in one transaction
};

/// Every migration of `flavor`, in version order. Step 1 (core tables) is
/// the same for both flavors; step 2 is the time layout (BRIN indexes, or
/// timescaledb + hypertables + compression policies).
std::vector<migration> migrations(storage_flavor flavor);

/// pg_advisory_lock key held while migrating ("tickflow" in ASCII), so two
/// processes cannot apply the same step at once.
constexpr int64_t migration_lock_key = 0x7469636b666c6f77;

/// CREATE TABLE IF NOT EXISTS schema_migrations (version, description,
/// flavor, applied_at).
std::string_view schema_migrations_ddl() noexcept;

/// One row, one boolean column: true when timescaledb is available and
/// preloaded (CREATE EXTENSION would fail otherwise).
std::string_view detect_timescale_sql() noexcept;

// -- tables ---------------------------------------------------------------

/// The tables tickflow writes.
enum class table : uint8_t { bars, trades, quarantine };

/// "bars", "trades", "quarantine".
std::string_view to_string(table t) noexcept;

/// The TIMESTAMPTZ column that orders a table in time: "open_time",
/// "ts_event", "event_time".
std::string_view time_column(table t) noexcept;

/// CREATE TEMP TABLE IF NOT EXISTS tickflow_stage_<table> (...) ON COMMIT
/// DELETE ROWS: where a COPY batch lands; its serial `seq` numbers the rows
/// in input order.
std::string staging_ddl(table t);

/// COPY tickflow_stage_<table> (<columns>) FROM STDIN (text format), with
/// the columns pg_copy's copy_rows writes.
std::string copy_sql(table t);

/// COPY straight into the table with the same columns as copy_sql, for
/// tables whose merge only skips known keys (trades); empty for the others.
/// It fails as a whole on the first known key, and the batch then takes the
/// staging + merge way.
std::string direct_copy_sql(table t);

/// Moves the staged batch into its table; the command tag counts the rows
/// written. bars: INSERT ... SELECT DISTINCT ON the key (the last staged
/// row of a key wins) ON CONFLICT (key) DO UPDATE only when a value
/// changed, and never turns a closed bar back into an open one; so writing
/// the same batch twice writes 0 rows the second time. trades and
/// quarantine: INSERT ... SELECT ... ON CONFLICT DO NOTHING (first wins).
std::string merge_sql(table t);

/// Bars of one series. Parameters: $1 instrument, $2 interval name,
/// $3 start (timestamptz text), $4 end (timestamptz text, inclusive coarse
/// bound), $5 start_ns, $6 end_ns (exact, half-open), $7 limit (NULL = no
/// limit), $8 provider (NULL = any). Columns: provider, instrument,
/// provider_symbol, interval, open_time_ns, open, high, low, close, volume
/// (NUMERIC as text), trade_count, closed, flags, ts_recv_ns. Ordered by
/// open time, then provider.
std::string_view read_bars_sql() noexcept;

/// Trades of one instrument: $1 instrument, $2/$3 coarse timestamptz
/// bounds, $4/$5 exact ns bounds (half-open), $6 limit (NULL = none).
/// Columns: provider, instrument, provider_symbol, trade_id, ts_event_ns,
/// price, size (text), side, flags, ts_recv_ns. Ordered by time, trade id.
std::string_view read_trades_sql() noexcept;

/// As read_trades_sql, newest first: the newest $6 trades of the range.
std::string_view read_newest_trades_sql() noexcept;

/// SELECT count(*) FROM <table> WHERE ($1::text IS NULL OR instrument = $1).
std::string count_sql(table t);

/// Deletes what is older than cutoff_ns from `t`: DELETE ... WHERE
/// <time column> < cutoff (plain), or SELECT drop_chunks(...) (timescale,
/// which drops only chunks entirely older than the cutoff).
std::string retention_sql(storage_flavor flavor, table t, int64_t cutoff_ns);

/// Timestamp literal text for a TIMESTAMPTZ: ns floored to microseconds,
/// ISO 8601 in UTC ("2024-01-02T03:04:05.123456Z").
std::string pg_timestamp(int64_t ts_ns);

// -- rows -----------------------------------------------------------------

/// An event a validator refused, kept for inspection.
struct quarantine_record {
  std::string rule;       ///< validator rule name ("ohlc_sanity")
  std::string reason;     ///< human-readable why
  provider source{};
  std::string instrument; ///< as received; may be unknown or non-canonical
  int64_t event_time_ns = 0;
  std::string payload;    ///< JSON of the event (raw text is kept as a string)
  int64_t seen_at_ns = 0; ///< when the validator saw it (caller's clock)
};

} // namespace tickflow::pg
