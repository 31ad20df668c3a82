#pragma once

// The one JSON string escaper: REST and WebSocket bodies, Redis values, log
// lines, Postgres payloads and the frames sent to providers all quote text
// through it, so every one of them treats odd bytes the same way.

#include <string>
#include <string_view>

namespace tickflow {

/// Appends `s` as the body of a JSON string (no quotes): `"` `\` and the
/// control characters U+0000..U+001F are escaped (\b \f \n \r \t, the others
/// as \u00xx), valid UTF-8 is copied unchanged, and every byte that is not
/// part of a valid UTF-8 sequence (stray continuation bytes, truncated or
/// overlong sequences, surrogates, code points above U+10FFFF) becomes one
/// U+FFFD. The output is always valid JSON, whatever the input.
void append_json_escaped(std::string& out, std::string_view s);

/// Appends `s` as a JSON string literal: `"` + append_json_escaped + `"`.
void append_json_string(std::string& out, std::string_view s);

} // namespace tickflow
