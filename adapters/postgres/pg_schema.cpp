#include "adapters/postgres/pg_schema.hpp"

#include <limits>

#include "pipeline/model/time.hpp"

namespace tickflow::pg {

namespace {

// -- migration 1: core tables (both flavors) --------------------------------

constexpr std::string_view core_tables_sql = R"sql(
CREATE TABLE bars (
  provider        TEXT        NOT NULL,
  instrument      TEXT        NOT NULL,
  interval        TEXT        NOT NULL,
  open_time       TIMESTAMPTZ NOT NULL,
  open_time_ns    BIGINT      NOT NULL,
  open            NUMERIC     NOT NULL,
  high            NUMERIC     NOT NULL,
  low             NUMERIC     NOT NULL,
  close           NUMERIC     NOT NULL,
  volume          NUMERIC     NOT NULL,
  trade_count     BIGINT      NOT NULL,
  closed          BOOLEAN     NOT NULL,
  provider_symbol TEXT        NOT NULL,
  flags           BIGINT      NOT NULL,
  ts_recv_ns      BIGINT      NOT NULL,
  written_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, instrument, interval, open_time)
);
CREATE INDEX bars_series ON bars (instrument, interval, open_time);

CREATE TABLE trades (
  provider        TEXT        NOT NULL,
  instrument      TEXT        NOT NULL,
  trade_id        TEXT        NOT NULL,
  ts_event        TIMESTAMPTZ NOT NULL,
  ts_event_ns     BIGINT      NOT NULL,
  price           NUMERIC     NOT NULL,
  size            NUMERIC     NOT NULL,
  side            TEXT        NOT NULL,
  provider_symbol TEXT        NOT NULL,
  flags           BIGINT      NOT NULL,
  ts_recv_ns      BIGINT      NOT NULL,
  written_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, instrument, trade_id)
);
CREATE INDEX trades_series ON trades (instrument, ts_event);

CREATE TABLE quarantine (
  id              BIGSERIAL   NOT NULL,
  rule            TEXT        NOT NULL,
  reason          TEXT        NOT NULL,
  provider        TEXT        NOT NULL,
  instrument      TEXT        NOT NULL,
  event_time      TIMESTAMPTZ NOT NULL,
  event_time_ns   BIGINT      NOT NULL,
  payload         JSONB       NOT NULL,
  seen_at         TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (id)
);
-- A replayed batch must not add its records again.
CREATE UNIQUE INDEX quarantine_dedupe ON quarantine
  (provider, instrument, rule, event_time, event_time_ns, md5(payload::text));
CREATE INDEX quarantine_series ON quarantine (instrument, event_time);
)sql";

// -- migration 2: time layout -----------------------------------------------

constexpr std::string_view plain_layout_sql = R"sql(
CREATE INDEX bars_open_time_brin ON bars USING brin (open_time);
CREATE INDEX trades_ts_event_brin ON trades USING brin (ts_event);
CREATE INDEX quarantine_event_time_brin ON quarantine USING brin (event_time);
)sql";

// Hypertables need the time column in every unique index, hence the new
// primary keys of trades and quarantine. Untested here: Debian 12 has no
// TimescaleDB package.
constexpr std::string_view timescale_layout_sql = R"sql(
CREATE EXTENSION IF NOT EXISTS timescaledb;
ALTER TABLE trades DROP CONSTRAINT trades_pkey,
  ADD PRIMARY KEY (provider, instrument, trade_id, ts_event);
ALTER TABLE quarantine DROP CONSTRAINT quarantine_pkey,
  ADD PRIMARY KEY (id, event_time);
SELECT create_hypertable('bars', 'open_time',
  chunk_time_interval => INTERVAL '7 days', migrate_data => true);
SELECT create_hypertable('trades', 'ts_event',
  chunk_time_interval => INTERVAL '1 day', migrate_data => true);
SELECT create_hypertable('quarantine', 'event_time',
  chunk_time_interval => INTERVAL '7 days', migrate_data => true);
ALTER TABLE bars SET (timescaledb.compress,
  timescaledb.compress_segmentby = 'provider, instrument, "interval"',
  timescaledb.compress_orderby = 'open_time DESC');
SELECT add_compression_policy('bars', INTERVAL '30 days');
ALTER TABLE trades SET (timescaledb.compress,
  timescaledb.compress_segmentby = 'provider, instrument',
  timescaledb.compress_orderby = 'ts_event DESC, trade_id');
SELECT add_compression_policy('trades', INTERVAL '7 days');
)sql";

// -- staging ------------------------------------------------------------------

// Columns of each COPY, in pg_copy's order. The staging tables number rows
// themselves (seq, a serial) so the merge can keep the input order.
constexpr std::string_view bar_columns =
  "provider, instrument, interval, open_time, open_time_ns, open, high, "
  "low, close, volume, trade_count, closed, provider_symbol, flags, "
  "ts_recv_ns";

constexpr std::string_view bar_column_types =
  "seq BIGSERIAL, provider TEXT, instrument TEXT, interval TEXT, "
  "open_time TIMESTAMPTZ, open_time_ns BIGINT, open NUMERIC, high NUMERIC, "
  "low NUMERIC, close NUMERIC, volume NUMERIC, trade_count BIGINT, "
  "closed BOOLEAN, provider_symbol TEXT, flags BIGINT, ts_recv_ns BIGINT";

constexpr std::string_view trade_columns =
  "provider, instrument, trade_id, ts_event, ts_event_ns, price, size, side, "
  "provider_symbol, flags, ts_recv_ns";

constexpr std::string_view trade_column_types =
  "seq BIGSERIAL, provider TEXT, instrument TEXT, trade_id TEXT, "
  "ts_event TIMESTAMPTZ, ts_event_ns BIGINT, price NUMERIC, size NUMERIC, "
  "side TEXT, provider_symbol TEXT, flags BIGINT, ts_recv_ns BIGINT";

constexpr std::string_view quarantine_columns =
  "rule, reason, provider, instrument, event_time, event_time_ns, "
  "payload, seen_at";

constexpr std::string_view quarantine_column_types =
  "seq BIGSERIAL, rule TEXT, reason TEXT, provider TEXT, "
  "instrument TEXT, event_time TIMESTAMPTZ, event_time_ns BIGINT, "
  "payload TEXT, seen_at TIMESTAMPTZ";

constexpr std::string_view bars_merge_sql = R"sql(
INSERT INTO bars AS b (provider, instrument, interval, open_time,
  open_time_ns, open, high, low, close, volume, trade_count, closed,
  provider_symbol, flags, ts_recv_ns)
SELECT DISTINCT ON (provider, instrument, interval, open_time)
  provider, instrument, interval, open_time, open_time_ns, open, high, low,
  close, volume, trade_count, closed, provider_symbol, flags, ts_recv_ns
FROM tickflow_stage_bars
ORDER BY provider, instrument, interval, open_time, seq DESC
ON CONFLICT (provider, instrument, interval, open_time) DO UPDATE SET
  open_time_ns = EXCLUDED.open_time_ns, open = EXCLUDED.open,
  high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
  volume = EXCLUDED.volume, trade_count = EXCLUDED.trade_count,
  closed = EXCLUDED.closed, provider_symbol = EXCLUDED.provider_symbol,
  flags = EXCLUDED.flags, ts_recv_ns = EXCLUDED.ts_recv_ns,
  written_at = now()
WHERE (b.open_time_ns, b.open, b.high, b.low, b.close, b.volume,
       b.trade_count, b.closed, b.provider_symbol, b.flags)
      IS DISTINCT FROM
      (EXCLUDED.open_time_ns, EXCLUDED.open, EXCLUDED.high, EXCLUDED.low,
       EXCLUDED.close, EXCLUDED.volume, EXCLUDED.trade_count,
       EXCLUDED.closed, EXCLUDED.provider_symbol, EXCLUDED.flags)
  AND (EXCLUDED.closed OR NOT b.closed)
)sql";

constexpr std::string_view trades_merge_sql = R"sql(
INSERT INTO trades (provider, instrument, trade_id, ts_event, ts_event_ns,
  price, size, side, provider_symbol, flags, ts_recv_ns)
SELECT provider, instrument, trade_id, ts_event, ts_event_ns, price, size,
  side, provider_symbol, flags, ts_recv_ns
FROM tickflow_stage_trades
ORDER BY seq
ON CONFLICT DO NOTHING
)sql";

constexpr std::string_view quarantine_merge_sql = R"sql(
INSERT INTO quarantine (rule, reason, provider, instrument, event_time,
  event_time_ns, payload, seen_at)
SELECT rule, reason, provider, instrument, event_time, event_time_ns,
  payload::jsonb, seen_at
FROM tickflow_stage_quarantine
ORDER BY seq
ON CONFLICT DO NOTHING
)sql";

std::string stage_name(table t) {
  std::string out = "tickflow_stage_";
  out.append(to_string(t));
  return out;
}

} // namespace

std::string_view to_string(storage_flavor f) noexcept {
  return f == storage_flavor::timescale ? "timescale" : "plain";
}

std::optional<storage_flavor>
flavor_from_string(std::string_view name) noexcept {
  if (name == "plain")
    return storage_flavor::plain;
  if (name == "timescale")
    return storage_flavor::timescale;
  return std::nullopt;
}

std::vector<migration> migrations(storage_flavor flavor) {
  std::vector<migration> out;
  out.push_back({1, "core tables: bars, trades, quarantine",
                 std::string{core_tables_sql}});
  if (flavor == storage_flavor::timescale)
    out.push_back({2, "time layout: timescaledb hypertables + compression",
                   std::string{timescale_layout_sql}});
  else
    out.push_back({2, "time layout: BRIN indexes on time",
                   std::string{plain_layout_sql}});
  return out;
}

std::string_view schema_migrations_ddl() noexcept {
  return "CREATE TABLE IF NOT EXISTS schema_migrations ("
         "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
         "flavor TEXT NOT NULL, "
         "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())";
}

std::string_view detect_timescale_sql() noexcept {
  return "SELECT EXISTS (SELECT 1 FROM pg_available_extensions "
         "WHERE name = 'timescaledb') "
         "AND current_setting('shared_preload_libraries') "
         "LIKE '%timescaledb%'";
}

std::string_view to_string(table t) noexcept {
  switch (t) {
    case table::bars:
      return "bars";
    case table::trades:
      return "trades";
    case table::quarantine:
      return "quarantine";
  }
  return "bars";
}

std::string_view time_column(table t) noexcept {
  switch (t) {
    case table::bars:
      return "open_time";
    case table::trades:
      return "ts_event";
    case table::quarantine:
      return "event_time";
  }
  return "open_time";
}

std::string staging_ddl(table t) {
  std::string_view types;
  switch (t) {
    case table::bars:
      types = bar_column_types;
      break;
    case table::trades:
      types = trade_column_types;
      break;
    case table::quarantine:
      types = quarantine_column_types;
      break;
  }
  std::string out = "CREATE TEMP TABLE IF NOT EXISTS " + stage_name(t) + " (";
  out.append(types);
  out.append(") ON COMMIT DELETE ROWS");
  return out;
}

std::string copy_sql(table t) {
  std::string_view columns;
  switch (t) {
    case table::bars:
      columns = bar_columns;
      break;
    case table::trades:
      columns = trade_columns;
      break;
    case table::quarantine:
      columns = quarantine_columns;
      break;
  }
  std::string out = "COPY " + stage_name(t) + " (";
  out.append(columns);
  out.append(") FROM STDIN");
  return out;
}

std::string direct_copy_sql(table t) {
  if (t != table::trades)
    return {};
  std::string out = "COPY trades (";
  out.append(trade_columns);
  out.append(") FROM STDIN");
  return out;
}

std::string merge_sql(table t) {
  switch (t) {
    case table::bars:
      return std::string{bars_merge_sql};
    case table::trades:
      return std::string{trades_merge_sql};
    case table::quarantine:
      return std::string{quarantine_merge_sql};
  }
  return {};
}

std::string_view read_bars_sql() noexcept {
  return "SELECT provider, instrument, provider_symbol, interval, "
         "open_time_ns, open::text, high::text, low::text, close::text, "
         "volume::text, trade_count, closed, flags, ts_recv_ns "
         "FROM bars WHERE instrument = $1 AND interval = $2 "
         "AND open_time >= $3::timestamptz AND open_time <= $4::timestamptz "
         "AND open_time_ns >= $5::bigint AND open_time_ns < $6::bigint "
         "AND ($8::text IS NULL OR provider = $8::text) "
         "ORDER BY open_time_ns, provider LIMIT $7::bigint";
}

std::string_view read_trades_sql() noexcept {
  return "SELECT provider, instrument, provider_symbol, trade_id, "
         "ts_event_ns, price::text, size::text, side, flags, ts_recv_ns "
         "FROM trades WHERE instrument = $1 "
         "AND ts_event >= $2::timestamptz AND ts_event <= $3::timestamptz "
         "AND ts_event_ns >= $4::bigint AND ts_event_ns < $5::bigint "
         "ORDER BY ts_event_ns, trade_id LIMIT $6::bigint";
}

std::string_view read_newest_trades_sql() noexcept {
  return "SELECT provider, instrument, provider_symbol, trade_id, "
         "ts_event_ns, price::text, size::text, side, flags, ts_recv_ns "
         "FROM trades WHERE instrument = $1 "
         "AND ts_event >= $2::timestamptz AND ts_event <= $3::timestamptz "
         "AND ts_event_ns >= $4::bigint AND ts_event_ns < $5::bigint "
         "ORDER BY ts_event_ns DESC, trade_id DESC LIMIT $6::bigint";
}

std::string count_sql(table t) {
  std::string out = "SELECT count(*) FROM ";
  out.append(to_string(t));
  out.append(" WHERE ($1::text IS NULL OR instrument = $1::text)");
  return out;
}

std::string retention_sql(storage_flavor flavor, table t, int64_t cutoff_ns) {
  auto cutoff = pg_timestamp(cutoff_ns);
  std::string out;
  if (flavor == storage_flavor::timescale) {
    out = "SELECT drop_chunks('";
    out.append(to_string(t));
    out.append("', older_than => '");
    out.append(cutoff);
    out.append("'::timestamptz)");
  } else {
    out = "DELETE FROM ";
    out.append(to_string(t));
    out.append(" WHERE ");
    out.append(time_column(t));
    out.append(" < '");
    out.append(cutoff);
    out.append("'::timestamptz");
  }
  return out;
}

std::string pg_timestamp(int64_t ts_ns) {
  // Floor to whole microseconds (the TIMESTAMPTZ resolution) without
  // overflowing near the int64 minimum.
  auto rem = ts_ns % ns_per_us; // in (-1000, 1000)
  if (rem < 0
      && ts_ns - rem >= std::numeric_limits<int64_t>::min() + ns_per_us)
    rem += ns_per_us; // else the floor does not fit: truncate instead
  return format_iso8601(ts_ns - rem);
}

} // namespace tickflow::pg
