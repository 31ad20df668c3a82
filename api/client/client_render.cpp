#include "api/client/client_render.hpp"

#include <algorithm>

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

namespace tickflow::client {

namespace {

using rows = std::vector<std::vector<std::string>>;

result<rapidjson::Document> parse(std::string_view body) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (d.HasParseError() || !d.IsObject())
    return error{errc::malformed, "the response is not a JSON object"};
  return d;
}

/// A field as text: strings as is, numbers and booleans printed, else "-".
std::string text(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject())
    return "-";
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull())
    return "-";
  auto& v = it->value;
  if (v.IsString())
    return {v.GetString(), v.GetStringLength()};
  if (v.IsBool())
    return v.GetBool() ? "yes" : "no";
  if (v.IsInt64())
    return std::to_string(v.GetInt64());
  if (v.IsUint64())
    return std::to_string(v.GetUint64());
  if (v.IsNumber())
    return std::to_string(v.GetDouble());
  return "-";
}

const rapidjson::Value* member(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject())
    return nullptr;
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

} // namespace

std::string format_table(const rows& xs) {
  std::vector<size_t> width;
  for (auto& row : xs)
    for (size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i)
        width.push_back(0);
      width[i] = std::max(width[i], row[i].size());
    }
  std::string out;
  for (auto& row : xs) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size())
        line.append(width[i] - row[i].size() + 2, ' ');
    }
    out += line + '\n';
  }
  return out;
}

std::string format_csv(const rows& xs) {
  std::string out;
  for (auto& row : xs) {
    for (size_t i = 0; i < row.size(); ++i) {
      auto& cell = row[i];
      if (i > 0)
        out += ',';
      if (cell.find_first_of(",\"\r\n") == std::string::npos) {
        out += cell;
        continue;
      }
      out += '"';
      for (char c : cell) {
        if (c == '"')
          out += '"';
        out += c;
      }
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

result<rows> price_rows(const std::vector<std::string>& bodies) {
  rows out{{"SYMBOL", "PRICE", "TIME", "SOURCE", "FRESHNESS"}};
  for (auto& body : bodies) {
    auto d = parse(body);
    if (!d)
      return std::move(d).err();
    if (member(*d, "error"))
      out.push_back({"-", "error: " + error_message(body), "-", "-", "-"});
    else
      out.push_back({text(*d, "instrument"), text(*d, "price"), text(*d, "time"),
                     text(*d, "source"), text(*d, "freshness")});
  }
  return out;
}

result<rows> ohlcv_rows(std::string_view body) {
  auto d = parse(body);
  if (!d)
    return std::move(d).err();
  auto* bars = member(*d, "bars");
  if (bars == nullptr || !bars->IsArray())
    return error{errc::malformed, "the response has no \"bars\" array"};
  rows out{{"TIME", "OPEN", "HIGH", "LOW", "CLOSE", "VOLUME", "TRADES", "CLOSED"}};
  for (auto& b : bars->GetArray())
    out.push_back({text(b, "time"), text(b, "open"), text(b, "high"), text(b, "low"),
                   text(b, "close"), text(b, "volume"), text(b, "trades"),
                   text(b, "closed")});
  return out;
}

result<rows> providers_rows(std::string_view body) {
  auto d = parse(body);
  if (!d)
    return std::move(d).err();
  auto* xs = member(*d, "providers");
  if (xs == nullptr || !xs->IsArray())
    return error{errc::malformed, "the response has no \"providers\" array"};
  rows out{{"PROVIDER", "ENABLED", "STATUS", "REQUESTS", "FAILURES", "LAST ERROR"}};
  for (auto& p : xs->GetArray()) {
    auto* h = member(p, "health");
    bool has = h != nullptr && h->IsObject();
    std::string last = "-";
    if (has)
      if (auto* e = member(*h, "last_error"); e != nullptr && e->IsObject())
        last = text(*e, "message");
    out.push_back({text(p, "name"), text(p, "enabled"),
                   has ? text(*h, "status") : "-",
                   has ? text(*h, "requests") : "-",
                   has ? text(*h, "failures") : "-", last});
  }
  return out;
}

result<rows> jobs_rows(std::string_view body) {
  auto d = parse(body);
  if (!d)
    return std::move(d).err();
  auto* xs = member(*d, "jobs");
  if (xs == nullptr || !xs->IsArray())
    return error{errc::malformed, "the response has no \"jobs\" array"};
  rows out{{"JOB", "SCHEDULE", "LAST RUN", "RESULT", "NEXT RUN"}};
  for (auto& j : xs->GetArray())
    out.push_back({text(j, "name"), text(j, "schedule"), text(j, "last_run"),
                   text(j, "result"), text(j, "next_run")});
  return out;
}

std::string error_message(std::string_view body) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (!d.HasParseError())
    if (auto* e = member(d, "error"); e != nullptr && e->IsObject())
      return text(*e, "message");
  return std::string{body};
}

std::string pretty_json(std::string_view body) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (d.HasParseError())
    return std::string{body};
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w{buf};
  w.SetIndent(' ', 2);
  d.Accept(w);
  return std::string{buf.GetString(), buf.GetSize()} + "\n";
}

} // namespace tickflow::client
