#include "check/interval_set.h"

#include <algorithm>

namespace kafkasim {

int64_t IntervalSet::count_in(int64_t begin, int64_t end) const {
  if (begin >= end) return 0;
  int64_t n = 0;
  auto it = ranges_.upper_bound(begin);
  if (it != ranges_.begin()) --it;
  for (; it != ranges_.end() && it->first < end; ++it) {
    int64_t lo = std::max(begin, it->first);
    int64_t hi = std::min(end, it->second);
    if (hi > lo) n += hi - lo;
  }
  return n;
}

int64_t IntervalSet::add(int64_t begin, int64_t end) {
  if (begin >= end) return 0;
  int64_t overlap = count_in(begin, end);
  // Merge with every range that touches [begin, end).
  auto it = ranges_.upper_bound(begin);
  if (it != ranges_.begin()) {
    auto prev = std::prev(it);
    if (prev->second >= begin) it = prev;
  }
  while (it != ranges_.end() && it->first <= end) {
    begin = std::min(begin, it->first);
    end = std::max(end, it->second);
    size_ -= it->second - it->first;
    it = ranges_.erase(it);
  }
  ranges_.emplace(begin, end);
  size_ += end - begin;
  return overlap;
}

int64_t IntervalSet::remove(int64_t begin, int64_t end) {
  if (begin >= end) return 0;
  int64_t removed = count_in(begin, end);
  auto it = ranges_.upper_bound(begin);
  if (it != ranges_.begin()) --it;
  while (it != ranges_.end() && it->first < end) {
    int64_t b = it->first, e = it->second;
    if (e <= begin) {
      ++it;
      continue;
    }
    it = ranges_.erase(it);
    if (b < begin) ranges_.emplace(b, begin);
    if (e > end) ranges_.emplace(end, e);
  }
  size_ -= removed;
  return removed;
}

std::vector<std::pair<int64_t, int64_t>> IntervalSet::present_in(int64_t begin, int64_t end) const {
  std::vector<std::pair<int64_t, int64_t>> out;
  if (begin >= end) return out;
  auto it = ranges_.upper_bound(begin);
  if (it != ranges_.begin()) --it;
  for (; it != ranges_.end() && it->first < end; ++it) {
    int64_t lo = std::max(begin, it->first), hi = std::min(end, it->second);
    if (hi > lo) out.emplace_back(lo, hi);
  }
  return out;
}

std::vector<std::pair<int64_t, int64_t>> IntervalSet::absent_in(int64_t begin, int64_t end) const {
  std::vector<std::pair<int64_t, int64_t>> out;
  int64_t cursor = begin;
  for (const auto& [lo, hi] : present_in(begin, end)) {
    if (lo > cursor) out.emplace_back(cursor, lo);
    cursor = hi;
  }
  if (cursor < end) out.emplace_back(cursor, end);
  return out;
}

int64_t IntervalSet::contiguous_end(int64_t from) const {
  auto it = ranges_.upper_bound(from);
  if (it == ranges_.begin()) return from;
  --it;
  return it->second > from ? it->second : from;
}

}  // namespace kafkasim
