// Latency histogram with about 1% relative precision and fixed memory (log-spaced buckets), so percentiles
// over millions of records cost nothing per record.
#pragma once

#include <cstdint>
#include <vector>

namespace kafkasim {

class LatencyHistogram {
 public:
  LatencyHistogram();
  void record(double seconds);
  int64_t count() const { return count_; }
  double min() const { return count_ ? min_ : 0; }
  double max() const { return count_ ? max_ : 0; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0; }
  // The value below which `q` (0..1] of the records fall, to within the bucket width.
  double quantile(double q) const;

 private:
  std::vector<int64_t> buckets_;
  int64_t count_ = 0;
  double sum_ = 0, min_ = 0, max_ = 0;
};

}  // namespace kafkasim
