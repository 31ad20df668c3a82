#include "api/ws_protocol.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "api/event_json.hpp"
#include "pipeline/indicators/indicator_json.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::api {

namespace {

/// Most channels one subscribe/unsubscribe may name.
constexpr size_t max_channels_per_command = 256;

/// Longest channel name accepted in a command.
constexpr size_t max_channel_name_bytes = 128;

/// `,"<key>":<ns>`, or `,"<key>":null` when ns is 0 (not known).
void append_optional_time(std::string& out, std::string_view key,
                          int64_t ts_ns) {
  out += ",\"";
  out.append(key.data(), key.size());
  out += "\":";
  if (ts_ns == 0) {
    out += "null";
    return;
  }
  out += std::to_string(ts_ns);
}

std::string snapshot_head(std::string_view channel) {
  std::string out{"{\"type\":\"snapshot\",\"channel\":"};
  append_json_string(out, channel);
  return out;
}

template <class Event>
std::string make_event_message(std::string_view type, const Event& x) {
  std::string out;
  out.reserve(384);
  out += "{\"type\":\"";
  out.append(type.data(), type.size());
  out += "\",\"channel\":";
  append_json_string(out, channel_of(x));
  out += ",\"data\":";
  append_json(out, x);
  out += '}';
  return out;
}

std::string make_channels_message(std::string_view type,
                                   const std::vector<std::string>& channels) {
  std::string out;
  out += "{\"type\":\"";
  out.append(type.data(), type.size());
  out += "\",\"channels\":[";
  for (size_t i = 0; i < channels.size(); ++i) {
    if (i > 0)
      out += ',';
    append_json_string(out, channels[i]);
  }
  out += "]}";
  return out;
}

} // namespace

// -- client commands ------------------------------------------------------------

result<client_command> parse_client_command(std::string_view text) {
  // Iterative parsing: a frame full of '[' must not exhaust the stack.
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError())
    return error{errc::malformed,
                 std::string{"invalid JSON at offset "}
                   + std::to_string(doc.GetErrorOffset()) + ": "
                   + rapidjson::GetParseError_En(doc.GetParseError())};
  if (!doc.IsObject())
    return error{errc::malformed, "command must be a JSON object"};
  auto op_it = doc.FindMember("op");
  if (op_it == doc.MemberEnd() || !op_it->value.IsString())
    return error{errc::malformed, "op"};
  std::string_view op{op_it->value.GetString(),
                      op_it->value.GetStringLength()};
  client_command cmd{};
  if (op == "ping") {
    cmd.op = client_command::op_kind::ping;
    return cmd; // channels, if any, are ignored
  }
  if (op == "resync") {
    // {"op":"resync","channel":"trades:BTC-USDT"} (or "channels":[...]).
    auto one = doc.FindMember("channel");
    if (one != doc.MemberEnd()) {
      if (!one->value.IsString() || one->value.GetStringLength() > max_channel_name_bytes)
        return error{errc::malformed, "channel"};
      cmd.op = client_command::op_kind::resync;
      cmd.channels.emplace_back(one->value.GetString(), one->value.GetStringLength());
      return cmd;
    }
    cmd.op = client_command::op_kind::resync;
  } else if (op == "subscribe")
    cmd.op = client_command::op_kind::subscribe;
  else if (op == "unsubscribe")
    cmd.op = client_command::op_kind::unsubscribe;
  else
    return error{errc::invalid_argument, "unknown op: " + broadcast::echo_input(op)};
  auto ch_it = doc.FindMember("channels");
  if (ch_it == doc.MemberEnd() || !ch_it->value.IsArray())
    return error{errc::malformed, "channels"};
  const auto& arr = ch_it->value;
  // An empty list would otherwise get no answer at all.
  if (arr.Empty())
    return error{errc::malformed, "channels: empty"};
  if (arr.Size() > max_channels_per_command)
    return error{errc::malformed,
                 "channels: more than "
                   + std::to_string(max_channels_per_command)};
  cmd.channels.reserve(arr.Size());
  for (const auto& entry : arr.GetArray()) {
    if (!entry.IsString())
      return error{errc::malformed, "channels: entries must be strings"};
    if (entry.GetStringLength() > max_channel_name_bytes)
      return error{errc::malformed,
                   "channels: entry longer than "
                     + std::to_string(max_channel_name_bytes) + " bytes"};
    cmd.channels.emplace_back(entry.GetString(), entry.GetStringLength());
  }
  return cmd;
}

// -- server messages ------------------------------------------------------------

std::string event_message(const trade& x) {
  return make_event_message("trade", x);
}

std::string event_message(const quote& x) {
  return make_event_message("quote", x);
}

std::string event_message(const bar& x) {
  return make_event_message("bar", x);
}

void append_json(std::string& out, const feed_status& x) {
  out += "{\"provider\":";
  append_json_string(out, to_string(x.source));
  out += ",\"connection\":";
  append_json_string(out, x.connection);
  out += ",\"state\":";
  append_json_string(out, to_string(x.state));
  append_optional_time(out, "gap_start", x.gap_start_ns);
  append_optional_time(out, "gap_end", x.gap_end_ns);
  out += ",\"reason\":";
  append_json_string(out, x.reason);
  out += ",\"ts\":";
  out += std::to_string(x.ts_ns);
  out += ",\"time\":\"";
  out += format_iso8601(x.ts_ns);
  out += "\"}";
}

std::string event_message(const feed_status& x) {
  std::string out;
  out.reserve(256);
  out += "{\"type\":\"status\",\"channel\":";
  append_json_string(out, channel_of(x));
  out += ",\"data\":";
  append_json(out, x);
  out += '}';
  return out;
}

std::string price_snapshot_message(std::string_view channel,
                                   const price* last) {
  auto out = snapshot_head(channel);
  out += ",\"price\":";
  if (last)
    append_json(out, *last);
  else
    out += "null";
  out += '}';
  return out;
}

std::string bars_snapshot_message(std::string_view channel,
                                  const std::vector<bar>& bars) {
  auto out = snapshot_head(channel);
  out.reserve(out.size() + 32 + bars.size() * 320);
  out += ",\"bars\":[";
  for (size_t i = 0; i < bars.size(); ++i) {
    if (i > 0)
      out += ',';
    append_json(out, bars[i]);
  }
  out += "]}";
  return out;
}

std::string status_snapshot_message(std::string_view channel,
                                    const std::vector<feed_status>& last) {
  auto out = snapshot_head(channel);
  out += ",\"statuses\":[";
  for (size_t i = 0; i < last.size(); ++i) {
    if (i > 0)
      out += ',';
    append_json(out, last[i]);
  }
  out += "]}";
  return out;
}

std::string hello_message(const hello_info& x) {
  std::string out{"{\"type\":\"hello\",\"server\":\"tickflow\",\"version\":"};
  append_json_string(out, x.version);
  out += ",\"heartbeat_ms\":";
  out += std::to_string(x.heartbeat_ms);
  out += ",\"max_channels\":";
  out += std::to_string(x.max_channels);
  out += ",\"snapshot_bars\":";
  out += std::to_string(x.snapshot_bars);
  out += '}';
  return out;
}

std::string heartbeat_message(int64_t now_ns) {
  std::string out{"{\"type\":\"heartbeat\",\"ts\":"};
  out += std::to_string(now_ns);
  out += ",\"time\":\"";
  out += format_iso8601(now_ns);
  out += "\"}";
  return out;
}

std::string conflation_message(bool active, uint64_t dropped) {
  if (active)
    return "{\"type\":\"conflation\",\"active\":true}";
  return "{\"type\":\"conflation\",\"active\":false,\"dropped\":"
         + std::to_string(dropped) + "}";
}

std::string subscribed_message(const std::vector<std::string>& channels) {
  return make_channels_message("subscribed", channels);
}

std::string unsubscribed_message(const std::vector<std::string>& channels) {
  return make_channels_message("unsubscribed", channels);
}

std::string indicator_message(std::string_view channel,
                              indicators::indicator_kind kind,
                              const indicators::point& p) {
  std::string out{"{\"type\":\"indicator\",\"channel\":"};
  append_json_string(out, channel);
  out += ",\"data\":";
  indicators::append_point(out, kind, p);
  out += '}';
  return out;
}

std::string indicator_snapshot_message(std::string_view channel,
                                       indicators::indicator_kind kind,
                                       const std::optional<indicators::point>& last,
                                       size_t warmup, size_t bars) {
  auto out = snapshot_head(channel);
  out += ",\"data\":";
  if (last)
    indicators::append_point(out, kind, *last);
  else
    out += "null";
  out += ",\"warmup\":" + std::to_string(warmup);
  out += ",\"bars\":" + std::to_string(bars) + "}";
  return out;
}

std::string pong_message() {
  return "{\"type\":\"pong\"}";
}

std::string gap_message(std::string_view channel, std::string_view reason) {
  std::string out{"{\"type\":\"gap\",\"channel\":"};
  append_json_string(out, channel);
  out += ",\"reason\":";
  append_json_string(out, reason);
  out += '}';
  return out;
}

std::string error_message(std::string_view code, std::string_view message,
                          std::string_view channel) {
  std::string out{"{\"type\":\"error\",\"code\":"};
  append_json_string(out, code);
  out += ",\"message\":";
  append_json_string(out, message);
  if (!channel.empty()) {
    out += ",\"channel\":";
    append_json_string(out, channel);
  }
  out += '}';
  return out;
}

} // namespace tickflow::api
