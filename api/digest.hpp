#pragma once

// SHA-256, HMAC-SHA256 (OpenSSL libcrypto), hex, and a constant-time compare.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tickflow::api {

using sha256_digest = std::array<uint8_t, 32>;

/// SHA-256 of `data`.
sha256_digest sha256(std::string_view data);

/// HMAC-SHA256 of `data` under `key`.
sha256_digest hmac_sha256(std::string_view key, std::string_view data);

/// Lowercase hex of a digest (64 characters).
std::string to_hex(const sha256_digest& d);

/// The digest written as 64 hex digits (either case), or nullopt.
std::optional<sha256_digest> digest_from_hex(std::string_view hex);

/// True when a and b are equal; takes the same time wherever they differ.
bool constant_time_equal(const sha256_digest& a, const sha256_digest& b) noexcept;

} // namespace tickflow::api
