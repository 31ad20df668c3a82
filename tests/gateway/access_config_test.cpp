// The access area of the config: [auth], [limits], [webhooks].

#include <gtest/gtest.h>

#include "pipeline/topology/topology.hpp"

using namespace tickflow;

namespace {

result<topology> load(const std::string& extra) {
  return load_topology("[simulator]\nsymbols = BTC-USDT:1\n" + extra, "t.ini");
}

} // namespace

TEST(AccessConfig, TheDefaultFileMatchesTheStructDefaults) {
  auto t = load_topology(default_config_text(), "<embedded default>");
  ASSERT_TRUE(t.ok()) << t.err().context;
  const access_settings d;
  auto& a = t->access;
  EXPECT_EQ(a.auth.keys_file, "");
  EXPECT_EQ(a.auth.keys_file, d.auth.keys_file);
  EXPECT_EQ(a.auth.admin_token_env, "TICKFLOW_ADMIN_TOKEN");
  EXPECT_EQ(a.auth.admin_token_env, d.auth.admin_token_env);
  EXPECT_FALSE(a.auth.allow_remote_without_keys);
  EXPECT_EQ(a.limits.requests_per_second, d.limits.requests_per_second);
  EXPECT_EQ(a.limits.burst, d.limits.burst);
  EXPECT_EQ(a.limits.max_clients, d.limits.max_clients);
  EXPECT_EQ(a.limits.max_batch_items, d.limits.max_batch_items);
  EXPECT_TRUE(a.webhooks.enabled);
  EXPECT_EQ(a.webhooks.secret_env("binance"), d.webhooks.secret_env("binance"));
  EXPECT_EQ(a.webhooks.secret_env("polygon"), d.webhooks.secret_env("polygon"));
  EXPECT_EQ(a.webhooks.secret_env("test"), "TICKFLOW_WEBHOOK_TEST_SECRET");
  EXPECT_EQ(a.webhooks.max_body_bytes, d.webhooks.max_body_bytes);
  EXPECT_EQ(a.webhooks.timestamp_window_ns, 300'000'000'000);
}

TEST(AccessConfig, EveryKeyParses) {
  auto t = load("[auth]\nkeys-file = /etc/tickflow/keys\nadmin-token-env = ADMIN_T\n"
                "allow-remote-without-keys = true\n"
                "[limits]\nrequests-per-second = 2.5\nburst = 7\nmax-clients = 50\n"
                "max-batch-items = 9\n"
                "[webhooks]\nenabled = false\nbinance-secret-env = B\npolygon-secret-env =\n"
                "test-secret-env = T_1\nmax-body-bytes = 4096\ntimestamp-window = 30s\n");
  ASSERT_TRUE(t.ok()) << t.err().context;
  auto& a = t->access;
  EXPECT_EQ(a.auth.keys_file, "/etc/tickflow/keys");
  EXPECT_EQ(a.auth.admin_token_env, "ADMIN_T");
  EXPECT_TRUE(a.auth.allow_remote_without_keys);
  EXPECT_EQ(a.limits.requests_per_second, 2.5);
  EXPECT_EQ(a.limits.burst, 7u);
  EXPECT_EQ(a.limits.max_clients, 50u);
  EXPECT_EQ(a.limits.max_batch_items, 9u);
  EXPECT_FALSE(a.webhooks.enabled);
  EXPECT_EQ(a.webhooks.secret_env("binance"), "B");
  EXPECT_EQ(a.webhooks.secret_env("polygon"), "");
  EXPECT_EQ(a.webhooks.secret_env("test"), "T_1");
  EXPECT_EQ(a.webhooks.max_body_bytes, 4096u);
  EXPECT_EQ(a.webhooks.timestamp_window_ns, 30'000'000'000);
}

TEST(AccessConfig, OutOfRangeValuesNameTheKey) {
  struct bad_case {
    std::string text;
    std::string expected;
  };
  for (auto& c : std::vector<bad_case>{
         {"[limits]\nrequests-per-second = -1\n",
          "t.ini:4: limits.requests-per-second: must be a number in 0..1000000, got \"-1\""},
         {"[limits]\nmax-batch-items = 0\n",
          "t.ini:4: limits.max-batch-items: must be an integer in 1..10000, got \"0\""},
         {"[webhooks]\ntimestamp-window = 500ms\n",
          "t.ini:4: webhooks.timestamp-window: must be a duration in 1s..24h (an integer and a "
          "unit: ns, us, ms, s, m, h), got \"500ms\""},
         {"[webhooks]\nmax-body-bytes = 10\n",
          "t.ini:4: webhooks.max-body-bytes: must be an integer in 64..67108864, got \"10\""},
         {"[auth]\nadmin-token-env = my token\n",
          "t.ini:4: auth.admin-token-env: must be an environment variable name (letters, "
          "digits, _), got \"my token\""},
       }) {
    auto t = load(c.text);
    ASSERT_FALSE(t.ok()) << c.text;
    EXPECT_EQ(t.err().context, c.expected);
  }
}

TEST(AccessConfig, AWebhookLimitAboveTheServersIsRefusedOnlyWhenSet) {
  // Left at its default, the gateway's smaller limit applies.
  EXPECT_TRUE(load("[gateway]\nmax-body-bytes = 1024\n").ok());
  auto t = load("[gateway]\nmax-body-bytes = 1024\n[webhooks]\nmax-body-bytes = 2048\n");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.err().context, "t.ini:6: webhooks.max-body-bytes: must be <= "
                             "gateway.max-body-bytes (1024), got 2048");
  EXPECT_TRUE(load("[gateway]\nmax-body-bytes = 1024\n[webhooks]\nenabled = false\n"
                   "max-body-bytes = 2048\n").ok());
}
