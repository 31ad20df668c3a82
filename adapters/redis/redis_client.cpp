#include "adapters/redis/redis_client.hpp"

#include <hiredis/hiredis.h>

#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include <ctime>
#include <memory>
#include <utility>

namespace tickflow::redis {

namespace {

// hiredis 0.14 writes with write(2): a peer that went away raises SIGPIPE,
// which would kill the process. Block it on this thread for the duration of
// a call and swallow one that we caused (libpq's pq_block_sigpipe trick).
class sigpipe_guard {
 public:
  sigpipe_guard() noexcept {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }

  ~sigpipe_guard() {
    if (!was_pending_) {
      sigset_t pending;
      sigemptyset(&pending);
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        timespec zero{0, 0};
        sigtimedwait(&pipe_, nullptr, &zero);
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

  sigpipe_guard(const sigpipe_guard&) = delete;
  sigpipe_guard& operator=(const sigpipe_guard&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
};

timeval to_timeval(int ms) noexcept {
  if (ms < 0)
    ms = 0;
  timeval tv;
  tv.tv_sec = ms / 1000;
  tv.tv_usec = static_cast<suseconds_t>((ms % 1000) * 1000);
  return tv;
}

reply convert(const redisReply* r) {
  reply out;
  if (r == nullptr)
    return out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = reply::kind::string;
      out.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = reply::kind::status;
      out.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = reply::kind::error;
      out.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = reply::kind::integer;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = reply::kind::array;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i)
        out.elements.push_back(convert(r->element[i]));
      break;
    default: // REDIS_REPLY_NIL
      out.type = reply::kind::nil;
      break;
  }
  return out;
}

// The first error in a reply, also inside arrays (EXEC), or nullptr.
const redisReply* find_error(const redisReply* r) noexcept {
  if (r == nullptr)
    return nullptr;
  if (r->type == REDIS_REPLY_ERROR)
    return r;
  if (r->type == REDIS_REPLY_ARRAY)
    for (size_t i = 0; i < r->elements; ++i)
      if (auto e = find_error(r->element[i]))
        return e;
  return nullptr;
}

struct reply_deleter {
  void operator()(void* r) const noexcept {
    if (r != nullptr)
      freeReplyObject(r);
  }
};

} // namespace

redis_client::redis_client(client_options opts)
  : opts_(std::move(opts)), have_address_(true) {
  // nop
}

redis_client::~redis_client() {
  disconnect();
}

redis_client::redis_client(redis_client&& other) noexcept
  : opts_(std::move(other.opts_)),
    have_address_(other.have_address_),
    ctx_(std::exchange(other.ctx_, nullptr)) {
  // nop
}

redis_client& redis_client::operator=(redis_client&& other) noexcept {
  if (this != &other) {
    disconnect();
    opts_ = std::move(other.opts_);
    have_address_ = other.have_address_;
    ctx_ = std::exchange(other.ctx_, nullptr);
  }
  return *this;
}

result<void> redis_client::connect(const std::string& host, uint16_t port,
                                   int timeout_ms) {
  opts_.host = host;
  opts_.port = port;
  opts_.connect_timeout_ms = timeout_ms;
  have_address_ = true;
  return connect();
}

result<void> redis_client::connect() {
  disconnect();
  if (!have_address_)
    return {errc::invalid_argument, "redis: no address to connect to"};
  if (!opts_.sentinels.empty())
    return connect_via_sentinels();
  return open();
}

result<void> redis_client::connect_via_sentinels() {
  std::string tries;
  auto note = [&](const std::string& what) {
    tries += tries.empty() ? "" : "; ";
    tries += what;
  };
  auto n = opts_.sentinels.size();
  for (size_t i = 0; i < n; ++i) {
    auto k = (sentinel_next_ + i) % n;
    auto& [shost, sport] = opts_.sentinels[k];
    // A sentinel is asked with its own password (if any), without SELECT.
    client_options so;
    so.host = shost;
    so.port = sport;
    so.password = opts_.sentinel_password;
    so.connect_timeout_ms = opts_.connect_timeout_ms;
    so.io_timeout_ms = opts_.connect_timeout_ms;
    redis_client sentinel{so};
    auto r = sentinel.execute({"SENTINEL", "get-master-addr-by-name", opts_.master_name});
    if (!r) {
      note(r.err().context);
      continue;
    }
    if (r->type == reply::kind::error) {
      note("sentinel " + shost + ":" + std::to_string(sport) + ": " + r->text);
      continue;
    }
    uint32_t port = 0;
    if (r->type != reply::kind::array || r->elements.size() != 2
        || r->elements[1].text.empty()) {
      note("sentinel " + shost + ":" + std::to_string(sport) + " does not know it");
      continue;
    }
    for (char c : r->elements[1].text)
      port = (c >= '0' && c <= '9' && port <= 65535) ? port * 10 + static_cast<uint32_t>(c - '0')
                                                     : 70000;
    if (port == 0 || port > 65535) {
      note("sentinel " + shost + ":" + std::to_string(sport) + " answered a bad port");
      continue;
    }
    opts_.host = r->elements[0].text;
    opts_.port = static_cast<uint16_t>(port);
    if (auto ok = open(); !ok) {
      note(ok.err().context);
      continue;
    }
    // A sentinel may still name the old primary while it fails over.
    auto role = execute({"ROLE"});
    if (!role) {
      note(role.err().context);
      continue;
    }
    if (role->type != reply::kind::array || role->elements.empty()
        || role->elements[0].text != "master") {
      note("redis " + opts_.host + ":" + std::to_string(opts_.port) + ": ROLE is "
           + (role->type == reply::kind::array && !role->elements.empty()
                ? role->elements[0].text
                : role->text)
           + ", not master");
      disconnect();
      continue;
    }
    sentinel_next_ = k;
    return {};
  }
  sentinel_next_ = (sentinel_next_ + 1) % n;
  return {errc::unavailable,
          "redis sentinels (master " + opts_.master_name + "): " + tries};
}

result<void> redis_client::open() {
  auto where = "redis " + opts_.host + ":" + std::to_string(opts_.port);
  auto* c = redisConnectWithTimeout(opts_.host.c_str(), opts_.port,
                                    to_timeval(opts_.connect_timeout_ms));
  if (c == nullptr)
    return {errc::unavailable, where + ": cannot allocate a context"};
  if (c->err != 0) {
    std::string msg = where + ": " + c->errstr;
    redisFree(c);
    return {errc::unavailable, std::move(msg)};
  }
  if (redisSetTimeout(c, to_timeval(opts_.io_timeout_ms)) != REDIS_OK
      || redisEnableKeepAlive(c) != REDIS_OK) {
    std::string msg = where + ": cannot set socket options: " + c->errstr;
    redisFree(c);
    return {errc::unavailable, std::move(msg)};
  }
  ctx_ = c;
  return handshake();
}

result<void> redis_client::handshake() {
  auto where = "redis " + opts_.host + ":" + std::to_string(opts_.port);
  auto run = [&](const command& cmd, const char* what) -> result<void> {
    auto r = execute(cmd);
    if (!r)
      return std::move(r).err();
    if (r->type == reply::kind::error) {
      // The server's words never hold the password; ours never do either.
      disconnect();
      return {errc::unavailable, where + ": " + what + " refused: " + r->text};
    }
    return {};
  };
  if (!opts_.password.empty()) {
    auto ok = opts_.username.empty()
                ? run({"AUTH", opts_.password}, "AUTH")
                : run({"AUTH", opts_.username, opts_.password}, "AUTH");
    if (!ok)
      return ok;
  }
  if (opts_.db != 0)
    return run({"SELECT", std::to_string(opts_.db)}, "SELECT");
  return {};
}

void redis_client::disconnect() noexcept {
  if (ctx_ != nullptr) {
    redisFree(ctx_);
    ctx_ = nullptr;
  }
}

result<void> redis_client::ensure_connected() {
  if (ctx_ != nullptr)
    return {};
  return connect();
}

error redis_client::io_failure(const char* what) {
  std::string msg = "redis " + opts_.host + ":" + std::to_string(opts_.port)
                    + ": " + what;
  if (ctx_ != nullptr && ctx_->err != 0) {
    msg.append(": ");
    msg.append(ctx_->errstr);
  }
  disconnect();
  return error{errc::unavailable, std::move(msg)};
}

result<size_t> redis_client::pipeline(const std::vector<command>& cmds) {
  for (size_t i = 0; i < cmds.size(); ++i)
    if (cmds[i].empty())
      return {errc::invalid_argument,
              "redis: command " + std::to_string(i) + " is empty"};
  if (cmds.empty())
    return size_t{0};
  if (auto ok = ensure_connected(); !ok)
    return ok.err();
  sigpipe_guard guard;
  std::vector<const char*> argv;
  std::vector<size_t> argvlen;
  for (auto& cmd : cmds) {
    argv.clear();
    argvlen.clear();
    for (auto& arg : cmd) {
      argv.push_back(arg.data());
      argvlen.push_back(arg.size());
    }
    if (redisAppendCommandArgv(ctx_, static_cast<int>(argv.size()),
                               argv.data(), argvlen.data())
        != REDIS_OK)
      return io_failure("cannot queue a command");
  }
  // Read every reply even after an error reply, so the next call does not
  // read stale replies.
  std::string first_error;
  for (size_t i = 0; i < cmds.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx_, &raw) != REDIS_OK)
      return io_failure(i == 0 ? "write or read failed"
                               : "connection lost in the middle of a "
                                 "pipeline");
    std::unique_ptr<void, reply_deleter> owner{raw};
    auto* r = static_cast<redisReply*>(raw);
    if (auto e = find_error(r); e != nullptr && first_error.empty()) {
      first_error = "redis: command " + std::to_string(i) + " ("
                    + cmds[i][0] + "): ";
      first_error.append(e->str, e->len);
    }
  }
  if (!first_error.empty()) {
    if (first_error.find("): READONLY") != std::string::npos)
      disconnect();
    return {errc::unavailable, std::move(first_error)};
  }
  return cmds.size();
}

result<reply> redis_client::execute(const command& cmd) {
  if (cmd.empty())
    return {errc::invalid_argument, "redis: empty command"};
  if (auto ok = ensure_connected(); !ok)
    return ok.err();
  sigpipe_guard guard;
  std::vector<const char*> argv;
  std::vector<size_t> argvlen;
  for (auto& arg : cmd) {
    argv.push_back(arg.data());
    argvlen.push_back(arg.size());
  }
  if (redisAppendCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(),
                             argvlen.data())
      != REDIS_OK)
    return io_failure("cannot queue a command");
  auto r = read_one();
  if (r && r->type == reply::kind::error && r->text.compare(0, 8, "READONLY") == 0)
    disconnect();
  return r;
}

result<reply> redis_client::read_reply() {
  if (ctx_ == nullptr)
    return {errc::unavailable, "redis: not connected"};
  sigpipe_guard guard;
  return read_one();
}

result<reply> redis_client::read_one() {
  void* raw = nullptr;
  if (redisGetReply(ctx_, &raw) != REDIS_OK)
    return io_failure("write or read failed");
  std::unique_ptr<void, reply_deleter> owner{raw};
  return convert(static_cast<redisReply*>(raw));
}

result<std::optional<std::string>>
redis_client::get(const std::string& key) {
  auto r = execute({"GET", key});
  if (!r)
    return std::move(r).err();
  switch (r->type) {
    case reply::kind::nil:
      return std::optional<std::string>{};
    case reply::kind::string:
      return std::optional<std::string>{std::move(r->text)};
    case reply::kind::error:
      return {errc::unavailable, "redis: GET: " + r->text};
    default:
      return {errc::malformed, "redis: GET: unexpected reply type"};
  }
}

result<std::vector<std::string>> redis_client::strings(const command& cmd) {
  auto r = execute(cmd);
  if (!r)
    return std::move(r).err();
  if (r->type == reply::kind::error)
    return {errc::unavailable, "redis: " + cmd[0] + ": " + r->text};
  if (r->type != reply::kind::array)
    return {errc::malformed,
            "redis: " + cmd[0] + ": expected an array reply"};
  std::vector<std::string> out;
  out.reserve(r->elements.size());
  for (auto& e : r->elements)
    out.push_back(std::move(e.text));
  return out;
}

result<std::vector<std::string>>
redis_client::zrange(const std::string& key, int64_t start, int64_t stop) {
  return strings({"ZRANGE", key, std::to_string(start), std::to_string(stop)});
}

result<void> redis_client::ping() {
  auto r = execute({"PING"});
  if (!r)
    return std::move(r).err();
  if (r->type == reply::kind::status && r->text == "PONG")
    return {};
  return {errc::unavailable, "redis: PING answered \"" + r->text + "\""};
}

} // namespace tickflow::redis
