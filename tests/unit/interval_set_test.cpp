#include "check/interval_set.h"

#include <gtest/gtest.h>

namespace kafkasim {
namespace {

TEST(IntervalSet, MergesAdjacentAndOverlappingRanges) {
  IntervalSet s;
  EXPECT_EQ(s.add(0, 10), 0);
  EXPECT_EQ(s.add(10, 20), 0);
  EXPECT_EQ(s.ranges().size(), 1u);
  EXPECT_EQ(s.add(5, 25), 15);  // 5..20 were there already
  EXPECT_EQ(s.size(), 25);
  EXPECT_EQ(s.ranges().size(), 1u);
}

TEST(IntervalSet, CountsAndRemoves) {
  IntervalSet s;
  s.add(0, 5);
  s.add(10, 15);
  EXPECT_EQ(s.count_in(3, 12), 4);
  EXPECT_TRUE(s.contains(4));
  EXPECT_FALSE(s.contains(5));
  EXPECT_EQ(s.remove(2, 12), 5);
  EXPECT_EQ(s.size(), 5);
  EXPECT_EQ(s.contiguous_end(0), 2);
  EXPECT_EQ(s.contiguous_end(12), 15);
  EXPECT_EQ(s.contiguous_end(7), 7);
}

TEST(IntervalSet, GapsStayApart) {
  IntervalSet s;
  s.add(0, 3);
  s.add(5, 8);
  s.add(20, 21);
  EXPECT_EQ(s.ranges().size(), 3u);
  EXPECT_EQ(s.add(3, 5), 0);
  EXPECT_EQ(s.ranges().size(), 2u);
  EXPECT_EQ(s.size(), 9);
}

}  // namespace
}  // namespace kafkasim
