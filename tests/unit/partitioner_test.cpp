#include "client/partitioner.h"

#include <gtest/gtest.h>

#include <map>

namespace kafkasim {
namespace {

// Kafka's own test vectors (UtilsTest.testMurmur2).
TEST(Murmur2, MatchesKafkaTestVectors) {
  EXPECT_EQ(murmur2("21"), -973932308);
  EXPECT_EQ(murmur2("foobar"), -790332482);
  EXPECT_EQ(murmur2("a-little-bit-long-string"), -985981536);
  EXPECT_EQ(murmur2("a-little-bit-longer-string"), -1486304829);
  EXPECT_EQ(murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"), -58897971);
  EXPECT_EQ(murmur2("abc"), 479470107);
}

TEST(Partitioner, UsesToPositiveNotAbs) {
  // murmur2("21") is negative: toPositive clears the sign bit; abs() would give a different partition.
  const int32_t h = -973932308;
  const int32_t expected = static_cast<int32_t>((static_cast<uint32_t>(h) & 0x7fffffffu) % 7u);
  EXPECT_EQ(partition_for_key("21", 7), expected);
  EXPECT_NE(partition_for_key("21", 7), static_cast<int32_t>((-static_cast<int64_t>(h)) % 7));
}

TEST(Partitioner, EmptyKeyIsHashed) {
  // murmur2 of zero bytes is a fixed value, so the empty key always lands on the same partition.
  EXPECT_EQ(partition_for_key("", 10), partition_for_key("", 10));
  EXPECT_EQ(murmur2(""), 275646681);
}

TEST(JavaStringHash, MatchesJava) {
  EXPECT_EQ(java_string_hash(""), 0);
  EXPECT_EQ(java_string_hash("a"), 97);
  EXPECT_EQ(java_string_hash("hello"), 99162322);
  EXPECT_EQ(java_string_hash("my-group"), -1906497762);
  // Above the BMP Java hashes the surrogate pair: U+1F600 is D83D DE00.
  EXPECT_EQ(java_string_hash("\xF0\x9F\x98\x80"), 31 * 0xD83D + 0xDE00);
}

TEST(CoordinatorPartition, AbsOfHashModuloPartitions) {
  EXPECT_EQ(coordinator_partition("hello", 50), 99162322 % 50);
  int32_t h = java_string_hash("my-group");
  EXPECT_EQ(coordinator_partition("my-group", 50), (h < 0 ? -h : h) % 50);
}

TEST(StickyPartitioner, SticksUntilBatchSizeThenMoves) {
  StickyPartitioner sticky(6, 1000, Rng(42));
  int32_t first = sticky.next(100);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(sticky.next(100), first);  // 1000 bytes on the first partition
  std::map<int32_t, int> seen;
  for (int i = 0; i < 6000; ++i) ++seen[sticky.next(100)];
  EXPECT_EQ(seen.size(), 6u);  // every partition gets its turn
}

}  // namespace
}  // namespace kafkasim
