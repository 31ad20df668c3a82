#pragma once

// Client API keys, stored hashed. The key file ([auth] keys-file) holds one
// key per line; blank lines and lines starting with '#' are ignored:
//
//   <name> <sha256-hex> [<requests-per-second> [<burst>]]
//
//   # printf %s "$KEY" | sha256sum
//   dashboard 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 20 40
//   backtest  60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752
//
// name: 1 to 64 of A-Z a-z 0-9 _ - . (unique; it names the client in logs
// and metrics, never the key). sha256-hex: the SHA-256 of the key, 64 hex
// digits (unique). The optional rate (a number >= 0; 0 = no limit) and burst
// (an integer >= 1) replace the [limits] defaults for this key. The keys
// themselves are never stored.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/digest.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::api {

/// One configured client key.
struct api_key_entry {
  std::string name;
  sha256_digest digest{};
  std::optional<double> requests_per_second; ///< the key's own rate, if set
  std::optional<uint32_t> burst;             ///< the key's own burst, if set
};

/// The configured keys.
class api_key_set {
 public:
  /// Parses a key file. errc::config_invalid "<source>:<line>: <problem>"
  /// for the first bad line.
  static result<api_key_set> parse(std::string_view text, std::string_view source);

  /// The entry of `key` (compared by its SHA-256 against every entry in
  /// constant time), or nullptr.
  const api_key_entry* find(std::string_view key) const noexcept;

  size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }
  const std::vector<api_key_entry>& entries() const noexcept { return entries_; }

 private:
  std::vector<api_key_entry> entries_;
};

} // namespace tickflow::api
