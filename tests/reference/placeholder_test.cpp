// Replaced by the real tests of tests/reference.
#include <gtest/gtest.h>

TEST(PlaceholderReference, Builds) { SUCCEED(); }
