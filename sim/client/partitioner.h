// Kafka's client-side partitioning, bit-exact: murmur2 of the key bytes for keyed records (Utils.murmur2,
// Utils.toPositive), and the KIP-794 sticky partitioner for null keys.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/random.h"

namespace kafkasim {

// Kafka's Utils.murmur2 over the bytes (signed 32-bit result as Java returns it).
int32_t murmur2(std::string_view bytes);

// Java's String.hashCode over UTF-16 code units (used to map group / transactional ids to coordinators).
int32_t java_string_hash(std::string_view utf8);

// partition = toPositive(murmur2(key)) % num_partitions, counting unavailable partitions too.
// REQUIRES num_partitions > 0
int32_t partition_for_key(std::string_view key, int32_t num_partitions);

// Coordinator partition for a group.id or transactional.id: abs(hashCode) % partitions, with abs(INT_MIN) = 0.
int32_t coordinator_partition(std::string_view id, int32_t num_partitions);

// KIP-794 (Kafka 3.3+) for null keys: stay on one partition until batch.size bytes were produced to it,
// then pick a partition at random (possibly the same). Kafka weighs the pick by queue sizes when adaptive
// partitioning has statistics; without them it is uniform, which is what this does.
class StickyPartitioner {
 public:
  StickyPartitioner(int32_t num_partitions, int64_t batch_size, Rng rng);
  // The partition for the next null-key record of `bytes` bytes.
  int32_t next(int64_t bytes);

 private:
  int32_t num_partitions_;
  int64_t batch_size_;
  Rng rng_;
  int32_t current_ = -1;
  int64_t produced_bytes_ = 0;
};

}  // namespace kafkasim
