#include "check/histogram.h"

#include <algorithm>
#include <cmath>

namespace kafkasim {
namespace {
constexpr double kLowest = 1e-7;  // 0.1 us: anything below lands in bucket 0
constexpr double kGrowth = 1.01;
constexpr int kBuckets = 3000;  // up to kLowest * 1.01^3000, about 1e6 s
const double kLogGrowth = std::log(kGrowth);

int bucket_of(double v) {
  if (v <= kLowest) return 0;
  int b = 1 + static_cast<int>(std::log(v / kLowest) / kLogGrowth);
  return std::min(b, kBuckets - 1);
}
double upper_of(int b) { return kLowest * std::pow(kGrowth, b); }
}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(kBuckets, 0) {}

void LatencyHistogram::record(double seconds) {
  if (seconds < 0) seconds = 0;
  ++buckets_[bucket_of(seconds)];
  if (count_ == 0 || seconds < min_) min_ = seconds;
  if (count_ == 0 || seconds > max_) max_ = seconds;
  ++count_;
  sum_ += seconds;
}

double LatencyHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  auto rank = static_cast<int64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::clamp<int64_t>(rank, 1, count_);
  int64_t seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    seen += buckets_[b];
    if (seen >= rank) return std::clamp(upper_of(b), min_, max_);
  }
  return max_;
}

}  // namespace kafkasim
