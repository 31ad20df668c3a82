// The one table of quality flag names (pipeline/model/events.hpp): one name
// per bit, in bit order, and the lookup back from a name.

#include <gtest/gtest.h>

#include <iterator>
#include <set>
#include <string>

#include "pipeline/model/events.hpp"

using namespace tickflow;

TEST(QualityFlags, EveryFlagHasItsName) {
  struct row {
    quality_flag flag;
    const char* name;
  } rows[] = {
    {quality_backfilled, "backfilled"}, {quality_outlier, "outlier"},
    {quality_stale, "stale"},           {quality_divergent, "divergent"},
    {quality_duplicate, "duplicate"},   {quality_out_of_order, "out_of_order"},
    {quality_future, "future"},         {quality_synthetic, "synthetic"},
    {quality_replayed, "replayed"},     {quality_defaulted, "defaulted"},
  };
  ASSERT_EQ(std::size(quality_flag_names), std::size(rows));
  for (size_t bit = 0; bit < std::size(rows); ++bit) {
    EXPECT_EQ(rows[bit].flag, 1u << bit) << rows[bit].name;
    EXPECT_EQ(quality_flag_names[bit], rows[bit].name);
    auto back = quality_flag_from_string(rows[bit].name);
    ASSERT_TRUE(back.has_value()) << rows[bit].name;
    EXPECT_EQ(*back, rows[bit].flag);
  }
}

TEST(QualityFlags, NamesAreUniqueAndUnknownNamesAreRefused) {
  std::set<std::string_view> seen(std::begin(quality_flag_names),
                                  std::end(quality_flag_names));
  EXPECT_EQ(seen.size(), std::size(quality_flag_names));
  for (const char* name : {"", "none", "Outlier", "outlier ", "shiny"})
    EXPECT_FALSE(quality_flag_from_string(name).has_value()) << name;
}
