// The memory bounds of issue 26 in the config: keys added to sections other
// files define ([gateway], [broadcaster], [validator]) and [jobs].

#include "pipeline/topology/topology.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace tickflow;

namespace {

/// `text` plus the one section every file needs.
result<topology> load(const std::string& text) {
  return load_topology(text + "[simulator]\nsymbols = BTC-USDT:1\n", "t.ini");
}

} // namespace

TEST(TopologyLimits, DefaultsAreTheDocumentedOnes) {
  auto t = load_topology(default_config_text(), "<embedded default>");
  ASSERT_TRUE(t) << t.err().context;
  EXPECT_EQ(t->gateway.max_read_buffer_bytes, 65536u);
  EXPECT_EQ(t->gateway.max_response_bytes, 16u << 20);
  EXPECT_EQ(t->gateway.max_unsent_bytes, 256u << 20);
  EXPECT_EQ(t->gateway.max_memory_bytes, uint64_t{2} << 30);
  EXPECT_EQ(t->broadcaster.max_control_frames, 128u);
  EXPECT_EQ(t->broadcaster.max_instruments, 100000u);
  EXPECT_EQ(t->validator.rules.max_instruments, 10000u);
  EXPECT_EQ(t->jobs.async_result_bytes, 64u << 20);
  // The defaults of the structs agree with the file.
  topology d;
  EXPECT_EQ(d.gateway.max_read_buffer_bytes, t->gateway.max_read_buffer_bytes);
  EXPECT_EQ(d.gateway.max_response_bytes, t->gateway.max_response_bytes);
  EXPECT_EQ(d.gateway.max_unsent_bytes, t->gateway.max_unsent_bytes);
  EXPECT_EQ(d.gateway.max_memory_bytes, t->gateway.max_memory_bytes);
  EXPECT_EQ(d.broadcaster.max_control_frames, t->broadcaster.max_control_frames);
  EXPECT_EQ(d.broadcaster.max_instruments, t->broadcaster.max_instruments);
  EXPECT_EQ(d.validator.rules.max_instruments, t->validator.rules.max_instruments);
  EXPECT_EQ(d.jobs.async_result_bytes, t->jobs.async_result_bytes);
}

TEST(TopologyLimits, KeysJoinTheSectionsBesideTheirOwnKeys) {
  auto t = load("[gateway]\nport = 9100\nmax-read-buffer-bytes = 16384\n"
                "max-response-bytes = 1048576\nmax-unsent-bytes = 4194304\n"
                "max-memory = 8388608\n"
                "[broadcaster]\nport = 9101\nmax-control-frames = 8\nmax-instruments = 50\n"
                "[validator]\ncount = 3\nmax-instruments = 500\n"
                "[jobs]\nasync-result-bytes = 2048\n");
  ASSERT_TRUE(t) << t.err().context;
  EXPECT_EQ(t->gateway.port, 9100);
  EXPECT_EQ(t->gateway.max_read_buffer_bytes, 16384u);
  EXPECT_EQ(t->gateway.max_response_bytes, 1048576u);
  EXPECT_EQ(t->gateway.max_unsent_bytes, 4194304u);
  EXPECT_EQ(t->gateway.max_memory_bytes, 8388608u);
  EXPECT_EQ(t->broadcaster.port, 9101);
  EXPECT_EQ(t->broadcaster.max_control_frames, 8u);
  EXPECT_EQ(t->broadcaster.max_instruments, 50u);
  EXPECT_EQ(t->validator.count, 3u);
  EXPECT_EQ(t->validator.rules.max_instruments, 500u);
  EXPECT_EQ(t->jobs.async_result_bytes, 2048u);
}

TEST(TopologyLimits, RangesAreChecked) {
  struct bad {
    const char* text;
    const char* problem;
  };
  const bad cases[] = {
    {"[gateway]\nmax-read-buffer-bytes = 4095\n", "t.ini:2: gateway.max-read-buffer-bytes:"},
    {"[gateway]\nmax-response-bytes = 1023\n", "t.ini:2: gateway.max-response-bytes:"},
    {"[gateway]\nmax-unsent-bytes = 1048575\n", "t.ini:2: gateway.max-unsent-bytes:"},
    {"[gateway]\nmax-memory = 1048576\n",
     "t.ini:2: gateway.max-memory: must be >= max-unsent-bytes (268435456), got 1048576"},
    {"[broadcaster]\nmax-control-frames = 0\n", "t.ini:2: broadcaster.max-control-frames:"},
    {"[broadcaster]\nmax-instruments = 0\n", "t.ini:2: broadcaster.max-instruments:"},
    {"[validator]\nmax-instruments = 0\n", "t.ini:2: validator.max-instruments:"},
    {"[jobs]\nasync-result-bytes = 1000\n", "t.ini:2: jobs.async-result-bytes:"},
    {"[gateway]\nmax-header-bytes = 65536\nmax-read-buffer-bytes = 32768\n",
     "t.ini:3: gateway.max-read-buffer-bytes: must be >= max-header-bytes (65536), got 32768"},
  };
  for (auto& k : cases) {
    SCOPED_TRACE(k.text);
    auto t = load(k.text);
    ASSERT_FALSE(t);
    EXPECT_EQ(t.err().context.rfind(k.problem, 0), 0u) << t.err().context;
  }
}
