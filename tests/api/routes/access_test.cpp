// api/routes/access: the gate before every route (client limits first, then
// keys and the admin token), and the key file.

#include "api/routes/access.hpp"

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

#include "api/digest.hpp"

using namespace tickflow;
using namespace tickflow::api;

namespace {

constexpr int64_t s = 1'000'000'000;

http_request call(std::string path, std::string remote, std::string authorization = {}) {
  http_request r;
  r.method = "GET";
  r.path = std::move(path);
  r.remote = std::move(remote);
  if (!authorization.empty())
    r.headers.emplace_back("authorization", std::move(authorization));
  return r;
}

std::string header(const http_response& r, const std::string& name) {
  for (auto& [k, v] : r.headers)
    if (k == name)
      return v;
  return {};
}

TEST(AccessGuard, LimitsApplyToApiAndWebhookPaths) {
  EXPECT_TRUE(is_limited("/api/v1/data/price"));
  EXPECT_TRUE(is_limited("/webhooks/test"));
  EXPECT_FALSE(is_limited("/health"));
  EXPECT_FALSE(is_limited("/apix"));
}

TEST(AccessGuard, RefusesPastTheLimitWithRetryAfter) {
  access_guard g;
  access_settings cfg;
  cfg.limits.requests_per_second = 1;
  cfg.limits.burst = 2;
  auto req = call("/api/v1/data/price", "127.0.0.1:1000");
  EXPECT_FALSE(g.admit(access_level::api, req, cfg, 0));
  EXPECT_FALSE(g.admit(access_level::api, req, cfg, 0));
  auto no = g.admit(access_level::api, req, cfg, 0);
  ASSERT_TRUE(no);
  EXPECT_EQ(no->status, 429u);
  EXPECT_EQ(header(*no, "Retry-After"), "1");
  EXPECT_EQ(no->body, R"({"error":{"code":"rate_limited","message":)"
                      R"("too many requests: retry in 1 s"}})");
  EXPECT_EQ(g.rate_limited, 1u);
  EXPECT_FALSE(g.admit(access_level::api, req, cfg, s)); // a token came back
  // Open routes outside /api are not limited.
  auto health = call("/health", "127.0.0.1:1000");
  for (int i = 0; i < 5; ++i)
    EXPECT_FALSE(g.admit(access_level::open, health, cfg, s));
}

TEST(AccessGuard, KeysAndTheAdminToken) {
  access_guard g;
  access_settings cfg;
  auto keys = api_key_set::parse("app " + to_hex(sha256("k1")) + " 0 1\n", "keys");
  ASSERT_TRUE(keys);
  g.keys = *keys;
  auto anonymous = g.admit(access_level::api, call("/api/v1/x", "10.0.0.1:5"), cfg, 0);
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401u);
  EXPECT_EQ(header(*anonymous, "WWW-Authenticate"), "Bearer");
  EXPECT_FALSE(g.admit(access_level::api, call("/api/v1/x", "10.0.0.1:5", "Bearer k1"), cfg, 0));
  auto admin = g.admit(access_level::admin, call("/api/v1/admin/reload", "127.0.0.1:5"), cfg, 0);
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->status, 403u); // no token configured: admin routes are off
  g.admin_token = "secret";
  EXPECT_FALSE(g.admit(access_level::admin,
                       call("/api/v1/admin/reload", "127.0.0.1:5", "Bearer secret"), cfg, 0));
}

TEST(AccessGuard, RateOfAKey) {
  client_limit_settings limits;
  limits.requests_per_second = 5;
  limits.burst = 10;
  api_key_entry own;
  own.requests_per_second = 0;
  own.burst = 1;
  auto r = rate_for(limits, &own);
  EXPECT_EQ(r.requests_per_second, 0);
  EXPECT_EQ(r.burst, 1u);
  auto d = rate_for(limits, nullptr);
  EXPECT_EQ(d.requests_per_second, 5);
  EXPECT_EQ(d.burst, 10u);
}

TEST(AccessGuard, KeyFile) {
  EXPECT_EQ(read_key_file("")->size(), 0u);
  auto missing = read_key_file("/nonexistent/keys");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.err().code, errc::config_invalid);
  EXPECT_EQ(missing.err().context, "/nonexistent/keys: cannot open the file");
  auto path = testing::TempDir() + "routes_access_keys";
  std::ofstream{path} << "a " << to_hex(sha256("x")) << "\n";
  auto keys = read_key_file(path);
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->size(), 1u);
  std::remove(path.c_str());
}

} // namespace
