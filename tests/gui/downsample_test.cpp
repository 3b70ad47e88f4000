#include "charts/downsample.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace kafkasim::viewer;

TEST(Downsample, KeepsShortSeriesUnchanged) {
  const std::vector<double> x{0, 1, 2, 3}, y{5, 6, 7, 8};
  const auto points = downsampleMinMax(x.data(), y.data(), x.size(), 0, 3, 100);
  ASSERT_EQ(points.size(), 4);
  EXPECT_EQ(points[2], QPointF(2, 7));
}
