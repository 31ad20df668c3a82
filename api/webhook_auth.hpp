#pragma once

// Webhook signatures. A sender signs each POST with the provider's shared
// secret:
//
//   X-Tickflow-Timestamp: <unix seconds>
//   X-Tickflow-Signature: sha256=<hex of HMAC-SHA256(secret, timestamp + "." + body)>
//
// Signing the timestamp with the body stops a captured request from being
// sent again later: the timestamp must be within the window of our clock,
// and a signature already accepted within the window is refused as a replay.

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace tickflow::api {

inline constexpr const char* webhook_timestamp_header = "x-tickflow-timestamp";
inline constexpr const char* webhook_signature_header = "x-tickflow-signature";

/// "sha256=<hex>" for `body` sent at `timestamp` (the header's text).
std::string webhook_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body);

/// Why a webhook request was refused (or not).
enum class webhook_verdict : uint8_t {
  ok,
  too_large,         ///< body over the limit (413)
  missing_signature, ///< a header is missing (401)
  bad_timestamp,     ///< the timestamp is not an integer of seconds (401)
  stale,             ///< the timestamp is outside the window (401)
  bad_signature,     ///< the signature does not match (401)
  replayed,          ///< this signature was accepted before (401)
  busy,              ///< too many signatures remembered to check replays (503)
};

/// Stable snake_case name ("bad_signature").
std::string_view to_string(webhook_verdict v) noexcept;

/// Checks signed webhook requests and remembers accepted signatures for one
/// window. Pure: time is a parameter.
class webhook_verifier {
 public:
  webhook_verifier(int64_t window_ns, size_t max_body_bytes,
                   size_t max_remembered = 100000);

  /// Checks one request; `timestamp` and `signature` are the header values
  /// (nullptr when absent). The signature is compared in constant time. On
  /// ok the signature is remembered until it leaves the window.
  webhook_verdict verify(std::string_view secret, const std::string* timestamp,
                         const std::string* signature, std::string_view body,
                         int64_t now_ns);

  /// Signatures remembered right now.
  size_t remembered() const noexcept { return seen_.size(); }

 private:
  void forget_expired(int64_t now_ns);

  int64_t window_ns_;
  size_t max_body_bytes_;
  size_t max_remembered_;
  std::unordered_set<std::string> seen_;
  /// (forget after, signature), sorted by the first.
  std::deque<std::pair<int64_t, std::string>> expiry_;
};

} // namespace tickflow::api
