#include "adapters/postgres/pg_copy.hpp"

#include <cstdint>
#include <limits>

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "pipeline/model/json_string.hpp"

namespace tickflow::pg {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD"; // U+FFFD

// What a lead byte allows: sequence length and the range of the second
// byte (which rules out overlongs, surrogates and values above U+10FFFF).
// n == 0 for a byte that cannot start a sequence.
struct lead_info {
  size_t n = 0;
  unsigned lo = 0x80;
  unsigned hi = 0xBF;
};

lead_info lead(unsigned b0) noexcept {
  lead_info x;
  if (b0 >= 0x01 && b0 < 0x80)
    x.n = 1;
  else if (b0 >= 0xC2 && b0 <= 0xDF)
    x.n = 2;
  else if (b0 >= 0xE0 && b0 <= 0xEF)
    x.n = 3;
  else if (b0 >= 0xF0 && b0 <= 0xF4)
    x.n = 4;
  if (b0 == 0xE0)
    x.lo = 0xA0;
  else if (b0 == 0xED)
    x.hi = 0x9F;
  else if (b0 == 0xF0)
    x.lo = 0x90;
  else if (b0 == 0xF4)
    x.hi = 0x8F;
  return x;
}

// Bytes of the sequence at s[i] that form a valid prefix of a UTF-8
// character (the whole character if it is complete). NUL counts as invalid.
size_t valid_prefix(std::string_view s, size_t i, size_t& full) noexcept {
  auto byte = [&](size_t k) -> unsigned {
    return static_cast<unsigned char>(s[k]);
  };
  auto x = lead(byte(i));
  full = x.n;
  if (x.n == 0)
    return 0;
  size_t k = 1;
  if (k < x.n && i + k < s.size() && byte(i + k) >= x.lo
      && byte(i + k) <= x.hi)
    ++k;
  else if (k < x.n)
    return k;
  while (k < x.n && i + k < s.size() && byte(i + k) >= 0x80
         && byte(i + k) <= 0xBF)
    ++k;
  return k;
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

// Accepts every JSON value but refuses nesting deeper than jsonb's comfort.
// (RapidJSON itself refuses numbers beyond the double range, such as 1e400,
// even with kParseNumbersAsStringsFlag: those payloads are kept as strings.)
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

void tab(std::string& out) { out.push_back('\t'); }

void append_int(std::string& out, int64_t v) { out.append(std::to_string(v)); }

void append_decimal(std::string& out, decimal d) { d.append_to(out); }

int64_t clamp_u64(uint64_t v) noexcept {
  constexpr auto max =
    static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  return v > max ? std::numeric_limits<int64_t>::max()
                 : static_cast<int64_t>(v);
}

} // namespace

std::string sanitize_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t full = 0;
    auto n = valid_prefix(text, i, full);
    if (n > 0 && n == full) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      // One U+FFFD per maximal invalid subpart (Unicode's recommendation).
      out.append(replacement);
      i += n > 0 ? n : 1;
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
  for (auto& x : rows) {
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
  for (auto& x : rows) {
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
  for (auto& x : rows) {
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
