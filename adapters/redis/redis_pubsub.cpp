#include "adapters/redis/redis_pubsub.hpp"

#include <hiredis/hiredis.h>

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include <cerrno>
#include <ctime>
#include <memory>
#include <utility>

namespace tickflow::redis {

namespace {

// hiredis writes with write(2): a peer that went away raises SIGPIPE. Block
// it on this thread while writing and swallow one we caused.
class no_sigpipe {
 public:
  no_sigpipe() noexcept {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }

  ~no_sigpipe() {
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      timespec zero{0, 0};
      sigtimedwait(&pipe_, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

  no_sigpipe(const no_sigpipe&) = delete;
  no_sigpipe& operator=(const no_sigpipe&) = delete;

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

struct reply_deleter {
  void operator()(void* r) const noexcept {
    if (r != nullptr)
      freeReplyObject(r);
  }
};

bool is_bulk(const redisReply* r) noexcept {
  return r != nullptr && r->type == REDIS_REPLY_STRING;
}

/// ["pmessage", pattern, channel, payload]: channel and payload, else false.
bool as_pmessage(const redisReply* r, pubsub_message& out) {
  if (r == nullptr || r->type != REDIS_REPLY_ARRAY || r->elements != 4)
    return false;
  auto* kind = r->element[0];
  if (!is_bulk(kind) || std::string_view{kind->str, kind->len} != "pmessage")
    return false;
  if (!is_bulk(r->element[2]) || !is_bulk(r->element[3]))
    return false;
  out.channel.assign(r->element[2]->str, r->element[2]->len);
  out.payload.assign(r->element[3]->str, r->element[3]->len);
  return true;
}

} // namespace

pubsub_connection::pubsub_connection(client_options opts)
  : opts_(std::move(opts)) {
  // nop
}

pubsub_connection::~pubsub_connection() {
  disconnect();
}

void pubsub_connection::disconnect() noexcept {
  if (ctx_ != nullptr) {
    redisFree(ctx_);
    ctx_ = nullptr;
  }
}

error pubsub_connection::failure(const char* what) {
  std::string msg = "redis " + opts_.host + ":" + std::to_string(opts_.port)
                    + ": " + what;
  if (ctx_ != nullptr && ctx_->err != 0) {
    msg.append(": ");
    msg.append(ctx_->errstr);
  }
  disconnect();
  return error{errc::unavailable, std::move(msg)};
}

result<void> pubsub_connection::send(const std::vector<std::string>& argv) {
  std::vector<const char*> args;
  std::vector<size_t> lens;
  for (auto& a : argv) {
    args.push_back(a.data());
    lens.push_back(a.size());
  }
  no_sigpipe guard;
  if (redisAppendCommandArgv(ctx_, static_cast<int>(args.size()), args.data(),
                             lens.data())
      != REDIS_OK)
    return failure("cannot queue a command");
  int done = 0;
  while (done == 0)
    if (redisBufferWrite(ctx_, &done) != REDIS_OK)
      return failure("write failed");
  return {};
}

result<void> pubsub_connection::psubscribe(const std::string& pattern) {
  disconnect();
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
  ctx_ = c;
  if (redisSetTimeout(ctx_, to_timeval(opts_.io_timeout_ms)) != REDIS_OK
      || redisEnableKeepAlive(ctx_) != REDIS_OK)
    return failure("cannot set socket options");
  if (auto ok = send({"PSUBSCRIBE", pattern}); !ok)
    return ok;
  // The confirmation: ["psubscribe", pattern, 1] (blocking, I/O timeout).
  void* raw = nullptr;
  no_sigpipe guard;
  if (redisGetReply(ctx_, &raw) != REDIS_OK)
    return failure("no answer to PSUBSCRIBE");
  std::unique_ptr<void, reply_deleter> owner{raw};
  auto* r = static_cast<redisReply*>(raw);
  if (r->type == REDIS_REPLY_ERROR) {
    std::string msg = where + ": PSUBSCRIBE: " + std::string{r->str, r->len};
    disconnect();
    return {errc::unavailable, std::move(msg)};
  }
  if (r->type != REDIS_REPLY_ARRAY || r->elements < 1 || !is_bulk(r->element[0])
      || std::string_view{r->element[0]->str, r->element[0]->len} != "psubscribe")
    return failure("unexpected answer to PSUBSCRIBE");
  return {};
}

bool pubsub_connection::take(std::vector<pubsub_message>& out, size_t max,
                             size_t& taken) {
  while (taken < max) {
    void* raw = nullptr;
    if (redisGetReplyFromReader(ctx_, &raw) != REDIS_OK)
      return false;
    if (raw == nullptr)
      return true; // nothing complete buffered
    std::unique_ptr<void, reply_deleter> owner{raw};
    ++replies_;
    pubsub_message m;
    if (as_pmessage(static_cast<redisReply*>(raw), m)) {
      out.push_back(std::move(m));
      ++taken;
    }
  }
  return true;
}

result<size_t> pubsub_connection::poll(int timeout_ms,
                                       std::vector<pubsub_message>& out,
                                       size_t max) {
  if (ctx_ == nullptr)
    return {errc::unavailable, "redis: not connected"};
  size_t taken = 0;
  if (!take(out, max, taken))
    return failure("protocol error");
  // Wait for the first bytes only when nothing was buffered; then read what
  // the socket already holds without waiting again.
  int wait = taken == 0 ? timeout_ms : 0;
  while (taken < max) {
    pollfd p{ctx_->fd, POLLIN, 0};
    int n = ::poll(&p, 1, wait);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return failure("poll failed");
    }
    if (n == 0)
      break; // quiet
    if (redisBufferRead(ctx_) != REDIS_OK)
      return failure("read failed");
    if (!take(out, max, taken))
      return failure("protocol error");
    wait = 0;
  }
  return taken;
}

result<void> pubsub_connection::ping() {
  if (ctx_ == nullptr)
    return {errc::unavailable, "redis: not connected"};
  return send({"PING"});
}

} // namespace tickflow::redis
