#include "adapters/common/curl_client.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <new>
#include <utility>

#include "adapters/common/ascii.hpp"
#include "pipeline/model/text.hpp"

namespace tickflow {

namespace {

void global_init() {
  static std::once_flag flag;
  std::call_once(flag, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// ns -> ms for libcurl, rounded up so that 1 ns is not "no limit".
long to_ms(int64_t ns) noexcept {
  if (ns <= 0)
    return 0;
  return static_cast<long>((ns + ns_per_ms - 1) / ns_per_ms);
}

bool has_line_break(std::string_view s) noexcept {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

// What the callbacks fill during one transfer.
struct transfer {
  size_t max_body_bytes = 0;
  std::string body;
  kv_list headers;
  bool too_large = false;
  bool out_of_memory = false;
};

// CURLOPT_WRITEFUNCTION: returning less than asked aborts the transfer
// with CURLE_WRITE_ERROR.
size_t on_body(char* data, size_t size, size_t count, void* user) noexcept {
  auto& t = *static_cast<transfer*>(user);
  size_t n = size * count;
  if (n > t.max_body_bytes - t.body.size()) {
    t.too_large = true;
    return 0;
  }
  try {
    t.body.append(data, n);
  } catch (const std::bad_alloc&) {
    t.out_of_memory = true;
    return 0;
  }
  return n;
}

// CURLOPT_HEADERFUNCTION: one whole header line per call, status lines
// included ("HTTP/1.1 200 OK\r\n"); a new status line starts a new list.
size_t on_header(char* data, size_t size, size_t count, void* user) noexcept {
  auto& t = *static_cast<transfer*>(user);
  size_t n = size * count;
  std::string_view line{data, n};
  try {
    if (line.substr(0, 5) == "HTTP/") {
      t.headers.clear();
      return n;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return n; // the blank line ending the head, or an obsolete fold
    auto name = ascii_lower(trim_space(line.substr(0, colon)));
    t.headers.emplace_back(std::move(name),
                           std::string{trim_space(line.substr(colon + 1))});
  } catch (const std::bad_alloc&) {
    t.out_of_memory = true;
    return 0;
  }
  return n;
}

// Every secret of `req` in `text` replaced by "***" (raw and encoded).
std::string redact(std::string text, const outbound_request& req) {
  for (const auto& secret : req.secrets) {
    if (secret.empty())
      continue;
    for (const auto& needle : {url_encode(secret), secret}) {
      size_t pos = 0;
      while ((pos = text.find(needle, pos)) != std::string::npos) {
        text.replace(pos, needle.size(), "***");
        pos += 3;
      }
    }
  }
  return text;
}

struct slist_deleter {
  void operator()(curl_slist* list) const noexcept {
    curl_slist_free_all(list);
  }
};

using slist_ptr = std::unique_ptr<curl_slist, slist_deleter>;

} // namespace

curl_client::curl_client(curl_options opts) : opts_(std::move(opts)) {
  global_init();
  handle_ = curl_easy_init();
}

curl_client::~curl_client() {
  if (handle_ != nullptr)
    curl_easy_cleanup(handle_);
}

curl_client::curl_client(curl_client&& other) noexcept
    : opts_(std::move(other.opts_)),
      handle_(std::exchange(other.handle_, nullptr)),
      last_total_time_ns_(other.last_total_time_ns_) {
  // nop
}

curl_client& curl_client::operator=(curl_client&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr)
      curl_easy_cleanup(handle_);
    opts_ = std::move(other.opts_);
    handle_ = std::exchange(other.handle_, nullptr);
    last_total_time_ns_ = other.last_total_time_ns_;
  }
  return *this;
}

http_outcome curl_client::perform(const outbound_request& req,
                                  std::string_view base_url) {
  last_total_time_ns_ = 0;
  // Only the redacted form of the URL ever leaves this function.
  auto where = " (" + req.method + " " + req.redacted_url(base_url) + ")";
  auto fail = [&](errc code, std::string what) {
    return fetch_error{code, redact(std::move(what), req) + where, 0};
  };
  if (handle_ == nullptr)
    return fail(errc::unavailable, "curl_easy_init failed");
  auto scheme = base_url.substr(0, base_url.find("://") + 1);
  if (scheme != "http:" && scheme != "https:")
    return fail(errc::invalid_argument, "base URL is not http(s)");
  if (req.method.empty() || has_line_break(req.method))
    return fail(errc::invalid_argument, "bad method");

  // Headers as "Name: value" ("Name;" sends an empty value).
  slist_ptr header_list;
  for (const auto& [name, value] : req.headers) {
    if (name.empty() || has_line_break(name) || has_line_break(value)
        || name.find(':') != std::string::npos)
      return fail(errc::invalid_argument, "bad header name or value");
    auto line = value.empty() ? name + ";" : name + ": " + value;
    auto grown = curl_slist_append(header_list.get(), line.c_str());
    if (grown == nullptr)
      return fail(errc::unavailable, "out of memory");
    (void) header_list.release(); // now owned by `grown`
    header_list.reset(grown);
  }

  auto url = req.url(base_url);
  transfer t;
  t.max_body_bytes = opts_.max_body_bytes;
  char errbuf[CURL_ERROR_SIZE] = {0};
  auto h = static_cast<CURL*>(handle_);
  // A reset keeps live connections, the DNS cache and TLS sessions.
  curl_easy_reset(h);
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); // all built-in decoders
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, to_ms(opts_.timeout_ns));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   to_ms(opts_.connect_timeout_ns));
  curl_easy_setopt(h, CURLOPT_USERAGENT, opts_.user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  // Refuses a declared Content-Length above the limit before any byte of
  // the body; on_body enforces it on what actually arrives.
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(opts_.max_body_bytes));
  if (!req.body.empty()) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(req.body.size()));
  }
  if (req.method == "HEAD")
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  else if (req.method != "GET")
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());

  auto rc = curl_easy_perform(h);
  curl_off_t total_us = 0;
  if (curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &total_us) == CURLE_OK)
    last_total_time_ns_ = static_cast<int64_t>(total_us) * ns_per_us;
  // The handle must not keep pointers to this frame's buffers and lists.
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);

  if (rc != CURLE_OK) {
    std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r'))
      detail.pop_back();
    auto limit = std::to_string(opts_.max_body_bytes);
    if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED)
      return fail(errc::unavailable,
                  "response body exceeds " + limit + " bytes");
    if (t.out_of_memory || rc == CURLE_OUT_OF_MEMORY)
      return fail(errc::unavailable, "out of memory");
    switch (rc) {
      case CURLE_OPERATION_TIMEDOUT: {
        curl_off_t connect_us = 0;
        curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_us);
        if (connect_us == 0 && opts_.connect_timeout_ns > 0)
          return fail(errc::unavailable,
                      "connect timeout after "
                        + std::to_string(to_ms(opts_.connect_timeout_ns))
                        + " ms");
        return fail(errc::unavailable,
                    "timeout after " + std::to_string(to_ms(opts_.timeout_ns))
                      + " ms");
      }
      case CURLE_COULDNT_CONNECT:
        return fail(errc::unavailable, "connection failed: " + detail);
      case CURLE_COULDNT_RESOLVE_HOST:
      case CURLE_COULDNT_RESOLVE_PROXY:
        return fail(errc::unavailable, "cannot resolve host: " + detail);
      case CURLE_PARTIAL_FILE:
        return fail(errc::unavailable, "truncated response body: " + detail);
      case CURLE_GOT_NOTHING:
        return fail(errc::unavailable, "empty reply from server");
      case CURLE_UNSUPPORTED_PROTOCOL:
      case CURLE_WEIRD_SERVER_REPLY:
      case CURLE_BAD_CONTENT_ENCODING:
        return fail(errc::unavailable, "invalid HTTP response: " + detail);
      case CURLE_URL_MALFORMAT:
        return fail(errc::invalid_argument, "malformed URL: " + detail);
      default:
        return fail(errc::unavailable, "transfer failed: " + detail);
    }
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  http_reply reply;
  reply.status = status;
  reply.headers = std::move(t.headers);
  reply.body = std::move(t.body);
  return reply;
}

} // namespace tickflow
