#include "api/webhook_auth.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "api/digest.hpp"

namespace tickflow::api {

namespace {

constexpr std::string_view signature_prefix = "sha256=";
constexpr int64_t ns_per_second = 1'000'000'000;

} // namespace

std::string webhook_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body) {
  std::string signed_text;
  signed_text.reserve(timestamp.size() + 1 + body.size());
  signed_text.append(timestamp).append(".").append(body);
  return std::string{signature_prefix} + to_hex(hmac_sha256(secret, signed_text));
}

std::string_view to_string(webhook_verdict v) noexcept {
  switch (v) {
    case webhook_verdict::ok: return "ok";
    case webhook_verdict::too_large: return "too_large";
    case webhook_verdict::missing_signature: return "missing_signature";
    case webhook_verdict::bad_timestamp: return "bad_timestamp";
    case webhook_verdict::stale: return "stale_timestamp";
    case webhook_verdict::bad_signature: return "bad_signature";
    case webhook_verdict::replayed: return "replayed";
    case webhook_verdict::busy: return "busy";
  }
  return "unknown";
}

webhook_verifier::webhook_verifier(int64_t window_ns, size_t max_body_bytes,
                                   size_t max_remembered)
    : window_ns_(std::max<int64_t>(ns_per_second, window_ns)),
      max_body_bytes_(max_body_bytes),
      max_remembered_(std::max<size_t>(1, max_remembered)) {
  // nop
}

void webhook_verifier::forget_expired(int64_t now_ns) {
  while (!expiry_.empty() && expiry_.front().first < now_ns) {
    seen_.erase(expiry_.front().second);
    expiry_.pop_front();
  }
}

webhook_verdict webhook_verifier::verify(std::string_view secret,
                                         const std::string* timestamp,
                                         const std::string* signature,
                                         std::string_view body, int64_t now_ns) {
  if (body.size() > max_body_bytes_)
    return webhook_verdict::too_large;
  if (timestamp == nullptr || signature == nullptr)
    return webhook_verdict::missing_signature;
  int64_t ts_s = 0;
  auto& ts = *timestamp;
  auto r = std::from_chars(ts.data(), ts.data() + ts.size(), ts_s);
  // Seconds since 1970 up to the year 2262: more would overflow in ns.
  if (ts.empty() || r.ec != std::errc{} || r.ptr != ts.data() + ts.size()
      || ts_s < 0 || ts_s > std::numeric_limits<int64_t>::max() / ns_per_second)
    return webhook_verdict::bad_timestamp;
  auto sent_ns = ts_s * ns_per_second;
  auto skew = sent_ns > now_ns ? sent_ns - now_ns : now_ns - sent_ns;
  if (skew > window_ns_)
    return webhook_verdict::stale;
  std::string_view given{*signature};
  if (given.substr(0, signature_prefix.size()) != signature_prefix)
    return webhook_verdict::bad_signature;
  auto claimed = digest_from_hex(given.substr(signature_prefix.size()));
  std::string signed_text;
  signed_text.reserve(ts.size() + 1 + body.size());
  signed_text.append(ts).append(".").append(body);
  auto expected = hmac_sha256(secret, signed_text);
  if (!claimed || !constant_time_equal(*claimed, expected))
    return webhook_verdict::bad_signature;
  forget_expired(now_ns);
  auto key = to_hex(expected);
  if (seen_.count(key) > 0)
    return webhook_verdict::replayed;
  if (seen_.size() >= max_remembered_)
    return webhook_verdict::busy;
  seen_.insert(key);
  // Past sent + window the timestamp check refuses it anyway. Entries are
  // appended in acceptance order, which is not expiry order; keep the deque
  // sorted so forget_expired can stop at the first live entry.
  auto forget_at = sent_ns + window_ns_;
  auto at = std::upper_bound(
    expiry_.begin(), expiry_.end(), forget_at,
    [](int64_t t, const std::pair<int64_t, std::string>& e) { return t < e.first; });
  expiry_.insert(at, {forget_at, std::move(key)});
  return webhook_verdict::ok;
}

} // namespace tickflow::api
