// docs/PROVIDERS.md's table is generated from the registry: this test
// renders it and compares it with the text between the file's markers. When
// a descriptor changes, paste the table the failure prints.

#include "adapters/registry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/ratelimit/failover.hpp"

namespace tickflow {
namespace {

constexpr std::string_view begin_marker = "<!-- providers:begin (generated) -->\n";
constexpr std::string_view end_marker = "<!-- providers:end -->\n";

template <class Xs>
std::string listed(const Xs& xs) {
  std::string out;
  for (auto& x : xs)
    out += (out.empty() ? "" : ", ") + std::string{to_string(x)};
  return out.empty() ? "-" : out;
}

std::string limits_of(const provider_info& p) {
  if (!p.rest)
    return "-";
  if (!p.limits)
    return "10/s (generic)";
  auto& l = *p.limits;
  std::string out;
  auto add = [&](std::string x) { out += (out.empty() ? "" : ", ") + x; };
  if (l.per_second > 0)
    add(std::to_string(l.per_second) + "/s");
  if (l.per_minute > 0)
    add(std::to_string(l.per_minute) + "/min");
  if (l.per_day > 0)
    add(std::to_string(l.per_day) + "/day");
  if (l.concurrency > 1)
    add(std::to_string(l.concurrency) + " in flight");
  if (!l.weights.empty()) {
    std::string w;
    for (auto& [kind, n] : l.weights)
      w += (w.empty() ? "" : " ") + kind + "=" + std::to_string(n);
    add("weights " + w);
  }
  if (l.max_batch > 1)
    add("batches of " + std::to_string(l.max_batch));
  return out;
}

// "crypto 1, equity 3": its position in each default chain.
std::string failover_of(const provider_info& p) {
  std::string out;
  for (auto& [cls, chain] : default_failover_chains()) {
    auto at = std::find(chain.begin(), chain.end(), p.name);
    if (at != chain.end())
      out += (out.empty() ? "" : ", ") + std::string{to_string(cls)} + " "
             + std::to_string(at - chain.begin() + 1);
  }
  return out.empty() ? "-" : out;
}

std::string key_of(const provider_info& p) {
  if (p.key_env.empty())
    return p.needs_key ? "required" : "-";
  return std::string{p.needs_key ? "required" : "optional"} + ": `"
         + std::string{p.key_env} + "`";
}

std::string dialects_of(const provider_info& p) {
  std::vector<std::string> xs;
  if (p.rest)
    xs.emplace_back("REST");
  if (p.stream)
    xs.emplace_back("stream");
  if (p.webhook)
    xs.emplace_back("webhook");
  std::string out;
  for (auto& x : xs)
    out += (out.empty() ? "" : ", ") + x;
  return out.empty() ? "-" : out;
}

// Bars without a fixed list of intervals: the config names them.
std::string intervals_of(const provider_info& p) {
  if (!p.intervals.empty())
    return listed(p.intervals);
  auto bars = std::find(p.data_types.begin(), p.data_types.end(), fetch_kind::bars);
  return bars != p.data_types.end() ? "(configured)" : "-";
}

// The quote asset of a bare crypto symbol, where a crypto chain asks it.
std::string quote_of(const provider_info& p) {
  for (auto& at : p.failover)
    if (at.cls == asset_class::crypto)
      return std::string{p.crypto_quote};
  return "-";
}

std::string render_table() {
  std::string out =
    "| id | name | asset classes | data | bar intervals | key | dialects "
    "| default limits | failover place | bare crypto quote |\n"
    "|---|---|---|---|---|---|---|---|---|---|\n";
  for (auto& p : provider_table()) {
    out += "| " + std::to_string(static_cast<int>(p.id)) + " | `" + std::string{p.name}
           + "` | " + listed(p.asset_classes) + " | " + listed(p.data_types) + " | "
           + intervals_of(p) + " | "
           + key_of(p) + " | " + dialects_of(p) + " | " + limits_of(p) + " | "
           + failover_of(p) + " | "
           + quote_of(p) + " |\n";
  }
  return out;
}

TEST(ProviderDocs, TheTableInDocsProvidersIsTheRegistrys) {
  std::ifstream in{std::string{TICKFLOW_SOURCE_DIR} + "/docs/PROVIDERS.md"};
  ASSERT_TRUE(in) << "docs/PROVIDERS.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  auto doc = text.str();
  auto b = doc.find(begin_marker);
  auto e = doc.find(end_marker);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(e, std::string::npos);
  auto table = doc.substr(b + begin_marker.size(), e - b - begin_marker.size());
  auto want = render_table();
  EXPECT_EQ(table, want) << "paste this between the markers:\n" << want;
}

} // namespace
} // namespace tickflow
