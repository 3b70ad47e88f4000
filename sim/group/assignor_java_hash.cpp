#include "group/assignor_java_hash.h"

#include <algorithm>
#include <cstdint>
#include <tuple>

#include "client/partitioner.h"
#include "core/check.h"

namespace kafkasim {
namespace {

constexpr int32_t kTreeifyThreshold = 8;       // HashMap.TREEIFY_THRESHOLD
constexpr int32_t kMinTreeifyCapacity = 64;    // HashMap.MIN_TREEIFY_CAPACITY
constexpr int32_t kMaximumCapacity = 1 << 30;  // HashMap.MAXIMUM_CAPACITY

// HashMap.tableSizeFor: the smallest power of two >= n (1 for n <= 1).
int32_t table_size_for(int32_t n) {
  int32_t capacity = 1;
  while (capacity < n && capacity < kMaximumCapacity) capacity <<= 1;
  return capacity;
}

}  // namespace

int32_t java_topic_partition_hash(std::string_view topic, int32_t partition) {
  uint32_t result = 1;
  result = 31u * result + static_cast<uint32_t>(partition);
  result = 31u * result + static_cast<uint32_t>(java_string_hash(topic));
  return static_cast<int32_t>(result);
}

JavaHashOrder::JavaHashOrder(int32_t initial_capacity) : initial_capacity_(table_size_for(initial_capacity)) {}

size_t JavaHashOrder::bucket(int32_t hash) const {
  const auto h = static_cast<uint32_t>(hash);
  return static_cast<size_t>((h ^ (h >> 16)) & static_cast<uint32_t>(capacity_ - 1));
}

void JavaHashOrder::grow() {
  capacity_ <<= 1;
  bucket_sizes_.clear();
  for (const auto& [key, e] : entries_) ++bucket_sizes_[bucket(e.hash)];
}

bool JavaHashOrder::insert(int64_t key, int32_t hash) {
  if (entries_.count(key)) return false;
  if (capacity_ == 0) capacity_ = initial_capacity_;
  const int32_t bin_size = bucket_sizes_[bucket(hash)]++;
  entries_.emplace(key, Entry{hash, next_sequence_++});
  // putVal appends, then treeifyBin resizes instead of treeifying while the table is small.
  if (bin_size >= kTreeifyThreshold && capacity_ < kMinTreeifyCapacity) grow();
  // ++size > threshold, threshold = capacity * 0.75
  if (static_cast<int64_t>(entries_.size()) > static_cast<int64_t>(capacity_) * 3 / 4 && capacity_ < kMaximumCapacity)
    grow();
  return true;
}

bool JavaHashOrder::erase(int64_t key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  --bucket_sizes_[bucket(it->second.hash)];
  entries_.erase(it);
  return true;
}

bool JavaHashOrder::contains(int64_t key) const { return entries_.count(key) > 0; }

std::vector<int64_t> JavaHashOrder::order() const {
  std::vector<std::tuple<size_t, uint64_t, int64_t>> sorted;
  sorted.reserve(entries_.size());
  for (const auto& [key, e] : entries_) sorted.emplace_back(bucket(e.hash), e.sequence, key);
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> keys;
  keys.reserve(sorted.size());
  for (const auto& entry : sorted) keys.push_back(std::get<2>(entry));
  return keys;
}

int64_t JavaHashOrder::first() const {
  KSIM_ASSERT(!entries_.empty(), "first() of an empty Java hash set");
  std::tuple<size_t, uint64_t, int64_t> best{SIZE_MAX, UINT64_MAX, 0};
  for (const auto& [key, e] : entries_) best = std::min(best, std::make_tuple(bucket(e.hash), e.sequence, key));
  return std::get<2>(best);
}

std::vector<size_t> java_hash_map_order(const std::vector<int32_t>& hashes) {
  JavaHashOrder map;
  for (size_t i = 0; i < hashes.size(); ++i) map.insert(static_cast<int64_t>(i), hashes[i]);
  std::vector<size_t> order;
  order.reserve(hashes.size());
  for (int64_t key : map.order()) order.push_back(static_cast<size_t>(key));
  return order;
}

}  // namespace kafkasim
