// The java.util.HashMap / HashSet iteration model. Expected orders were printed by OpenJDK 17 for the same keys.
#include "group/assignor_java_hash.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "client/partitioner.h"

namespace kafkasim {
namespace {

std::vector<std::string> hash_map_order(const std::vector<std::string>& keys, int32_t initial_capacity = 16) {
  JavaHashOrder map(initial_capacity);
  for (size_t i = 0; i < keys.size(); ++i) map.insert(static_cast<int64_t>(i), java_string_hash(keys[i]));
  std::vector<std::string> out;
  for (int64_t k : map.order()) out.push_back(keys[static_cast<size_t>(k)]);
  return out;
}

TEST(JavaHashOrder, ConsumerIdsOfKafkasTests) {
  // Kafka's sticky tests put consumer1..consumer4 into a new HashMap<>(); Java iterates them backwards.
  EXPECT_EQ(hash_map_order({"consumer1", "consumer2", "consumer3", "consumer4"}),
            (std::vector<std::string>{"consumer4", "consumer3", "consumer2", "consumer1"}));
  // new HashMap<>(3) has 4 buckets, and the order wraps around.
  EXPECT_EQ(hash_map_order({"consumer0", "consumer1", "consumer2"}, 3),
            (std::vector<std::string>{"consumer1", "consumer0", "consumer2"}));
}

TEST(JavaHashOrder, ProtocolNames) {
  EXPECT_EQ(hash_map_order({"range", "cooperative-sticky", "roundrobin", "sticky"}),
            (std::vector<std::string>{"sticky", "range", "roundrobin", "cooperative-sticky"}));
}

TEST(JavaHashOrder, CollidingHashesKeepInsertionOrder) {
  // "Aa" and "BB" have the same hashCode, so these four land in one bucket.
  EXPECT_EQ(java_string_hash("AaAa"), java_string_hash("BBBB"));
  EXPECT_EQ(hash_map_order({"BBBB", "AaAa", "AaBB", "BBAa"}),
            (std::vector<std::string>{"BBBB", "AaAa", "AaBB", "BBAa"}));
}

std::vector<std::string> generated_ids(int n) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) ids.push_back("consumer-" + std::to_string(i) + "-" + std::to_string((i * 2654435761LL) % 100000));
  return ids;
}

std::vector<int> positions(const std::vector<std::string>& ids, const std::vector<std::string>& ordered) {
  std::vector<int> out;
  for (const auto& id : ordered) out.push_back(static_cast<int>(std::find(ids.begin(), ids.end(), id) - ids.begin()));
  return out;
}

TEST(JavaHashOrder, ResizesAtThreeQuartersFull) {
  // 12 keys stay in 16 buckets, the 13th doubles the table (OpenJDK's order for both).
  auto ids12 = generated_ids(12);
  EXPECT_EQ(positions(ids12, hash_map_order(ids12)), (std::vector<int>{9, 0, 8, 10, 2, 3, 6, 11, 1, 4, 5, 7}));
  auto ids13 = generated_ids(13);
  EXPECT_EQ(positions(ids13, hash_map_order(ids13)), (std::vector<int>{9, 8, 2, 3, 1, 4, 5, 0, 10, 6, 11, 7, 12}));
  auto ids25 = generated_ids(25);
  EXPECT_EQ(positions(ids25, hash_map_order(ids25)),
            (std::vector<int>{9, 16, 2, 13, 21, 1, 18, 10, 14, 19, 7, 22, 8, 20, 3, 15, 23, 4, 5, 0, 6, 11, 17, 24, 12}));
}

TEST(JavaHashOrder, TopicPartitionHashCode) {
  // 31 * (31 + partition) + "topic".hashCode()
  EXPECT_EQ(java_topic_partition_hash("topic", 0), static_cast<int32_t>(961u + static_cast<uint32_t>(java_string_hash("topic"))));
  EXPECT_EQ(java_topic_partition_hash("t", 5), 31 * 36 + 't');
}

TEST(JavaHashOrder, HashSetFirstElementAfterRemovals) {
  // HashSet<TopicPartition>: the first element comes from the lowest bucket; erasing and re-adding moves a key to
  // the end of its bucket; capacity never shrinks.
  JavaHashOrder set;
  auto add = [&](const std::string& topic, int32_t p) { set.insert(p, java_topic_partition_hash(topic, p)); };
  for (int32_t p = 0; p < 20; ++p) add("topic", p);
  EXPECT_EQ(set.capacity(), 32);
  const int64_t first = set.first();
  EXPECT_EQ(first, set.order().front());
  EXPECT_TRUE(set.erase(first));
  EXPECT_NE(set.first(), first);
  EXPECT_FALSE(set.erase(first));
  EXPECT_EQ(set.capacity(), 32);
  EXPECT_FALSE(set.insert(set.first(), 0));  // already present: no change
  EXPECT_EQ(set.size(), 19u);
}

TEST(JavaHashOrder, InitialCapacityIsRoundedUpToAPowerOfTwo) {
  JavaHashOrder map(3);
  EXPECT_EQ(map.capacity(), 0);  // allocated lazily
  map.insert(1, 1);
  EXPECT_EQ(map.capacity(), 4);
  map.insert(2, 2);
  map.insert(3, 3);
  EXPECT_EQ(map.capacity(), 4);  // threshold 3
  map.insert(4, 4);
  EXPECT_EQ(map.capacity(), 8);
}

}  // namespace
}  // namespace kafkasim
