#pragma once

// Redis-style glob patterns (the syntax of SCAN ... MATCH), so one pattern
// selects the same keys in the L1 and in Redis.

#include <cstddef>
#include <string_view>

namespace tickflow::cache {

/// True if `text` matches `pattern`: `*` any run (also empty), `?` one
/// character, `[abc]`, `[a-z]` and `[^a]` (also `[!a]`) one character of /
/// not of a set, `\x` the character x. An unterminated `[` matches the rest
/// of the set as listed. Iterative; no recursion depth to exhaust.
bool glob_match(std::string_view pattern, std::string_view text) noexcept;

/// A pattern the cache-clear endpoint accepts: 1 to 256 printable ASCII
/// characters (no spaces or control characters).
bool valid_glob(std::string_view pattern) noexcept;

} // namespace tickflow::cache
