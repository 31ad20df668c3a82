#include "pipeline/flow/heap_trim_policy.hpp"

#include <gtest/gtest.h>

using tickflow::heap_trim_policy;

namespace {
constexpr size_t mib = 1u << 20;
}

TEST(HeapTrimPolicy, SteadyFreeMemoryNeverTrims) {
  heap_trim_policy p{8 * mib};
  EXPECT_FALSE(p.should_trim(3 * mib)); // the first reading is the low mark
  for (size_t free : {4 * mib, 2 * mib, 9 * mib, 5 * mib, 10 * mib - 1})
    EXPECT_FALSE(p.should_trim(free)) << free; // within 8 MiB of the low (2)
}

TEST(HeapTrimPolicy, ABurstFreedIsTrimmedOnceThenNotAgain) {
  heap_trim_policy p{8 * mib};
  EXPECT_FALSE(p.should_trim(2 * mib));
  EXPECT_TRUE(p.should_trim(40 * mib)); // a burst's memory came back free
  p.trimmed(40 * mib); // trimmed pages stay on malloc's free lists
  EXPECT_FALSE(p.should_trim(41 * mib));
  EXPECT_FALSE(p.should_trim(30 * mib)); // reused: a lower mark
  EXPECT_TRUE(p.should_trim(38 * mib)); // and freed again: 8 MiB more
}
