#include "pipeline/topology/ini.hpp"

#include <utility>

#include "pipeline/model/text.hpp"

namespace tickflow {

namespace {

constexpr size_t max_quoted_chars = 80;

bool is_comment_char(char c) noexcept {
  return c == '#' || c == ';';
}

bool is_name_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
         || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

bool is_name(std::string_view s) noexcept {
  if (s.empty())
    return false;
  for (char c : s)
    if (!is_name_char(c))
      return false;
  return true;
}

/// True when what follows a value is nothing or a comment.
bool is_rest_empty(std::string_view rest) noexcept {
  rest = trim_blanks(rest);
  return rest.empty() || is_comment_char(rest.front());
}

/// Builds errors that all start with "<source>:<line>: ".
class error_builder {
 public:
  explicit error_builder(std::string_view source) : source_(source) {
    // nop
  }

  error at(size_t line, std::string_view what) const {
    std::string ctx;
    ctx.reserve(source_.size() + what.size() + 16);
    ctx.append(source_);
    ctx += ':';
    ctx += std::to_string(line);
    ctx += ": ";
    ctx.append(what);
    return error{errc::config_invalid, std::move(ctx)};
  }

 private:
  std::string_view source_;
};

/// Result of reading the text after '=' on one line.
struct value_scan {
  std::string value;
  bool quoted = false;
  std::string problem; ///< empty when the value is fine
};

value_scan scan_quoted(std::string_view raw) {
  // raw starts at the opening quote.
  value_scan out;
  out.quoted = true;
  size_t i = 1;
  for (; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '"')
      break;
    if (c == '\\') {
      if (i + 1 < raw.size() && (raw[i + 1] == '"' || raw[i + 1] == '\\')) {
        out.value += raw[++i];
        continue;
      }
      std::string esc = "\\";
      if (i + 1 < raw.size())
        esc += raw[i + 1];
      out.problem = "invalid escape " + quote_for_error(esc)
                    + " in quoted value (only \\\" and \\\\ are allowed)";
      return out;
    }
    out.value += c;
  }
  if (i >= raw.size()) {
    out.problem = "unterminated quoted value";
    return out;
  }
  auto rest = raw.substr(i + 1);
  if (!is_rest_empty(rest))
    out.problem = "unexpected text after the closing quote: "
                  + quote_for_error(trim_blanks(rest));
  return out;
}

value_scan scan_value(std::string_view raw) {
  // raw is everything after '='. A comment starts at a '#' or ';' that is the
  // first non-blank character or follows a blank.
  auto lead = raw.find_first_not_of(" \t");
  if (lead == std::string_view::npos)
    return {};
  raw.remove_prefix(lead);
  if (raw.front() == '"')
    return scan_quoted(raw);
  size_t end = raw.size();
  for (size_t i = 0; i < raw.size(); ++i) {
    if (is_comment_char(raw[i]) && (i == 0 || is_blank(raw[i - 1]))) {
      end = i;
      break;
    }
  }
  value_scan out;
  out.value = std::string{trim_blanks(raw.substr(0, end))};
  return out;
}

} // namespace

const ini_entry* ini_section::find(std::string_view key) const noexcept {
  for (auto& e : entries)
    if (e.key == key)
      return &e;
  return nullptr;
}

const ini_section* ini_document::find(std::string_view name) const noexcept {
  for (auto& s : sections)
    if (s.name == name)
      return &s;
  return nullptr;
}

std::string quote_for_error(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  size_t n = 0;
  for (char c : text) {
    if (n++ == max_quoted_chars) {
      out += "...";
      break;
    }
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 0x0f];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

result<ini_document> parse_ini(std::string_view text,
                               std::string_view source) {
  error_builder err{source};
  ini_document doc;
  // Skip a UTF-8 byte order mark.
  if (text.substr(0, 3) == "\xEF\xBB\xBF")
    text.remove_prefix(3);
  size_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    auto nl = text.find('\n', pos);
    auto line = text.substr(pos, nl == std::string_view::npos
                                   ? std::string_view::npos
                                   : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    line = trim_blanks(line);
    if (line.empty() || is_comment_char(line.front()))
      continue;
    // Section header.
    if (line.front() == '[') {
      auto close = line.find(']');
      if (close == std::string_view::npos)
        return err.at(line_no, "syntax error: expected \"[section]\", got "
                                 + quote_for_error(line));
      auto name = trim_blanks(line.substr(1, close - 1));
      if (!is_name(name))
        return err.at(line_no, "syntax error: invalid section name "
                                 + quote_for_error(name)
                                 + " (use a-z, 0-9, '-', '_', '.')");
      if (!is_rest_empty(line.substr(close + 1)))
        return err.at(line_no, "syntax error: unexpected text after \"["
                                 + std::string{name} + "]\": "
                                 + quote_for_error(
                                   trim_blanks(line.substr(close + 1))));
      if (auto prev = doc.find(name))
        return err.at(line_no, "[" + std::string{name}
                                 + "]: duplicate section (first on line "
                                 + std::to_string(prev->line) + ")");
      doc.sections.push_back(ini_section{std::string{name}, line_no, {}});
      continue;
    }
    // Entry.
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
      return err.at(line_no, "syntax error: expected \"key = value\", got "
                               + quote_for_error(line));
    auto key = trim_blanks(line.substr(0, eq));
    if (key.empty())
      return err.at(line_no, "syntax error: missing key before '=' in "
                               + quote_for_error(line));
    if (!is_name(key))
      return err.at(line_no, "syntax error: invalid key "
                               + quote_for_error(key)
                               + " (use a-z, 0-9, '-', '_', '.')");
    if (doc.sections.empty())
      return err.at(line_no, std::string{key}
                               + ": key outside any section (add a"
                                 " [section] header above it)");
    auto& sec = doc.sections.back();
    auto what = sec.name + "." + std::string{key};
    auto scan = scan_value(line.substr(eq + 1));
    if (!scan.problem.empty())
      return err.at(line_no, what + ": " + scan.problem);
    if (auto prev = sec.find(key))
      return err.at(line_no, what + ": duplicate key (first set on line "
                               + std::to_string(prev->line) + ")");
    sec.entries.push_back(ini_entry{std::string{key}, std::move(scan.value),
                                    line_no, scan.quoted});
  }
  return doc;
}

} // namespace tickflow
