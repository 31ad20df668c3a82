#pragma once

// A synchronous libpq connection for one owner (a detached actor): every
// call blocks (bounded by connect_timeout and statement_timeout), never
// throws, and reports failures as errc::unavailable with the server's
// message (never the conninfo or a password). A call that finds the
// connection broken drops it; the next call connects again. connect()
// reconnects explicitly.
//
// Writes are COPY batches: one transaction per call that COPYs the rows
// into a TEMP staging table and merges them with INSERT ... SELECT ...
// ON CONFLICT, so a batch is written entirely or not at all, and writing it
// again (a retry, a journal replay) adds nothing.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/postgres/pg_schema.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

struct pg_conn;

namespace tickflow::pg {

/// Where and how to connect.
struct client_options {
  /// libpq conninfo: "host=... port=... dbname=..." or a postgresql:// URI.
  std::string conninfo;
  /// Connect timeout in seconds (libpq's minimum is 2).
  int connect_timeout_s = 5;
  /// Server-side limit per statement; 0 = none.
  int statement_timeout_ms = 30'000;
  /// application_name shown in pg_stat_activity.
  std::string application_name = "tickflow";
};

/// What migrate() did.
struct migration_report {
  storage_flavor flavor = storage_flavor::plain;
  int applied = 0;         ///< steps applied by this call
  int current_version = 0; ///< highest version now recorded
};

/// One libpq connection. Not thread-safe: one per actor.
class pg_client {
 public:
  /// A client that is not connected yet.
  pg_client() = default;
  /// A client that connects lazily with `opts` on its first call.
  explicit pg_client(client_options opts);
  /// Closes the connection.
  ~pg_client();

  /// Takes over the connection of `other`.
  pg_client(pg_client&& other) noexcept;
  /// Closes this connection and takes over `other`'s.
  pg_client& operator=(pg_client&& other) noexcept;
  pg_client(const pg_client&) = delete;
  pg_client& operator=(const pg_client&) = delete;

  /// Connects with `conninfo` (dropping any current connection) and keeps
  /// it for later reconnects. Notices are silenced, client_encoding is UTF8.
  result<void> connect(const std::string& conninfo, int timeout_s = 5);

  /// Connects again with the stored options (explicit reconnect).
  result<void> connect();

  /// Closes the connection; the next call reconnects.
  void disconnect() noexcept;

  /// True while a connection is open.
  bool connected() const noexcept { return conn_ != nullptr; }

  /// Applies the missing migrations in version order, each in its own
  /// transaction, under pg_advisory_lock(migration_lock_key), recording
  /// them in schema_migrations. The flavor is the one recorded by the first
  /// migration, or on a fresh database timescale when detect_timescale_sql()
  /// says so, else plain. Running it again applies nothing.
  result<migration_report> migrate();

  /// The flavor recorded in schema_migrations (read once, then cached).
  result<storage_flavor> flavor();

  /// Writes bars (upsert: a changed bar replaces the stored one, an open bar
  /// never replaces a closed one). Returns the rows inserted or changed.
  result<size_t> write_bars(const std::vector<bar>& rows);

  /// Writes trades (insert; a known (provider, instrument, trade id) is
  /// skipped). Returns the rows inserted. A batch of new trades goes in with
  /// one COPY straight into the table; one holding a stored key is merged
  /// through the staging table (see copies()).
  result<size_t> write_trades(const std::vector<trade>& rows);

  /// How trade batches went in: by direct COPY, through the merge, and how
  /// many direct COPYs met a stored key (and were merged instead).
  struct copy_counts {
    uint64_t direct = 0;
    uint64_t merged = 0;
    uint64_t conflicts = 0;
  };
  const copy_counts& copies() const noexcept { return copies_; }

  /// Writes quarantine records (insert; a record equal to a stored one in
  /// provider, instrument, rule, event time and payload is skipped).
  /// Returns the rows inserted.
  result<size_t> write_quarantine(const std::vector<quarantine_record>& rows);

  /// Bars of (instrument, span) with open time in [start_ns, end_ns),
  /// oldest first, at most `limit` (0 = no limit), of one provider or of
  /// all. errc::malformed if a stored row does not decode.
  result<std::vector<bar>> read_bars(const std::string& instrument,
                                     interval span, int64_t start_ns,
                                     int64_t end_ns, size_t limit,
                                     std::optional<provider> source = {});

  /// Trades of `instrument` with ts_event in [start_ns, end_ns), oldest
  /// first, at most `limit` (0 = no limit): the oldest `limit`, or with
  /// `newest` the newest `limit` of the range.
  result<std::vector<trade>> read_trades(const std::string& instrument,
                                         int64_t start_ns, int64_t end_ns,
                                         size_t limit, bool newest = false);

  /// Rows in bars, for one instrument or (empty) all.
  result<size_t> count_bars(const std::string& instrument = {});
  /// Rows in trades, for one instrument or (empty) all.
  result<size_t> count_trades(const std::string& instrument = {});
  /// Rows in quarantine, for one instrument or (empty) all.
  result<size_t> count_quarantine(const std::string& instrument = {});

  /// Runs retention_sql(flavor(), t, cutoff_ns). Returns rows deleted
  /// (plain) or chunks dropped (timescale).
  result<size_t> apply_retention(table t, int64_t cutoff_ns);

  /// Runs one or more SQL statements (administration, tests). Returns the
  /// rows affected or returned by the last one.
  result<size_t> execute(const std::string& sql);

 private:
  // The helpers that need libpq types (defined in pg_client.cpp).
  struct ops;

  result<void> ensure_connected();

  client_options opts_;
  bool have_address_ = false;
  pg_conn* conn_ = nullptr;
  bool staged_[3] = {false, false, false};
  std::optional<storage_flavor> flavor_;
  copy_counts copies_;
  size_t merge_only_left_ = 0;
};

} // namespace tickflow::pg
