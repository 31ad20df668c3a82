// api/openapi.json against the gateway's route tables: every route is in the
// document and every documented operation is a route.

#include <set>
#include <string>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "actors/gateway_state.hpp"
#include "api/openapi.hpp"

using namespace tickflow;

namespace {

using operation = std::pair<std::string, std::string>; // method, path

rapidjson::Document document() {
  rapidjson::Document d;
  auto text = api::openapi_document();
  d.Parse(text.data(), text.size());
  return d;
}

std::string upper(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return s;
}

/// Every "$ref" in `v`.
void collect_refs(const rapidjson::Value& v, std::set<std::string>& out) {
  if (v.IsObject()) {
    for (auto& m : v.GetObject()) {
      if (std::string{m.name.GetString()} == "$ref" && m.value.IsString())
        out.insert(m.value.GetString());
      collect_refs(m.value, out);
    }
  } else if (v.IsArray()) {
    for (auto& x : v.GetArray())
      collect_refs(x, out);
  }
}

} // namespace

TEST(OpenApi, IsAnOpenApi3Document) {
  auto d = document();
  ASSERT_FALSE(d.HasParseError()) << "offset " << d.GetErrorOffset();
  ASSERT_TRUE(d.IsObject());
  ASSERT_TRUE(d["openapi"].IsString());
  EXPECT_EQ(std::string{d["openapi"].GetString()}.substr(0, 2), "3.");
  EXPECT_TRUE(d["info"]["title"].IsString());
  EXPECT_TRUE(d["info"]["version"].IsString());
  ASSERT_TRUE(d["paths"].IsObject());
}

TEST(OpenApi, DocumentsExactlyTheRoutesOfTheRouteTables) {
  auto d = document();
  ASSERT_TRUE(d.IsObject());
  std::set<operation> documented;
  for (auto& p : d["paths"].GetObject())
    for (auto& m : p.value.GetObject()) {
      std::string method = m.name.GetString();
      if (method == "parameters" || method == "summary" || method == "description")
        continue;
      documented.emplace(upper(method), p.name.GetString());
    }
  std::set<operation> routed;
  for (auto& r : all_gateway_routes())
    routed.emplace(r.method, r.pattern);
  for (auto& op : routed)
    EXPECT_TRUE(documented.count(op)) << op.first << " " << op.second
                                      << " is a route but not in api/openapi.json";
  for (auto& op : documented)
    EXPECT_TRUE(routed.count(op)) << op.first << " " << op.second
                                  << " is in api/openapi.json but not a route";
}

TEST(OpenApi, EveryOperationHasResponsesAndEveryRefResolves) {
  auto d = document();
  ASSERT_TRUE(d.IsObject());
  for (auto& p : d["paths"].GetObject())
    for (auto& m : p.value.GetObject()) {
      ASSERT_TRUE(m.value.IsObject());
      EXPECT_TRUE(m.value.HasMember("responses")) << p.name.GetString();
      EXPECT_TRUE(m.value.HasMember("summary")) << p.name.GetString();
    }
  std::set<std::string> refs;
  collect_refs(d, refs);
  EXPECT_FALSE(refs.empty());
  const std::string prefix = "#/components/";
  for (auto& ref : refs) {
    ASSERT_EQ(ref.rfind(prefix, 0), 0u) << ref;
    auto rest = ref.substr(prefix.size());
    auto slash = rest.find('/');
    auto kind = rest.substr(0, slash);
    auto name = rest.substr(slash + 1);
    ASSERT_TRUE(d["components"].HasMember(kind.c_str())) << ref;
    EXPECT_TRUE(d["components"][kind.c_str()].HasMember(name.c_str())) << ref;
  }
}

TEST(OpenApi, RoutesThatNeedAKeyOrTokenSaySo) {
  auto d = document();
  ASSERT_TRUE(d.IsObject());
  for (auto& r : all_gateway_routes()) {
    std::string method = r.method;
    for (auto& c : method)
      c = static_cast<char>(c - 'A' + 'a');
    auto path = d["paths"].FindMember(r.pattern.c_str());
    ASSERT_NE(path, d["paths"].MemberEnd()) << r.pattern;
    auto found = path->value.FindMember(method.c_str());
    ASSERT_NE(found, path->value.MemberEnd()) << r.method << " " << r.pattern;
    auto& op = found->value;
    ASSERT_TRUE(op.HasMember("security")) << r.pattern;
    std::string scheme;
    for (auto& s : op["security"].GetArray())
      for (auto& m : s.GetObject())
        scheme = m.name.GetString();
    switch (r.access) {
      case route_access::api:
        EXPECT_EQ(scheme, "apiKey") << r.pattern;
        break;
      case route_access::admin:
        EXPECT_EQ(scheme, "adminToken") << r.pattern;
        break;
      case route_access::open:
        EXPECT_TRUE(scheme.empty() || scheme == "webhookSignature") << r.pattern;
        break;
    }
  }
}
