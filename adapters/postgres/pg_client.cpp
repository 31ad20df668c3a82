#include "adapters/postgres/pg_client.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "adapters/postgres/pg_copy.hpp"

namespace tickflow::pg {

namespace {

struct result_deleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};

using result_ptr = std::unique_ptr<PGresult, result_deleter>;

// Largest piece handed to PQputCopyData (its length is an int).
constexpr size_t copy_chunk = 1 << 20;

// Batches that skip the direct COPY after one hit a stored key.
constexpr size_t merge_after_conflict = 16;

void silent_notice(void*, const char*) {
  // nop: notices ("relation already exists, skipping") are not errors
}

// One line: trailing blanks dropped, inner newlines joined with "; ".
std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\n') {
      out.append("; ");
    } else if (c != '\r') {
      out.push_back(c);
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';'))
    out.pop_back();
  return out;
}

// Removes anything that looks like a password: "password=..." values and
// the password of a URI's userinfo ("://user:secret@").
std::string redact(std::string text) {
  for (size_t pos = 0;
       (pos = text.find("password=", pos)) != std::string::npos;) {
    auto begin = pos + 9;
    auto end = text.find_first_of(" \t\n&'\"", begin);
    if (end == std::string::npos)
      end = text.size();
    text.replace(begin, end - begin, "***");
    pos = begin + 3;
  }
  for (size_t pos = 0; (pos = text.find("://", pos)) != std::string::npos;) {
    auto begin = pos + 3;
    auto at = text.find('@', begin);
    auto stop = text.find_first_of("/ \t\n", begin);
    if (at != std::string::npos && (stop == std::string::npos || at < stop)) {
      auto colon = text.find(':', begin);
      if (colon != std::string::npos && colon < at)
        text.replace(colon + 1, at - colon - 1, "***");
    }
    pos = begin;
  }
  return text;
}

result<int64_t> to_int64(const char* text, const char* what) {
  int64_t v = 0;
  auto len = std::strlen(text);
  auto [end, ec] = std::from_chars(text, text + len, v);
  if (ec != std::errc{} || end != text + len)
    return {errc::malformed, std::string{"postgres: bad "} + what + ": \""
                               + text + "\""};
  return v;
}

result<decimal> to_decimal(const char* text, const char* what) {
  auto d = decimal::parse(text);
  if (!d)
    return {errc::malformed, std::string{"postgres: bad "} + what + ": "
                               + d.err().context};
  return *d;
}

side side_from_string(std::string_view s) noexcept {
  if (s == "buy")
    return side::buy;
  if (s == "sell")
    return side::sell;
  return side::unknown;
}

size_t to_size(const char* text) {
  uint64_t v = 0;
  std::from_chars(text, text + std::strlen(text), v);
  return static_cast<size_t>(v);
}

// Text parameters of PQexecParams; nullopt is SQL NULL.
using params = std::vector<std::optional<std::string>>;

} // namespace

// -- helpers with libpq types -------------------------------------------------

struct pg_client::ops {
  // Turns the state after a failed call into an error: drops a broken
  // connection, rolls back an open transaction.
  static error failure(pg_client& self, const std::string& what,
                       const PGresult* res) {
    std::string msg = "postgres: " + what + ": ";
    const char* text = res != nullptr ? PQresultErrorMessage(res) : nullptr;
    if (text == nullptr || *text == '\0')
      text = self.conn_ != nullptr ? PQerrorMessage(self.conn_)
                                   : "not connected";
    msg.append(one_line(text));
    if (res != nullptr)
      if (auto state = PQresultErrorField(res, PG_DIAG_SQLSTATE))
        msg.append(std::string{" [SQLSTATE "} + state + "]");
    if (self.conn_ != nullptr) {
      if (PQstatus(self.conn_) == CONNECTION_BAD) {
        self.disconnect();
      } else if (PQtransactionStatus(self.conn_) != PQTRANS_IDLE) {
        result_ptr r{PQexec(self.conn_, "ROLLBACK")};
        if (PQstatus(self.conn_) == CONNECTION_BAD)
          self.disconnect();
      }
    }
    return error{errc::unavailable, redact(std::move(msg))};
  }

  static bool succeeded(const PGresult* r) noexcept {
    auto st = PQresultStatus(r);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
  }

  static result<result_ptr> exec(pg_client& self, const std::string& what,
                                 const std::string& sql) {
    result_ptr r{PQexec(self.conn_, sql.c_str())};
    if (!r || !succeeded(r.get()))
      return failure(self, what, r.get());
    return r;
  }

  static result<result_ptr> exec(pg_client& self, const std::string& what,
                                 std::string_view sql, const params& ps) {
    std::vector<const char*> values;
    values.reserve(ps.size());
    for (auto& p : ps)
      values.push_back(p ? p->c_str() : nullptr);
    std::string text{sql};
    result_ptr r{PQexecParams(self.conn_, text.c_str(),
                              static_cast<int>(values.size()), nullptr,
                              values.data(), nullptr, nullptr, 0)};
    if (!r || !succeeded(r.get()))
      return failure(self, what, r.get());
    return r;
  }

  static bool unique_violation(const PGresult* r) noexcept {
    auto* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE)
                               : nullptr;
    return state != nullptr && std::string_view{state} == "23505";
  }

  // Runs `sql` (a COPY ... FROM STDIN) with `rows` as its data. Returns the
  // COPY's result, or the one that refused it, or null when the connection
  // broke on the way.
  static result_ptr copy_in(pg_client& self, const std::string& sql,
                            const std::string& rows) {
    {
      result_ptr r{PQexec(self.conn_, sql.c_str())};
      if (!r || PQresultStatus(r.get()) != PGRES_COPY_IN)
        return r;
    }
    bool sent = true;
    for (size_t pos = 0; pos < rows.size() && sent; pos += copy_chunk) {
      auto n = std::min(copy_chunk, rows.size() - pos);
      sent = PQputCopyData(self.conn_, rows.data() + pos,
                           static_cast<int>(n))
             == 1;
    }
    if (PQputCopyEnd(self.conn_, sent ? nullptr : "client aborted") != 1)
      return nullptr;
    // Drain: the COPY's own result (the first failure if any), then NULL.
    result_ptr copy_result;
    while (auto* raw = PQgetResult(self.conn_)) {
      result_ptr r{raw};
      if (!copy_result || succeeded(copy_result.get()))
        copy_result = std::move(r);
    }
    return copy_result;
  }

  // Tables with a direct COPY (trades) try it first: one round trip, and
  // Postgres does what a plain COPY does. A key already stored (a replayed
  // journal, a provider sending a trade again, another node) fails it as a
  // whole with unique_violation; that batch and the next
  // merge_after_conflict ones take the merge way, since replays come in runs.
  // Returns nullopt when the batch still has to be merged.
  static std::optional<result<size_t>>
  try_direct(pg_client& self, const std::string& sql, const std::string& rows,
             const std::string& what) {
    if (sql.empty())
      return std::nullopt;
    if (self.merge_only_left_ > 0) {
      --self.merge_only_left_;
      return std::nullopt;
    }
    auto r = copy_in(self, sql, rows);
    if (r && succeeded(r.get())) {
      ++self.copies_.direct;
      return result<size_t>{to_size(PQcmdTuples(r.get()))};
    }
    if (r && unique_violation(r.get())) {
      ++self.copies_.conflicts;
      self.merge_only_left_ = merge_after_conflict;
      return std::nullopt;
    }
    return result<size_t>{failure(self, what + " (COPY)", r.get())};
  }

  // [direct COPY, or] BEGIN; staging table; COPY rows; merge; COMMIT.
  // Rows written.
  static result<size_t> write_batch(pg_client& self, table t,
                                    const std::string& rows) {
    if (auto ok = self.ensure_connected(); !ok)
      return ok.err();
    std::string what = "write ";
    what.append(to_string(t));
    auto direct_sql = direct_copy_sql(t);
    if (auto direct = try_direct(self, direct_sql, rows, what))
      return std::move(*direct);
    if (auto r = exec(self, what + " (BEGIN)", "BEGIN"); !r)
      return std::move(r).err();
    auto idx = static_cast<size_t>(t);
    if (!self.staged_[idx])
      if (auto r = exec(self, what + " (staging table)", staging_ddl(t)); !r)
        return std::move(r).err();
    auto copied = copy_in(self, copy_sql(t), rows);
    if (!copied || !succeeded(copied.get()))
      return failure(self, what + " (COPY)", copied.get());
    auto merged = exec(self, what + " (merge)", merge_sql(t));
    if (!merged)
      return std::move(merged).err();
    auto written = to_size(PQcmdTuples(merged->get()));
    if (auto r = exec(self, what + " (COMMIT)", "COMMIT"); !r)
      return std::move(r).err();
    self.staged_[idx] = true;
    if (!direct_sql.empty())
      ++self.copies_.merged;
    return written;
  }

  static result<size_t> count(pg_client& self, table t,
                              const std::string& instrument) {
    if (auto ok = self.ensure_connected(); !ok)
      return ok.err();
    params ps{instrument.empty() ? std::nullopt
                                 : std::optional<std::string>{instrument}};
    auto r = exec(self, "count " + std::string{to_string(t)}, count_sql(t), ps);
    if (!r)
      return std::move(r).err();
    return to_size(PQgetvalue(r->get(), 0, 0));
  }
};

// -- connection --------------------------------------------------------------

pg_client::pg_client(client_options opts)
  : opts_(std::move(opts)), have_address_(true) {
  // nop
}

pg_client::~pg_client() {
  disconnect();
}

pg_client::pg_client(pg_client&& other) noexcept
  : opts_(std::move(other.opts_)),
    have_address_(other.have_address_),
    conn_(std::exchange(other.conn_, nullptr)),
    flavor_(other.flavor_),
    copies_(other.copies_),
    merge_only_left_(other.merge_only_left_) {
  std::copy(std::begin(other.staged_), std::end(other.staged_), staged_);
}

pg_client& pg_client::operator=(pg_client&& other) noexcept {
  if (this != &other) {
    disconnect();
    opts_ = std::move(other.opts_);
    have_address_ = other.have_address_;
    conn_ = std::exchange(other.conn_, nullptr);
    flavor_ = other.flavor_;
    copies_ = other.copies_;
    merge_only_left_ = other.merge_only_left_;
    std::copy(std::begin(other.staged_), std::end(other.staged_), staged_);
  }
  return *this;
}

result<void> pg_client::connect(const std::string& conninfo, int timeout_s) {
  opts_.conninfo = conninfo;
  opts_.connect_timeout_s = timeout_s;
  have_address_ = true;
  return connect();
}

result<void> pg_client::connect() {
  disconnect();
  if (!have_address_)
    return {errc::invalid_argument, "postgres: no conninfo to connect with"};
  // Our defaults first: the conninfo (expanded from dbname) may override.
  auto timeout = std::to_string(std::max(opts_.connect_timeout_s, 1));
  std::string options;
  if (opts_.statement_timeout_ms > 0)
    options = "-c statement_timeout="
              + std::to_string(opts_.statement_timeout_ms);
  const char* keys[] = {"connect_timeout", "client_encoding",
                        "application_name", "options", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "UTF8",
                          opts_.application_name.c_str(), options.c_str(),
                          opts_.conninfo.c_str(), nullptr};
  PGconn* c = PQconnectdbParams(keys, values, 1);
  if (c == nullptr)
    return {errc::unavailable, "postgres: connect: out of memory"};
  if (PQstatus(c) != CONNECTION_OK) {
    auto msg = "postgres: connect: " + one_line(PQerrorMessage(c));
    PQfinish(c);
    return {errc::unavailable, redact(std::move(msg))};
  }
  PQsetNoticeProcessor(c, silent_notice, nullptr);
  conn_ = c;
  std::fill(std::begin(staged_), std::end(staged_), false);
  return {};
}

void pg_client::disconnect() noexcept {
  if (conn_ != nullptr) {
    PQfinish(conn_);
    conn_ = nullptr;
  }
}

result<void> pg_client::ensure_connected() {
  if (conn_ != nullptr)
    return {};
  return connect();
}

// -- schema ------------------------------------------------------------------

result<migration_report> pg_client::migrate() {
  if (auto ok = ensure_connected(); !ok)
    return ok.err();
  auto key = std::to_string(migration_lock_key);
  if (auto r = ops::exec(*this, "migrate (lock)",
                         "SELECT pg_advisory_lock(" + key + ")");
      !r)
    return std::move(r).err();
  auto unlock = [&] {
    if (conn_ != nullptr)
      result_ptr r{PQexec(conn_, ("SELECT pg_advisory_unlock(" + key + ")")
                                   .c_str())};
  };
  auto fail = [&](error e) -> result<migration_report> {
    unlock();
    return e;
  };
  if (auto r = ops::exec(*this, "migrate (schema_migrations)",
                         std::string{schema_migrations_ddl()});
      !r)
    return fail(std::move(r).err());
  auto applied = ops::exec(
    *this, "migrate (read versions)",
    "SELECT version, flavor FROM schema_migrations ORDER BY version");
  if (!applied)
    return fail(std::move(applied).err());
  migration_report report;
  std::vector<int> done;
  std::optional<storage_flavor> recorded;
  for (int i = 0; i < PQntuples(applied->get()); ++i) {
    done.push_back(std::atoi(PQgetvalue(applied->get(), i, 0)));
    if (!recorded)
      recorded = flavor_from_string(PQgetvalue(applied->get(), i, 1));
  }
  if (recorded) {
    report.flavor = *recorded;
  } else {
    auto detect = ops::exec(*this, "migrate (detect timescaledb)",
                            std::string{detect_timescale_sql()});
    if (!detect)
      return fail(std::move(detect).err());
    report.flavor = std::string_view{PQgetvalue(detect->get(), 0, 0)} == "t"
                      ? storage_flavor::timescale
                      : storage_flavor::plain;
  }
  for (auto& m : migrations(report.flavor)) {
    if (std::find(done.begin(), done.end(), m.version) != done.end())
      continue;
    auto what = "migration " + std::to_string(m.version) + " ("
                + m.description + ")";
    if (auto r = ops::exec(*this, what, "BEGIN"); !r)
      return fail(std::move(r).err());
    if (auto r = ops::exec(*this, what, m.sql); !r)
      return fail(std::move(r).err());
    params ps{std::to_string(m.version), m.description,
              std::string{to_string(report.flavor)}};
    if (auto r = ops::exec(*this, what,
                           "INSERT INTO schema_migrations (version, "
                           "description, flavor) VALUES ($1, $2, $3)",
                           ps);
        !r)
      return fail(std::move(r).err());
    if (auto r = ops::exec(*this, what, "COMMIT"); !r)
      return fail(std::move(r).err());
    done.push_back(m.version);
    ++report.applied;
  }
  unlock();
  report.current_version = done.empty()
                             ? 0
                             : *std::max_element(done.begin(), done.end());
  flavor_ = report.flavor;
  return report;
}

result<storage_flavor> pg_client::flavor() {
  if (flavor_)
    return *flavor_;
  if (auto ok = ensure_connected(); !ok)
    return ok.err();
  auto r = ops::exec(*this, "read flavor",
                     "SELECT flavor FROM schema_migrations "
                     "ORDER BY version LIMIT 1");
  if (!r)
    return std::move(r).err();
  if (PQntuples(r->get()) == 0)
    return {errc::not_found, "postgres: no migration applied yet"};
  auto f = flavor_from_string(PQgetvalue(r->get(), 0, 0));
  if (!f)
    return {errc::malformed, "postgres: unknown flavor in schema_migrations"};
  flavor_ = *f;
  return *f;
}

// -- writes ------------------------------------------------------------------

result<size_t> pg_client::write_bars(const std::vector<bar>& rows) {
  if (rows.empty())
    return size_t{0};
  return ops::write_batch(*this, table::bars, copy_rows(rows));
}

result<size_t> pg_client::write_trades(const std::vector<trade>& rows) {
  if (rows.empty())
    return size_t{0};
  return ops::write_batch(*this, table::trades, copy_rows(rows));
}

result<size_t>
pg_client::write_quarantine(const std::vector<quarantine_record>& rows) {
  if (rows.empty())
    return size_t{0};
  return ops::write_batch(*this, table::quarantine, copy_rows(rows));
}

// -- reads -------------------------------------------------------------------

result<std::vector<bar>>
pg_client::read_bars(const std::string& instrument, interval span,
                     int64_t start_ns, int64_t end_ns, size_t limit,
                     std::optional<provider> source) {
  if (auto ok = ensure_connected(); !ok)
    return ok.err();
  params ps{instrument,
            std::string{to_string(span)},
            pg_timestamp(start_ns),
            pg_timestamp(end_ns),
            std::to_string(start_ns),
            std::to_string(end_ns),
            limit == 0 ? std::nullopt
                       : std::optional<std::string>{std::to_string(limit)},
            source ? std::optional<std::string>{std::string{to_string(*source)}}
                   : std::nullopt};
  auto r = ops::exec(*this, "read bars", read_bars_sql(), ps);
  if (!r)
    return std::move(r).err();
  auto* res = r->get();
  std::vector<bar> out;
  out.reserve(static_cast<size_t>(PQntuples(res)));
  for (int i = 0; i < PQntuples(res); ++i) {
    auto v = [&](int col) { return PQgetvalue(res, i, col); };
    bar x;
    auto p = provider_from_string(v(0));
    if (!p)
      return {errc::malformed,
              std::string{"postgres: unknown provider \""} + v(0) + "\""};
    x.source = *p;
    x.instrument = v(1);
    x.provider_symbol = v(2);
    auto iv = parse_interval(v(3));
    if (!iv)
      return {errc::malformed,
              std::string{"postgres: unknown interval \""} + v(3) + "\""};
    x.span = *iv;
    auto open_time = to_int64(v(4), "open_time_ns");
    auto open = to_decimal(v(5), "open");
    auto high = to_decimal(v(6), "high");
    auto low = to_decimal(v(7), "low");
    auto close = to_decimal(v(8), "close");
    auto volume = to_decimal(v(9), "volume");
    auto count = to_int64(v(10), "trade_count");
    auto flags = to_int64(v(12), "flags");
    auto recv = to_int64(v(13), "ts_recv_ns");
    for (auto* e : {&open_time, &count, &flags, &recv})
      if (!*e)
        return e->err();
    for (auto* e : {&open, &high, &low, &close, &volume})
      if (!*e)
        return e->err();
    x.open_time_ns = *open_time;
    x.open = *open;
    x.high = *high;
    x.low = *low;
    x.close = *close;
    x.volume = *volume;
    x.trade_count = static_cast<uint64_t>(*count);
    x.closed = std::string_view{v(11)} == "t";
    x.flags = static_cast<uint32_t>(*flags);
    x.ts_recv_ns = *recv;
    out.push_back(std::move(x));
  }
  return out;
}

result<std::vector<trade>>
pg_client::read_trades(const std::string& instrument, int64_t start_ns,
                       int64_t end_ns, size_t limit, bool newest) {
  if (auto ok = ensure_connected(); !ok)
    return ok.err();
  params ps{instrument,
            pg_timestamp(start_ns),
            pg_timestamp(end_ns),
            std::to_string(start_ns),
            std::to_string(end_ns),
            limit == 0 ? std::nullopt
                       : std::optional<std::string>{std::to_string(limit)}};
  auto r = ops::exec(*this, "read trades",
                     newest ? read_newest_trades_sql() : read_trades_sql(), ps);
  if (!r)
    return std::move(r).err();
  auto* res = r->get();
  std::vector<trade> out;
  out.reserve(static_cast<size_t>(PQntuples(res)));
  for (int i = 0; i < PQntuples(res); ++i) {
    auto v = [&](int col) { return PQgetvalue(res, i, col); };
    trade x;
    auto p = provider_from_string(v(0));
    if (!p)
      return {errc::malformed,
              std::string{"postgres: unknown provider \""} + v(0) + "\""};
    x.source = *p;
    x.instrument = v(1);
    x.provider_symbol = v(2);
    x.trade_id = v(3);
    auto ts = to_int64(v(4), "ts_event_ns");
    auto price = to_decimal(v(5), "price");
    auto size = to_decimal(v(6), "size");
    auto flags = to_int64(v(8), "flags");
    auto recv = to_int64(v(9), "ts_recv_ns");
    for (auto* e : {&ts, &flags, &recv})
      if (!*e)
        return e->err();
    for (auto* e : {&price, &size})
      if (!*e)
        return e->err();
    x.ts_event_ns = *ts;
    x.price = *price;
    x.size = *size;
    x.aggressor = side_from_string(v(7));
    x.flags = static_cast<uint32_t>(*flags);
    x.ts_recv_ns = *recv;
    out.push_back(std::move(x));
  }
  if (newest)
    std::reverse(out.begin(), out.end());
  return out;
}

result<size_t> pg_client::count_bars(const std::string& instrument) {
  return ops::count(*this, table::bars, instrument);
}

result<size_t> pg_client::count_trades(const std::string& instrument) {
  return ops::count(*this, table::trades, instrument);
}

result<size_t> pg_client::count_quarantine(const std::string& instrument) {
  return ops::count(*this, table::quarantine, instrument);
}

// -- administration ----------------------------------------------------------

result<size_t> pg_client::apply_retention(table t, int64_t cutoff_ns) {
  auto f = flavor();
  if (!f)
    return std::move(f).err();
  auto r = ops::exec(*this, "retention " + std::string{to_string(t)},
                     retention_sql(*f, t, cutoff_ns));
  if (!r)
    return std::move(r).err();
  if (PQresultStatus(r->get()) == PGRES_TUPLES_OK)
    return static_cast<size_t>(PQntuples(r->get()));
  return to_size(PQcmdTuples(r->get()));
}

result<size_t> pg_client::execute(const std::string& sql) {
  if (auto ok = ensure_connected(); !ok)
    return ok.err();
  auto r = ops::exec(*this, "execute", sql);
  if (!r)
    return std::move(r).err();
  if (PQresultStatus(r->get()) == PGRES_TUPLES_OK)
    return static_cast<size_t>(PQntuples(r->get()));
  return to_size(PQcmdTuples(r->get()));
}

} // namespace tickflow::pg
