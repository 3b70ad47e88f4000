#include "client/partitioner.h"

#include <cstring>

#include "core/check.h"

namespace kafkasim {

int32_t murmur2(std::string_view bytes) {
  const uint32_t seed = 0x9747b28c;
  const uint32_t m = 0x5bd1e995;
  const int r = 24;
  const auto length = static_cast<uint32_t>(bytes.size());
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  uint32_t h = seed ^ length;
  const uint32_t length4 = length / 4;
  for (uint32_t i = 0; i < length4; ++i) {
    const uint32_t i4 = i * 4;
    uint32_t k = (data[i4 + 0] & 0xffu) + ((data[i4 + 1] & 0xffu) << 8) + ((data[i4 + 2] & 0xffu) << 16) +
                 ((data[i4 + 3] & 0xffu) << 24);
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  // Tail bytes fall through 3 -> 2 -> 1 as in Kafka's switch.
  const uint32_t tail = length & ~3u;
  switch (length % 4) {
    case 3:
      h ^= (data[tail + 2] & 0xffu) << 16;
      [[fallthrough]];
    case 2:
      h ^= (data[tail + 1] & 0xffu) << 8;
      [[fallthrough]];
    case 1:
      h ^= (data[tail] & 0xffu);
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<int32_t>(h);
}

int32_t java_string_hash(std::string_view utf8) {
  // Decode UTF-8 to code points, then hash UTF-16 code units (surrogate pairs above the BMP), as Java does.
  uint32_t h = 0;
  auto add_unit = [&h](uint32_t unit) { h = 31 * h + unit; };
  size_t i = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(utf8.data());
  while (i < utf8.size()) {
    uint32_t cp;
    unsigned char c = s[i];
    int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xe ? 2 : (c >> 3) == 0x1e ? 3 : -1;
    bool truncated = extra > 0 && i + static_cast<size_t>(extra) >= utf8.size();
    if (extra < 0 || truncated) {
      cp = 0xfffd;  // invalid byte: Java's decoder substitutes U+FFFD
      i += 1;
    } else {
      cp = extra == 0 ? c : extra == 1 ? (c & 0x1f) : extra == 2 ? (c & 0x0f) : (c & 0x07);
      for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (s[i + k] & 0x3f);
      i += 1 + extra;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      add_unit(0xd800 + (cp >> 10));
      add_unit(0xdc00 + (cp & 0x3ff));
    } else {
      add_unit(cp);
    }
  }
  return static_cast<int32_t>(h);
}

int32_t partition_for_key(std::string_view key, int32_t num_partitions) {
  KSIM_ASSERT(num_partitions > 0, "partition_for_key needs partitions");
  // Utils.toPositive: clear the sign bit (not abs()).
  return static_cast<int32_t>((static_cast<uint32_t>(murmur2(key)) & 0x7fffffffu) %
                              static_cast<uint32_t>(num_partitions));
}

int32_t coordinator_partition(std::string_view id, int32_t num_partitions) {
  int32_t hash = java_string_hash(id);
  // Kafka's Utils.abs: abs(Integer.MIN_VALUE) is 0 there.
  int64_t positive = hash == INT32_MIN ? 0 : (hash < 0 ? -static_cast<int64_t>(hash) : hash);
  return static_cast<int32_t>(positive % num_partitions);
}

StickyPartitioner::StickyPartitioner(int32_t num_partitions, int64_t batch_size, Rng rng)
    : num_partitions_(num_partitions), batch_size_(batch_size), rng_(rng) {}

int32_t StickyPartitioner::next(int64_t bytes) {
  if (current_ < 0 || produced_bytes_ >= batch_size_) {
    // BuiltInPartitioner.nextPartition without load statistics: uniform over all partitions (may repeat).
    current_ = static_cast<int32_t>(rng_.uniform_below(static_cast<uint64_t>(num_partitions_)));
    produced_bytes_ = 0;
  }
  produced_bytes_ += bytes;
  return current_;
}

}  // namespace kafkasim
