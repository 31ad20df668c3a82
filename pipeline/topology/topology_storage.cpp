// The storage area of the schema: [redis] (the cache writer) and [storage]
// (the PostgreSQL writer), and their journals.

#include <array>
#include <cctype>
#include <string>

#include "pipeline/model/text.hpp"
#include "pipeline/topology/redis_url.hpp"
#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

namespace {

constexpr std::array<std::string_view, 2> journal_policies{"reject-new",
                                                           "drop-oldest"};
constexpr std::array<std::string_view, 3> fsync_names{"always", "interval",
                                                      "never"};

result<void> set_journal_policy(std::string_view s, journal_full_policy& out) {
  auto i = parse_choice(s, journal_policies);
  if (!i)
    return std::move(i).err();
  out = *i == 0 ? journal_full_policy::reject_new
                : journal_full_policy::drop_oldest;
  return {};
}

/// "key=value ..." or a postgresql:// URI, never holding a password.
result<void> set_dsn(std::string_view s, std::string& out) {
  if (trim_blanks(s).empty())
    return bad("must be a libpq connection string, got \"\"");
  std::string lower{s};
  for (auto& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool uri = lower.rfind("postgresql://", 0) == 0
             || lower.rfind("postgres://", 0) == 0;
  bool has_password = lower.find("password") != std::string::npos;
  if (uri) {
    // postgresql://user:secret@host/db
    auto rest = lower.substr(lower.find("://") + 3);
    auto at = rest.find('@');
    auto slash = rest.find('/');
    if (at != std::string::npos && (slash == std::string::npos || at < slash)
        && rest.substr(0, at).find(':') != std::string::npos)
      has_password = true;
  }
  if (has_password)
    return bad("must not hold a password (name the environment variable"
               " that holds it in storage.dsn-env)");
  out = std::string{s};
  return {};
}

} // namespace

std::vector<section_spec> storage_sections() {
  return {
    {"redis",
     {
       {"enabled",
        [](std::string_view v, topology& t) {
          return set_bool(v, t.redis.enabled);
        }},
       {"host",
        [](std::string_view v, topology& t) {
          return set_host(v, t.redis.host);
        }},
       {"port",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 65535, t.redis.port);
        }},
       {"url",
        [](std::string_view v, topology& t) -> result<void> {
          // Never echoes the value: it may hold the password.
          auto u = parse_redis_url(v);
          if (!u)
            return bad(u.err().context.substr(std::string_view{"redis URL: "}.size())
                       + " (redis://[[user]:password@]host[:port][/db])");
          t.redis.host = std::move(u->host);
          t.redis.port = u->port;
          t.redis.username = std::move(u->username);
          t.redis.password = std::move(u->password);
          t.redis.db = u->db;
          return {};
        }},
       {"password-env",
        [](std::string_view v, topology& t) {
          return set_env_name(v, t.redis.password_env);
        }},
       {"db",
        [](std::string_view v, topology& t) {
          return set_uint(v, 0, 1'000'000, t.redis.db);
        }},
       {"connect-timeout",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_ms, 60 * ns_per_s,
                              t.redis.connect_timeout_ns);
        }},
       {"ttl-price",
        [](std::string_view v, topology& t) {
          return set_duration(v, 0, 365 * 24 * ns_per_h, t.redis.ttl_price_ns);
        }},
       {"ttl-bars",
        [](std::string_view v, topology& t) {
          return set_duration(v, 0, 365 * 24 * ns_per_h, t.redis.ttl_bars_ns);
        }},
       {"max-bars",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 1'000'000, t.redis.max_bars);
        }},
       {"key-prefix",
        [](std::string_view v, topology& t) -> result<void> {
          bool ok = !v.empty() && v.size() <= 64;
          for (char c : v)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'
                  || c == '-' || c == '.' || c == ':'))
              ok = false;
          if (!ok)
            return bad("must be 1 to 64 of A-Z, a-z, 0-9, '_', '-', '.', ':',"
                       " got " + quote_for_error(v));
          t.redis.key_prefix = std::string{v};
          return {};
        }},
       {"journal-dir",
        [](std::string_view v, topology& t) {
          return set_dir(v, t.redis.journal_dir);
        }},
       {"journal-max-bytes",
        [](std::string_view v, topology& t) {
          return set_uint(v, mib, 1024 * 1024 * mib, t.redis.journal_max_bytes);
        }},
       {"journal-policy",
        [](std::string_view v, topology& t) {
          return set_journal_policy(v, t.redis.journal_policy);
        }},
       {"streams",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 1024, t.redis.streams);
        }},
       {"stream-retention",
        [](std::string_view v, topology& t) {
          return set_uint(v, 100, 100'000'000, t.redis.stream_retention);
        }},
       {"publish",
        [](std::string_view v, topology& t) {
          return set_bool(v, t.redis.publish);
        }},
       {"sentinels",
        [](std::string_view v, topology& t) -> result<void> {
          if (v.empty()) {
            t.redis.sentinels.clear();
            return {};
          }
          auto list = parse_sentinels(v);
          if (!list)
            return bad(list.err().context);
          t.redis.sentinels = std::move(*list);
          return {};
        }},
       {"sentinel-password-env",
        [](std::string_view v, topology& t) {
          return set_env_name(v, t.redis.sentinel_password_env);
        }},
       {"master-name",
        [](std::string_view v, topology& t) -> result<void> {
          bool ok = v.size() <= 128;
          for (char c : v)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'
                  || c == '-' || c == '.'))
              ok = false;
          if (!ok)
            return bad("must be empty or 1 to 128 of A-Z, a-z, 0-9, '_', '-', '.', got "
                       + quote_for_error(v));
          t.redis.master_name = std::string{v};
          return {};
        }},
     }},
    {"storage",
     {
       {"enabled",
        [](std::string_view v, topology& t) {
          return set_bool(v, t.storage.enabled);
        }},
       {"dsn",
        [](std::string_view v, topology& t) {
          return set_dsn(v, t.storage.dsn);
        }},
       {"dsn-env",
        [](std::string_view v, topology& t) {
          return set_env_name(v, t.storage.dsn_env);
        }},
       {"batch-size",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 1'000'000, t.storage.batch_size);
        }},
       {"flush-interval",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_ms, ns_per_h,
                              t.storage.flush_interval_ns);
        }},
       {"retention",
        [](std::string_view v, topology& t) -> result<void> {
          auto d = parse_duration(v, 0, 10 * 365 * 24 * ns_per_h);
          if (!d)
            return std::move(d).err();
          if (*d != 0 && *d < ns_per_h)
            return bad("must be 0 (off) or at least 1h, got "
                       + quote_for_error(v));
          t.storage.retention_ns = *d;
          return {};
        }},
       {"journal-dir",
        [](std::string_view v, topology& t) {
          return set_dir(v, t.storage.journal_dir);
        }},
       {"journal-max-bytes",
        [](std::string_view v, topology& t) {
          return set_uint(v, mib, 1024 * 1024 * mib,
                          t.storage.journal_max_bytes);
        }},
       {"journal-policy",
        [](std::string_view v, topology& t) {
          return set_journal_policy(v, t.storage.journal_policy);
        }},
       {"fsync",
        [](std::string_view v, topology& t) -> result<void> {
          auto i = parse_choice(v, fsync_names);
          if (!i)
            return std::move(i).err();
          t.storage.fsync = *i == 0   ? journal_fsync_policy::always
                            : *i == 1 ? journal_fsync_policy::interval
                                      : journal_fsync_policy::never;
          return {};
        }},
     }},
  };
}

result<void> check_journal_dirs(const topology& t, const entry_index& set,
                                std::string_view source) {
  if (!t.redis.enabled || !t.storage.enabled
      || t.redis.journal_dir != t.storage.journal_dir)
    return {};
  std::string what = "storage.journal-dir";
  auto e = lookup(set, what);
  if (e == nullptr && lookup(set, "redis.journal-dir") != nullptr) {
    what = "redis.journal-dir";
    e = lookup(set, what);
  }
  return config_error(source, e ? e->line : 0, what,
                      "must differ from the other writer's journal-dir, got "
                        + quote_for_error(e ? e->value : t.storage.journal_dir));
}

} // namespace tickflow::topo
