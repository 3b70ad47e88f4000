#include "charts/downsample.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

using namespace kafkasim::viewer;

TEST(Downsample, KeepsShortSeriesUnchanged) {
  const std::vector<double> x{0, 1, 2, 3}, y{5, 6, 7, 8};
  const auto points = downsampleMinMax(x.data(), y.data(), x.size(), 0, 3, 100);
  ASSERT_EQ(points.size(), 4);
  EXPECT_EQ(points[2], QPointF(2, 7));
}

TEST(Downsample, BoundsThePointCountAndKeepsSpikesAndEnds) {
  const size_t n = 1'000'000;
  std::vector<double> x(n), y(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = i * 0.01;
    y[i] = 100 + std::sin(i * 0.001);
  }
  y[777'777] = 5000;  // one spike
  y[123'456] = -40;   // one dip
  const auto points = downsampleMinMax(x.data(), y.data(), n, 0, x.back(), 800);
  EXPECT_LE(points.size(), 4 * 800 + 2);
  EXPECT_GE(points.size(), 800);
  double maxY = -1e9, minY = 1e9;
  for (const QPointF& p : points) {
    maxY = std::max(maxY, p.y());
    minY = std::min(minY, p.y());
  }
  EXPECT_EQ(maxY, 5000);
  EXPECT_EQ(minY, -40);
  EXPECT_EQ(points.front().x(), 0);
  EXPECT_EQ(points.back().x(), x.back());  // not truncated
  for (int i = 1; i < points.size(); ++i) ASSERT_LE(points[i - 1].x(), points[i].x());
}

TEST(Downsample, WindowIncludesOneNeighbourOnEachSide) {
  std::vector<double> x, y;
  for (int i = 0; i <= 100; ++i) {
    x.push_back(i);
    y.push_back(i * 2);
  }
  const auto points = downsampleMinMax(x.data(), y.data(), x.size(), 10.5, 20.5, 100);
  ASSERT_FALSE(points.isEmpty());
  EXPECT_EQ(points.front(), QPointF(10, 20));
  EXPECT_EQ(points.back(), QPointF(21, 42));
  EXPECT_EQ(points.size(), 12);
}

TEST(Downsample, SkipsNaNAndHandlesEmptyInput) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> x{0, 1, 2}, y{1, nan, 3};
  const auto points = downsampleMinMax(x.data(), y.data(), x.size(), 0, 2, 10);
  ASSERT_EQ(points.size(), 2);
  EXPECT_EQ(points[1], QPointF(2, 3));
  EXPECT_TRUE(downsampleMinMax(x.data(), y.data(), 0, 0, 2, 10).isEmpty());
}

TEST(Downsample, BucketBoundariesFromRoundingDoNotStall) {
  // Times that fall exactly on bucket edges (0.1 steps do not add up exactly in binary).
  std::vector<double> x, y;
  for (int i = 0; i < 100'000; ++i) {
    x.push_back(i * 0.1);
    y.push_back(i % 7);
  }
  const auto points = downsampleMinMax(x.data(), y.data(), x.size(), 0.3, 9'000.7, 333);
  EXPECT_LE(points.size(), 4 * 333 + 2);
  EXPECT_GT(points.size(), 333);
}

TEST(Downsample, KeepsFirstAndLastPointOfEachBucket) {
  // A rising ramp with one dip: in every bucket the first point is the minimum and the last the maximum, except
  // where the dip is.
  std::vector<double> x, y;
  for (int i = 0; i < 10'000; ++i) {
    x.push_back(i);
    y.push_back(i == 5'005 ? -1 : i);
  }
  const auto points = downsampleMinMax(x.data(), y.data(), x.size(), 0, 9'999, 100);
  EXPECT_TRUE(points.contains(QPointF(0, 0)));
  EXPECT_TRUE(points.contains(QPointF(9'999, 9'999)));
  EXPECT_TRUE(points.contains(QPointF(5'005, -1)));
  EXPECT_TRUE(points.contains(QPointF(5'000, 5'000)));  // first of its bucket, neither min nor max there
  EXPECT_LE(points.size(), 4 * 100 + 2);
}
