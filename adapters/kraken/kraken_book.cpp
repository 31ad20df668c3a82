#include "adapters/kraken/kraken_book.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <charconv>
#include <limits>


namespace tickflow::kraken {

namespace {

// Fraction digits of a decimal string as written ("27918.60000" -> 5).
uint8_t written_scale(std::string_view text) noexcept {
  auto dot = text.find('.');
  if (dot == std::string_view::npos)
    return 0;
  auto n = text.size() - dot - 1;
  return static_cast<uint8_t>(std::min<size_t>(n, decimal::max_scale));
}

std::string at(const char* name, size_t i) {
  return std::string{name} + "[" + std::to_string(i) + "]";
}

result<decimal> number(const rapidjson::Value& v, const std::string& where,
                       uint8_t* scale) {
  if (!v.IsString())
    return error{errc::bad_number, where + ": expected a decimal string"};
  std::string_view text{v.GetString(), v.GetStringLength()};
  auto x = decimal::parse(text);
  if (!x)
    return error{errc::bad_number, where + ": " + x.err().context};
  if (scale)
    *scale = std::max(*scale, written_scale(text));
  return *x;
}

// Seconds with a fraction ("1685349920.743439") -> ns.
result<int64_t> seconds_to_ns(decimal s, const std::string& where) {
  if (s.is_negative() || s.scale > 9)
    return error{errc::out_of_range, where + ": time out of range"};
  int64_t p = 1;
  for (int i = s.scale; i < 9; ++i)
    p *= 10;
  if (s.mantissa > std::numeric_limits<int64_t>::max() / p)
    return error{errc::out_of_range, where + ": time out of range"};
  return s.mantissa * p;
}

result<void> levels(const rapidjson::Value& rows, const char* name,
                    std::vector<book_level>& out, book_frame& frame) {
  if (!rows.IsArray())
    return error{errc::malformed, std::string{name} + ": expected an array"};
  if (rows.Size() > max_book_levels)
    return error{errc::out_of_range,
                 std::string{name} + ": " + std::to_string(rows.Size())
                   + " levels, more than "
                   + std::to_string(max_book_levels)};
  out.reserve(out.size() + rows.Size());
  for (rapidjson::SizeType i = 0; i < rows.Size(); ++i) {
    const auto& row = rows[i];
    auto where = at(name, i);
    if (!row.IsArray() || row.Size() < 3 || row.Size() > 4)
      return error{errc::malformed,
                   where + ": expected [price, volume, time(, \"r\")]"};
    book_level l;
    auto price = number(row[0], where + "[0]", &frame.price_scale);
    if (!price)
      return price.err();
    auto volume = number(row[1], where + "[1]", &frame.volume_scale);
    if (!volume)
      return volume.err();
    auto time = number(row[2], where + "[2]", nullptr);
    if (!time)
      return time.err();
    auto ns = seconds_to_ns(*time, where + "[2]");
    if (!ns)
      return ns.err();
    if (row.Size() == 4) {
      if (!row[3].IsString() || std::string_view{row[3].GetString()} != "r")
        return error{errc::malformed, where + "[3]: expected \"r\""};
      l.republish = true;
    }
    if (!price->is_positive() || volume->is_negative())
      return error{errc::out_of_range,
                   where + ": price must be > 0 and volume >= 0"};
    l.price = *price;
    l.volume = *volume;
    l.ts_ns = *ns;
    out.push_back(l);
  }
  return {};
}

result<uint32_t> checksum(const rapidjson::Value& v) {
  if (!v.IsString())
    return error{errc::bad_number, "c: expected a decimal string"};
  std::string_view text{v.GetString(), v.GetStringLength()};
  uint64_t n = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || r.ec != std::errc{} || r.ptr != text.data() + text.size())
    return error{errc::bad_number, "c: expected an unsigned integer"};
  if (n > std::numeric_limits<uint32_t>::max())
    return error{errc::out_of_range, "c: more than 32 bits"};
  return static_cast<uint32_t>(n);
}

// One payload object of the frame ({"as","bs"} or {"a"}/{"b"}/"c").
result<void> payload(const rapidjson::Value& obj, book_frame& frame) {
  if (!obj.IsObject())
    return error{errc::malformed, "book payload: expected an object"};
  for (auto m = obj.MemberBegin(); m != obj.MemberEnd(); ++m) {
    std::string_view key{m->name.GetString(), m->name.GetStringLength()};
    result<void> ok;
    if (key == "as" || key == "bs") {
      frame.snapshot = true;
      ok = levels(m->value, key == "as" ? "as" : "bs",
                  key == "as" ? frame.asks : frame.bids, frame);
    } else if (key == "a" || key == "b") {
      ok = levels(m->value, key == "a" ? "a" : "b",
                  key == "a" ? frame.asks : frame.bids, frame);
    } else if (key == "c") {
      auto c = checksum(m->value);
      if (!c)
        return c.err();
      frame.checksum = *c;
    }
    // Other keys are ignored (Kraken may add fields).
    if (!ok)
      return ok;
  }
  return {};
}

} // namespace

result<book_frame> parse_book_frame(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError())
    return error{errc::malformed,
                 std::string{"not JSON: "}
                   + rapidjson::GetParseError_En(doc.GetParseError())
                   + " at offset " + std::to_string(doc.GetErrorOffset())};
  if (!doc.IsArray() || doc.Size() < 4 || doc.Size() > 5)
    return error{errc::malformed,
                 "not a book frame: expected [channelID, payload(s), "
                 "channel, pair]"};
  auto n = doc.Size();
  const auto& name = doc[n - 2];
  const auto& pair = doc[n - 1];
  if (!doc[0].IsInt64() || !name.IsString() || !pair.IsString())
    return error{errc::malformed,
                 "not a book frame: channelID, channel or pair mistyped"};
  book_frame out;
  out.channel_id = doc[0].GetInt64();
  out.channel.assign(name.GetString(), name.GetStringLength());
  out.pair.assign(pair.GetString(), pair.GetStringLength());
  if (out.channel.rfind("book", 0) != 0)
    return error{errc::malformed, "channel: expected book-<depth>, got "
                                    + out.channel.substr(0, 32)};
  for (rapidjson::SizeType i = 1; i + 2 < n; ++i)
    if (auto ok = payload(doc[i], out); !ok)
      return ok.err();
  if (out.snapshot && out.checksum)
    return error{errc::malformed, "a snapshot carries no checksum"};
  return out;
}

void apply_book_frame(const book_frame& frame, book::l2_book& book) {
  int64_t newest = frame.snapshot ? 0 : book.ts_event_ns();
  auto to_levels = [&newest](const std::vector<book_level>& in) {
    std::vector<book::level> out;
    out.reserve(in.size());
    for (const auto& l : in) {
      out.push_back({l.price, l.volume});
      newest = std::max(newest, l.ts_ns);
    }
    return out;
  };
  if (frame.snapshot) {
    auto bids = to_levels(frame.bids);
    auto asks = to_levels(frame.asks);
    book.apply_snapshot(bids, asks, 0, newest);
    return;
  }
  for (const auto& l : frame.asks) {
    book.apply(book::side::ask, l.price, l.volume);
    newest = std::max(newest, l.ts_ns);
  }
  for (const auto& l : frame.bids) {
    book.apply(book::side::bid, l.price, l.volume);
    newest = std::max(newest, l.ts_ns);
  }
  book.set_last_update(book.last_update_id(), newest);
}

book::checksum_format checksum_format_of(const book_frame& snapshot,
                                         size_t depth) {
  return {snapshot.price_scale, snapshot.volume_scale, depth};
}

} // namespace tickflow::kraken
