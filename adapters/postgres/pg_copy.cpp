#include "adapters/postgres/pg_copy.hpp"

#include <cstdint>
#include <limits>

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace tickflow::pg {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD"; // U+FFFD

// Length of the valid UTF-8 sequence at s[i], or 0 if it is invalid (the
// caller then replaces one maximal subpart). NUL counts as invalid.
size_t utf8_sequence(std::string_view s, size_t i) noexcept {
  auto byte = [&](size_t k) -> unsigned {
    return static_cast<unsigned char>(s[k]);
  };
  unsigned b0 = byte(i);
  if (b0 == 0)
    return 0;
  if (b0 < 0x80)
    return 1;
  size_t n = 0;
  unsigned lo = 0x80;
  unsigned hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0)
      lo = 0xA0; // no overlongs
    else if (b0 == 0xED)
      hi = 0x9F; // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0)
      lo = 0x90; // no overlongs
    else if (b0 == 0xF4)
      hi = 0x8F; // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + n > s.size())
    return 0;
  unsigned b1 = byte(i + 1);
  if (b1 < lo || b1 > hi)
    return 0;
  for (size_t k = 2; k < n; ++k) {
    unsigned b = byte(i + k);
    if (b < 0x80 || b > 0xBF)
      return 0;
  }
  return n;
}

// Bytes of the maximal invalid subpart at s[i] (at least 1): a lead byte
// followed by the continuation bytes that were still plausible.
size_t invalid_subpart(std::string_view s, size_t i) noexcept {
  size_t k = i + 1;
  auto b0 = static_cast<unsigned char>(s[i]);
  size_t want = b0 >= 0xF0 ? 3 : (b0 >= 0xE0 ? 2 : (b0 >= 0xC2 ? 1 : 0));
  while (want > 0 && k < s.size()) {
    auto b = static_cast<unsigned char>(s[k]);
    if (b < 0x80 || b > 0xBF)
      break;
    ++k;
    --want;
  }
  return k - i;
}

bool is_hex(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
         || (c >= 'A' && c <= 'F');
}

unsigned hex_value(char c) noexcept {
  if (c >= '0' && c <= '9')
    return static_cast<unsigned>(c - '0');
  if (c >= 'a' && c <= 'f')
    return static_cast<unsigned>(c - 'a' + 10);
  return static_cast<unsigned>(c - 'A' + 10);
}

// True if a \uXXXX escape in `json` is one jsonb refuses: \u0000, or any
// surrogate (pairs are refused too: conservative, still lossless).
bool has_risky_escape(std::string_view json) noexcept {
  for (size_t i = 0; i + 1 < json.size(); ++i) {
    if (json[i] != '\\')
      continue;
    if (json[i + 1] == 'u' && i + 5 < json.size() && is_hex(json[i + 2])
        && is_hex(json[i + 3]) && is_hex(json[i + 4]) && is_hex(json[i + 5])) {
      unsigned v = (hex_value(json[i + 2]) << 12)
                   | (hex_value(json[i + 3]) << 8)
                   | (hex_value(json[i + 4]) << 4) | hex_value(json[i + 5]);
      if (v == 0 || (v >= 0xD800 && v <= 0xDFFF))
        return true;
    }
    ++i; // skip the escaped character
  }
  return false;
}

// Accepts every JSON value; refuses nesting deeper than jsonb's comfort and
// numbers whose exponent NUMERIC cannot hold.
struct payload_check
  : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, payload_check> {
  static constexpr int max_depth = 512;
  int depth = 0;

  bool StartObject() { return ++depth <= max_depth; }
  bool EndObject(rapidjson::SizeType) {
    --depth;
    return true;
  }
  bool StartArray() { return ++depth <= max_depth; }
  bool EndArray(rapidjson::SizeType) {
    --depth;
    return true;
  }
  bool RawNumber(const char* str, rapidjson::SizeType len, bool) {
    std::string_view text{str, len};
    auto e = text.find_first_of("eE");
    if (e == std::string_view::npos)
      return true;
    // Exponent digits (after an optional sign): NUMERIC allows about 1e131071.
    size_t digits = 0;
    for (size_t i = e + 1; i < text.size(); ++i)
      if (text[i] >= '0' && text[i] <= '9')
        ++digits;
    return digits <= 5;
  }
};

bool storable_json(std::string_view payload) {
  if (payload.empty() || has_risky_escape(payload))
    return false;
  rapidjson::MemoryStream ms{payload.data(), payload.size()};
  rapidjson::Reader reader;
  payload_check check;
  constexpr unsigned flags = rapidjson::kParseValidateEncodingFlag
                             | rapidjson::kParseNumbersAsStringsFlag
                             | rapidjson::kParseIterativeFlag;
  auto ok = reader.Parse<flags>(ms, check);
  return !ok.IsError();
}

// Appends `text` (already sanitized) as a JSON string literal.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out.append("\\u00");
          out.push_back(hex[u >> 4]);
          out.push_back(hex[u & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void tab(std::string& out) { out.push_back('\t'); }

void append_int(std::string& out, int64_t v) { out.append(std::to_string(v)); }

void append_decimal(std::string& out, decimal d) { d.append_to(out); }

int64_t clamp_u64(uint64_t v) noexcept {
  constexpr auto max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  return v > max ? std::numeric_limits<int64_t>::max()
                 : static_cast<int64_t>(v);
}

} // namespace

std::string sanitize_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    auto n = utf8_sequence(text, i);
    if (n > 0) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      out.append(replacement);
      i += text[i] == '\0' ? 1 : invalid_subpart(text, i);
    }
  }
  return out;
}

void append_copy_field(std::string& out, std::string_view value) {
  auto clean = sanitize_text(value);
  for (char c : clean) {
    switch (c) {
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\v':
        out.append("\\v");
        break;
      default:
        out.push_back(c);
    }
  }
}

std::string jsonb_payload(std::string_view payload) {
  if (storable_json(payload))
    return std::string{payload};
  std::string out;
  append_json_string(out, sanitize_text(payload));
  return out;
}

std::string storage_trade_id(const trade& x) {
  if (!x.trade_id.empty())
    return x.trade_id;
  std::string out = "~";
  out.append(std::to_string(x.ts_event_ns));
  out.push_back(':');
  x.price.append_to(out);
  out.push_back(':');
  x.size.append_to(out);
  out.push_back(':');
  out.append(to_string(x.aggressor));
  return out;
}

std::string copy_rows(const std::vector<bar>& rows) {
  std::string out;
  out.reserve(rows.size() * 200);
  int64_t seq = 0;
  for (auto& x : rows) {
    append_int(out, seq++);
    tab(out);
    append_copy_field(out, to_string(x.source));
    tab(out);
    append_copy_field(out, x.instrument);
    tab(out);
    append_copy_field(out, to_string(x.span));
    tab(out);
    out.append(pg_timestamp(x.open_time_ns));
    tab(out);
    append_int(out, x.open_time_ns);
    tab(out);
    append_decimal(out, x.open);
    tab(out);
    append_decimal(out, x.high);
    tab(out);
    append_decimal(out, x.low);
    tab(out);
    append_decimal(out, x.close);
    tab(out);
    append_decimal(out, x.volume);
    tab(out);
    append_int(out, clamp_u64(x.trade_count));
    tab(out);
    out.push_back(x.closed ? 't' : 'f');
    tab(out);
    append_copy_field(out, x.provider_symbol);
    tab(out);
    append_int(out, static_cast<int64_t>(x.flags));
    tab(out);
    append_int(out, x.ts_recv_ns);
    out.push_back('\n');
  }
  return out;
}

std::string copy_rows(const std::vector<trade>& rows) {
  std::string out;
  out.reserve(rows.size() * 160);
  int64_t seq = 0;
  for (auto& x : rows) {
    append_int(out, seq++);
    tab(out);
    append_copy_field(out, to_string(x.source));
    tab(out);
    append_copy_field(out, x.instrument);
    tab(out);
    append_copy_field(out, storage_trade_id(x));
    tab(out);
    out.append(pg_timestamp(x.ts_event_ns));
    tab(out);
    append_int(out, x.ts_event_ns);
    tab(out);
    append_decimal(out, x.price);
    tab(out);
    append_decimal(out, x.size);
    tab(out);
    append_copy_field(out, to_string(x.aggressor));
    tab(out);
    append_copy_field(out, x.provider_symbol);
    tab(out);
    append_int(out, static_cast<int64_t>(x.flags));
    tab(out);
    append_int(out, x.ts_recv_ns);
    out.push_back('\n');
  }
  return out;
}

std::string copy_rows(const std::vector<quarantine_record>& rows) {
  std::string out;
  int64_t seq = 0;
  for (auto& x : rows) {
    append_int(out, seq++);
    tab(out);
    append_copy_field(out, x.rule);
    tab(out);
    append_copy_field(out, x.reason);
    tab(out);
    append_copy_field(out, to_string(x.source));
    tab(out);
    append_copy_field(out, x.instrument);
    tab(out);
    out.append(pg_timestamp(x.event_time_ns));
    tab(out);
    append_int(out, x.event_time_ns);
    tab(out);
    append_copy_field(out, jsonb_payload(x.payload));
    tab(out);
    out.append(pg_timestamp(x.seen_at_ns));
    out.push_back('\n');
  }
  return out;
}

} // namespace tickflow::pg
