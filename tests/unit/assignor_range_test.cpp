// RangeAssignor, with the cases of Kafka's RangeAssignorTest (and its rack tests' non-rack-aware expectations).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "group/assignor.h"

namespace kafkasim {
namespace {

using Partitions = std::vector<std::pair<std::string, int32_t>>;

AssignorMember member(std::string id, std::vector<std::string> topics, std::optional<std::string> instance = std::nullopt) {
  AssignorMember m;
  m.member_id = std::move(id);
  m.topics = std::move(topics);
  m.group_instance_id = std::move(instance);
  return m;
}

Assignment range(const std::map<std::string, int32_t>& partitions, const std::vector<AssignorMember>& members) {
  return make_assignor("range")->assign(partitions, members);
}

TEST(RangeAssignor, OneConsumerNoTopic) {
  const Assignment a = range({}, {member("consumer1", {})});
  EXPECT_EQ(a, (Assignment{{"consumer1", {}}}));
}

TEST(RangeAssignor, OneConsumerNonexistentTopic) {
  const Assignment a = range({}, {member("consumer1", {"topic1"})});
  EXPECT_EQ(a, (Assignment{{"consumer1", {}}}));
}

TEST(RangeAssignor, OneConsumerOneTopic) {
  const Assignment a = range({{"topic1", 3}}, {member("consumer1", {"topic1"})});
  EXPECT_EQ(a, (Assignment{{"consumer1", {{"topic1", 0}, {"topic1", 1}, {"topic1", 2}}}}));
}

TEST(RangeAssignor, OnlyAssignsPartitionsFromSubscribedTopics) {
  const Assignment a = range({{"topic1", 3}, {"other", 3}}, {member("consumer1", {"topic1"})});
  EXPECT_EQ(a, (Assignment{{"consumer1", {{"topic1", 0}, {"topic1", 1}, {"topic1", 2}}}}));
}

TEST(RangeAssignor, OneConsumerMultipleTopics) {
  const Assignment a = range({{"topic1", 1}, {"topic2", 2}}, {member("consumer1", {"topic1", "topic2"})});
  EXPECT_EQ(a, (Assignment{{"consumer1", {{"topic1", 0}, {"topic2", 0}, {"topic2", 1}}}}));
}

TEST(RangeAssignor, TwoConsumersOneTopicOnePartition) {
  const Assignment a = range({{"topic1", 1}}, {member("consumer1", {"topic1"}), member("consumer2", {"topic1"})});
  EXPECT_EQ(a, (Assignment{{"consumer1", {{"topic1", 0}}}, {"consumer2", {}}}));
}

TEST(RangeAssignor, TwoConsumersOneTopicTwoPartitions) {
  const Assignment a = range({{"topic1", 2}}, {member("consumer1", {"topic1"}), member("consumer2", {"topic1"})});
  EXPECT_EQ(a, (Assignment{{"consumer1", {{"topic1", 0}}}, {"consumer2", {{"topic1", 1}}}}));
}

TEST(RangeAssignor, MultipleConsumersMixedTopics) {
  const Assignment a = range({{"topic1", 3}, {"topic2", 2}}, {member("consumer1", {"topic1"}),
                                                               member("consumer2", {"topic1", "topic2"}),
                                                               member("consumer3", {"topic1"})});
  EXPECT_EQ(a, (Assignment{{"consumer1", {{"topic1", 0}}},
                           {"consumer2", {{"topic1", 1}, {"topic2", 0}, {"topic2", 1}}},
                           {"consumer3", {{"topic1", 2}}}}));
}

TEST(RangeAssignor, TwoConsumersTwoTopicsSixPartitions) {
  const Assignment a = range({{"topic1", 3}, {"topic2", 3}}, {member("consumer1", {"topic1", "topic2"}),
                                                               member("consumer2", {"topic1", "topic2"})});
  EXPECT_EQ(a, (Assignment{{"consumer1", {{"topic1", 0}, {"topic1", 1}, {"topic2", 0}, {"topic2", 1}}},
                           {"consumer2", {{"topic1", 2}, {"topic2", 2}}}}));
}

TEST(RangeAssignor, TwoStaticConsumersTwoTopicsSixPartitions) {
  // consumer-b sorts after consumer-a, but instance1 sorts before instance2.
  const Assignment a = range({{"topic1", 3}, {"topic2", 3}}, {member("consumer-b", {"topic1", "topic2"}, "instance1"),
                                                               member("consumer-a", {"topic1", "topic2"}, "instance2")});
  EXPECT_EQ(a.at("consumer-b"), (Partitions{{"topic1", 0}, {"topic1", 1}, {"topic2", 0}, {"topic2", 1}}));
  EXPECT_EQ(a.at("consumer-a"), (Partitions{{"topic1", 2}, {"topic2", 2}}));
}

TEST(RangeAssignor, OneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions) {
  const Assignment a = range({{"topic1", 3}, {"topic2", 3}}, {member("consumer-b", {"topic1", "topic2"}, "instance1"),
                                                               member("consumer-a", {"topic1", "topic2"})});
  EXPECT_EQ(a.at("consumer-b"), (Partitions{{"topic1", 0}, {"topic1", 1}, {"topic2", 0}, {"topic2", 1}}));
  EXPECT_EQ(a.at("consumer-a"), (Partitions{{"topic1", 2}, {"topic2", 2}}));
}

TEST(RangeAssignor, StaticMemberRangeAssignmentPersistent) {
  const std::map<std::string, int32_t> partitions = {{"topic1", 5}, {"topic2", 4}};
  const std::vector<std::string> both = {"topic1", "topic2"};
  std::vector<AssignorMember> members = {member("consumer1", both, "instance1"), member("consumer2", both, "instance2"),
                                         member("consumer3", both, "instance3"), member("consumer4", both)};
  Assignment expected = {{"consumer1", {{"topic1", 0}, {"topic1", 1}, {"topic2", 0}}},
                         {"consumer2", {{"topic1", 2}, {"topic2", 1}}},
                         {"consumer3", {{"topic1", 3}, {"topic2", 2}}},
                         {"consumer4", {{"topic1", 4}, {"topic2", 3}}}};
  EXPECT_EQ(range(partitions, members), expected);

  // Replace dynamic member 4 with a new dynamic member 5: the static members keep their partitions.
  members.back() = member("consumer5", both);
  expected["consumer5"] = expected["consumer4"];
  expected.erase("consumer4");
  EXPECT_EQ(range(partitions, members), expected);
}

TEST(RangeAssignor, StaticMemberRangeAssignmentPersistentAfterMemberIdChanges) {
  const std::map<std::string, int32_t> partitions = {{"topic1", 5}, {"topic2", 5}};
  const std::vector<std::string> both = {"topic1", "topic2"};
  const Partitions instance1 = {{"topic1", 0}, {"topic1", 1}, {"topic2", 0}, {"topic2", 1}};
  const Partitions instance2 = {{"topic1", 2}, {"topic1", 3}, {"topic2", 2}, {"topic2", 3}};
  const Partitions instance3 = {{"topic1", 4}, {"topic2", 4}};
  Assignment a = range(partitions, {member("consumer1", both, "instance1"), member("consumer2", both, "instance2"),
                                    member("consumer3", both, "instance3")});
  EXPECT_EQ(a.at("consumer1"), instance1);
  EXPECT_EQ(a.at("consumer2"), instance2);
  EXPECT_EQ(a.at("consumer3"), instance3);
  // The restarted static members come back with new member ids that sort differently.
  a = range(partitions, {member("consumer1", both, "instance1"), member("consumer5", both, "instance2"),
                         member("consumer4", both, "instance3")});
  EXPECT_EQ(a.at("consumer1"), instance1);
  EXPECT_EQ(a.at("consumer5"), instance2);
  EXPECT_EQ(a.at("consumer4"), instance3);
}

TEST(RangeAssignor, DynamicMembersSortAsJavaStrings) {
  // consumer10 < consumer2 in Java's String order, so consumer10 takes the middle block.
  const Assignment a = range({{"orders", 6}}, {member("consumer2", {"orders"}), member("consumer10", {"orders"}),
                                               member("consumer1", {"orders"})});
  EXPECT_EQ(a.at("consumer1"), (Partitions{{"orders", 0}, {"orders", 1}}));
  EXPECT_EQ(a.at("consumer10"), (Partitions{{"orders", 2}, {"orders", 3}}));
  EXPECT_EQ(a.at("consumer2"), (Partitions{{"orders", 4}, {"orders", 5}}));
}

TEST(RangeAssignor, FirstMembersGetTheRemainder) {
  // 10 partitions, 3 members: q = 3, the first 10 % 3 = 1 gets 4.
  const Assignment a = range({{"t", 10}}, {member("a", {"t"}), member("b", {"t"}), member("c", {"t"})});
  EXPECT_EQ(a.at("a"), (Partitions{{"t", 0}, {"t", 1}, {"t", 2}, {"t", 3}}));
  EXPECT_EQ(a.at("b"), (Partitions{{"t", 4}, {"t", 5}, {"t", 6}}));
  EXPECT_EQ(a.at("c"), (Partitions{{"t", 7}, {"t", 8}, {"t", 9}}));
}

TEST(RangeAssignor, ImbalanceAddsUpAcrossTopics) {
  // RangeAssignorTest.testRackAwareAssignmentWithUniformSubscription, non-rack-aware expectation: the first member
  // gets the extra partition of every topic.
  const std::vector<std::string> all = {"t1", "t2", "t3"};
  const Assignment a = range({{"t1", 6}, {"t2", 7}, {"t3", 2}},
                             {member("consumer0", all), member("consumer1", all), member("consumer2", all)});
  EXPECT_EQ(a.at("consumer0"), (Partitions{{"t1", 0}, {"t1", 1}, {"t2", 0}, {"t2", 1}, {"t2", 2}, {"t3", 0}}));
  EXPECT_EQ(a.at("consumer1"), (Partitions{{"t1", 2}, {"t1", 3}, {"t2", 3}, {"t2", 4}, {"t3", 1}}));
  EXPECT_EQ(a.at("consumer2"), (Partitions{{"t1", 4}, {"t1", 5}, {"t2", 5}, {"t2", 6}}));
}

TEST(RangeAssignor, NonEqualSubscriptions) {
  // RangeAssignorTest.testRackAwareAssignmentWithNonEqualSubscription, non-rack-aware expectation.
  const std::vector<std::string> all = {"t1", "t2", "t3"};
  const Assignment a = range({{"t1", 6}, {"t2", 7}, {"t3", 2}},
                             {member("consumer0", all), member("consumer1", all), member("consumer2", {"t1", "t3"})});
  EXPECT_EQ(a.at("consumer0"), (Partitions{{"t1", 0}, {"t1", 1}, {"t2", 0}, {"t2", 1}, {"t2", 2}, {"t2", 3}, {"t3", 0}}));
  EXPECT_EQ(a.at("consumer1"), (Partitions{{"t1", 2}, {"t1", 3}, {"t2", 4}, {"t2", 5}, {"t2", 6}, {"t3", 1}}));
  EXPECT_EQ(a.at("consumer2"), (Partitions{{"t1", 4}, {"t1", 5}}));
}

TEST(RangeAssignor, MoreMembersThanPartitionsLeavesSomeIdle) {
  const Assignment a = range({{"t", 2}}, {member("m1", {"t"}), member("m2", {"t"}), member("m3", {"t"}),
                                          member("m4", {"t"})});
  EXPECT_EQ(a, (Assignment{{"m1", {{"t", 0}}}, {"m2", {{"t", 1}}}, {"m3", {}}, {"m4", {}}}));
}

TEST(RangeAssignor, IgnoresOwnedPartitions) {
  AssignorMember m1 = member("m1", {"t"});
  AssignorMember m2 = member("m2", {"t"});
  m2.owned_partitions = {{"t", 0}, {"t", 1}};
  m2.generation = 4;
  EXPECT_EQ(range({{"t", 2}}, {m1, m2}), (Assignment{{"m1", {{"t", 0}}}, {"m2", {{"t", 1}}}}));
}

}  // namespace
}  // namespace kafkasim
