// The iteration order of java.util.HashMap / HashSet, for the places where Kafka's assignors depend on it.
// Java's order is deterministic: buckets ascending, bucket = (h ^ (h >>> 16)) & (capacity - 1); within a bucket,
// insertion order (resizing splits buckets without reordering). The table is allocated at the first insert with
// the initial capacity (16, or tableSizeFor(n) for new HashMap<>(n)) and doubles when the size exceeds 3/4 of the
// capacity, or when a bucket reaches 9 entries while the capacity is below 64. Not modelled: the order inside a
// bucket that Java has turned into a tree (9+ colliding keys with capacity >= 64), which never happens with the
// key counts of a consumer group.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kafkasim {

// TopicPartition.hashCode(): 31 * (31 + partition) + topic.hashCode(), in Java int arithmetic.
int32_t java_topic_partition_hash(std::string_view topic, int32_t partition);

// Keys are opaque 64-bit ids with their Java hashCode.
class JavaHashOrder {
 public:
  // As java.util.HashMap(initialCapacity); the no-argument constructor is 16.
  explicit JavaHashOrder(int32_t initial_capacity = 16);

  // HashMap.put / HashSet.add of a new key; false (and no change) if the key is present.
  bool insert(int64_t key, int32_t hash);
  bool erase(int64_t key);
  bool contains(int64_t key) const;
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  int32_t capacity() const { return capacity_; }

  // The keys in iteration order.
  std::vector<int64_t> order() const;
  // iterator().next(). REQUIRES: !empty()
  int64_t first() const;

 private:
  struct Entry {
    int32_t hash;
    uint64_t sequence;  // insertion order
  };
  size_t bucket(int32_t hash) const;
  void grow();  // double the capacity and recount the buckets

  int32_t initial_capacity_;
  int32_t capacity_ = 0;
  uint64_t next_sequence_ = 0;
  std::unordered_map<int64_t, Entry> entries_;
  std::unordered_map<size_t, int32_t> bucket_sizes_;
};

// Positions 0..hashes.size()-1 in the order a new HashMap<>() iterates keys with these hashes put in this order.
std::vector<size_t> java_hash_map_order(const std::vector<int32_t>& hashes);

}  // namespace kafkasim
