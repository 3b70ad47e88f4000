// A set of int64 values stored as disjoint half-open ranges, so record sequences cost memory per gap,
// not per record.
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace kafkasim {

class IntervalSet {
 public:
  // Adds [begin, end); returns how many of those values were already present.
  int64_t add(int64_t begin, int64_t end);
  // Removes [begin, end); returns how many were present.
  int64_t remove(int64_t begin, int64_t end);
  int64_t count_in(int64_t begin, int64_t end) const;
  bool contains(int64_t value) const { return count_in(value, value + 1) == 1; }
  int64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // End of the contiguous run that starts at `from` (== from if `from` is absent).
  int64_t contiguous_end(int64_t from) const;
  const std::map<int64_t, int64_t>& ranges() const { return ranges_; }  // begin -> end
  // The parts of [begin, end) that are present / absent, as ranges in ascending order.
  std::vector<std::pair<int64_t, int64_t>> present_in(int64_t begin, int64_t end) const;
  std::vector<std::pair<int64_t, int64_t>> absent_in(int64_t begin, int64_t end) const;

 private:
  std::map<int64_t, int64_t> ranges_;
  int64_t size_ = 0;
};

}  // namespace kafkasim
