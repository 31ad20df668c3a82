#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.hpp"

namespace tickflow {

// -- document model -----------------------------------------------------------

/// One `key = value` line of an INI file.
struct ini_entry {
  std::string key;    ///< as written, e.g. "max-connections"
  std::string value;  ///< trimmed; quotes removed and escapes resolved
  size_t line = 0;    ///< 1-based line number in the source text
  bool quoted = false; ///< the value was written in double quotes
};

/// One `[name]` block with its entries in file order.
struct ini_section {
  std::string name;   ///< as written between the brackets, e.g. "gateway"
  size_t line = 0;    ///< 1-based line of the `[name]` header
  std::vector<ini_entry> entries;

  /// The entry with this key, or nullptr.
  const ini_entry* find(std::string_view key) const noexcept;
};

/// A parsed INI file: its sections in file order. Section names and keys are
/// unique (the parser rejects duplicates).
struct ini_document {
  std::vector<ini_section> sections;

  /// The section with this name, or nullptr.
  const ini_section* find(std::string_view name) const noexcept;
};

// -- parsing ------------------------------------------------------------------

/// Parses INI text. The accepted syntax, line by line (leading and trailing
/// blanks are ignored, "\r\n" line ends and a UTF-8 BOM are accepted):
///   - empty line;
///   - full-line comment: first non-blank character is '#' or ';';
///   - `[name]` section header;
///   - `key = value` inside a section. The value is trimmed. A '#' or ';'
///     that is preceded by a blank, or is the value's first character,
///     starts a trailing comment. A value in double quotes keeps its
///     blanks and comment characters; inside quotes `\"` and `\\` are the
///     only escapes.
/// Section names and keys are 1 or more of a-z, A-Z, 0-9, '-', '_', '.'.
///
/// Errors are errc::config_invalid with a one-line context
///   "<source>:<line>: <problem>"                        (syntax)
///   "<source>:<line>: [<section>]: <problem>"            (section header)
///   "<source>:<line>: <section>.<key>: <problem>"        (entry)
/// covering: a line that is neither of the above, a key outside any section,
/// a duplicate section, a duplicate key, an unterminated quote and text after
/// a closing quote.
result<ini_document> parse_ini(std::string_view text, std::string_view source);

/// `"text"` with '"', '\\' and control characters escaped and anything past
/// 80 characters cut to "...": how errors quote user input on one line.
std::string quote_for_error(std::string_view text);

} // namespace tickflow
