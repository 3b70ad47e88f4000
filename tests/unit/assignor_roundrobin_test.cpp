// RoundRobinAssignor, with the cases of Kafka's RoundRobinAssignorTest.
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

Assignment roundrobin(const std::map<std::string, int32_t>& partitions, const std::vector<AssignorMember>& members) {
  return make_assignor("roundrobin")->assign(partitions, members);
}

TEST(RoundRobinAssignor, OneConsumerNoTopic) {
  EXPECT_EQ(roundrobin({}, {member("consumer", {})}), (Assignment{{"consumer", {}}}));
}

TEST(RoundRobinAssignor, OneConsumerNonexistentTopic) {
  EXPECT_EQ(roundrobin({}, {member("consumer", {"topic"})}), (Assignment{{"consumer", {}}}));
}

TEST(RoundRobinAssignor, OneConsumerOneTopic) {
  EXPECT_EQ(roundrobin({{"topic", 3}}, {member("consumer", {"topic"})}),
            (Assignment{{"consumer", {{"topic", 0}, {"topic", 1}, {"topic", 2}}}}));
}

TEST(RoundRobinAssignor, OnlyAssignsPartitionsFromSubscribedTopics) {
  EXPECT_EQ(roundrobin({{"topic", 3}, {"other", 3}}, {member("consumer", {"topic"})}),
            (Assignment{{"consumer", {{"topic", 0}, {"topic", 1}, {"topic", 2}}}}));
}

TEST(RoundRobinAssignor, OneConsumerMultipleTopics) {
  EXPECT_EQ(roundrobin({{"topic1", 1}, {"topic2", 2}}, {member("consumer", {"topic1", "topic2"})}),
            (Assignment{{"consumer", {{"topic1", 0}, {"topic2", 0}, {"topic2", 1}}}}));
}

TEST(RoundRobinAssignor, TwoConsumersOneTopicOnePartition) {
  EXPECT_EQ(roundrobin({{"topic", 1}}, {member("consumer1", {"topic"}), member("consumer2", {"topic"})}),
            (Assignment{{"consumer1", {{"topic", 0}}}, {"consumer2", {}}}));
}

TEST(RoundRobinAssignor, TwoConsumersOneTopicTwoPartitions) {
  EXPECT_EQ(roundrobin({{"topic", 2}}, {member("consumer1", {"topic"}), member("consumer2", {"topic"})}),
            (Assignment{{"consumer1", {{"topic", 0}}}, {"consumer2", {{"topic", 1}}}}));
}

TEST(RoundRobinAssignor, MultipleConsumersMixedTopics) {
  EXPECT_EQ(roundrobin({{"topic1", 3}, {"topic2", 2}},
                       {member("consumer1", {"topic1"}), member("consumer2", {"topic1", "topic2"}),
                        member("consumer3", {"topic1"})}),
            (Assignment{{"consumer1", {{"topic1", 0}}},
                        {"consumer2", {{"topic1", 1}, {"topic2", 0}, {"topic2", 1}}},
                        {"consumer3", {{"topic1", 2}}}}));
}

TEST(RoundRobinAssignor, TwoConsumersTwoTopicsSixPartitions) {
  EXPECT_EQ(roundrobin({{"topic1", 3}, {"topic2", 3}},
                       {member("consumer1", {"topic1", "topic2"}), member("consumer2", {"topic1", "topic2"})}),
            (Assignment{{"consumer1", {{"topic1", 0}, {"topic1", 2}, {"topic2", 1}}},
                        {"consumer2", {{"topic1", 1}, {"topic2", 0}, {"topic2", 2}}}}));
}

TEST(RoundRobinAssignor, TwoStaticConsumersTwoTopicsSixPartitions) {
  const Assignment a = roundrobin({{"topic1", 3}, {"topic2", 3}},
                                  {member("consumer-b", {"topic1", "topic2"}, "instance1"),
                                   member("consumer-a", {"topic1", "topic2"}, "instance2")});
  EXPECT_EQ(a.at("consumer-b"), (Partitions{{"topic1", 0}, {"topic1", 2}, {"topic2", 1}}));
  EXPECT_EQ(a.at("consumer-a"), (Partitions{{"topic1", 1}, {"topic2", 0}, {"topic2", 2}}));
}

TEST(RoundRobinAssignor, OneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions) {
  const Assignment a = roundrobin({{"topic1", 3}, {"topic2", 3}},
                                  {member("consumer-b", {"topic1", "topic2"}, "instance1"),
                                   member("consumer-a", {"topic1", "topic2"})});
  EXPECT_EQ(a.at("consumer-b"), (Partitions{{"topic1", 0}, {"topic1", 2}, {"topic2", 1}}));
  EXPECT_EQ(a.at("consumer-a"), (Partitions{{"topic1", 1}, {"topic2", 0}, {"topic2", 2}}));
}

TEST(RoundRobinAssignor, StaticMemberRoundRobinAssignmentPersistent) {
  const std::map<std::string, int32_t> partitions = {{"topic1", 3}, {"topic2", 3}};
  const std::vector<std::string> both = {"topic1", "topic2"};
  std::vector<AssignorMember> members = {member("consumer1", both, "instance1"), member("consumer2", both, "instance2"),
                                         member("consumer3", both, "instance3"), member("consumer4", both)};
  Assignment expected = {{"consumer1", {{"topic1", 0}, {"topic2", 1}}},
                         {"consumer2", {{"topic1", 1}, {"topic2", 2}}},
                         {"consumer3", {{"topic1", 2}}},
                         {"consumer4", {{"topic2", 0}}}};
  EXPECT_EQ(roundrobin(partitions, members), expected);
  members.back() = member("consumer5", both);
  expected["consumer5"] = expected["consumer4"];
  expected.erase("consumer4");
  EXPECT_EQ(roundrobin(partitions, members), expected);
}

TEST(RoundRobinAssignor, StaticMemberRoundRobinAssignmentPersistentAfterMemberIdChanges) {
  const std::map<std::string, int32_t> partitions = {{"topic1", 5}, {"topic2", 5}};
  const std::vector<std::string> both = {"topic1", "topic2"};
  const Partitions instance1 = {{"topic1", 0}, {"topic1", 3}, {"topic2", 1}, {"topic2", 4}};
  const Partitions instance2 = {{"topic1", 1}, {"topic1", 4}, {"topic2", 2}};
  const Partitions instance3 = {{"topic1", 2}, {"topic2", 0}, {"topic2", 3}};
  Assignment a = roundrobin(partitions, {member("consumer1", both, "instance1"), member("consumer2", both, "instance2"),
                                         member("consumer3", both, "instance3")});
  EXPECT_EQ(a.at("consumer1"), instance1);
  EXPECT_EQ(a.at("consumer2"), instance2);
  EXPECT_EQ(a.at("consumer3"), instance3);
  a = roundrobin(partitions, {member("consumer1", both, "instance1"), member("consumer5", both, "instance2"),
                              member("consumer4", both, "instance3")});
  EXPECT_EQ(a.at("consumer1"), instance1);
  EXPECT_EQ(a.at("consumer5"), instance2);
  EXPECT_EQ(a.at("consumer4"), instance3);
}

TEST(RoundRobinAssignor, CursorIsNotResetBetweenTopics) {
  // C0: t0; C1: t0, t1; C2: t0, t1, t2 with 1, 2 and 3 partitions. The cursor runs on from where t0 left it, and
  // members not subscribed are skipped, so C2 ends up with four partitions and C0 with one.
  const Assignment a = roundrobin({{"t0", 1}, {"t1", 2}, {"t2", 3}},
                                  {member("C0", {"t0"}), member("C1", {"t0", "t1"}), member("C2", {"t0", "t1", "t2"})});
  EXPECT_EQ(a, (Assignment{{"C0", {{"t0", 0}}},
                           {"C1", {{"t1", 0}}},
                           {"C2", {{"t1", 1}, {"t2", 0}, {"t2", 1}, {"t2", 2}}}}));
}

TEST(RoundRobinAssignor, TopicsInJavaStringOrderAndMembersToo) {
  // Topics sorted "B" < "a" < "b"; members consumer1 < consumer10 < consumer2.
  const std::vector<std::string> all = {"b", "a", "B"};
  const Assignment a = roundrobin({{"a", 2}, {"b", 1}, {"B", 2}},
                                  {member("consumer2", all), member("consumer10", all), member("consumer1", all)});
  EXPECT_EQ(a.at("consumer1"), (Partitions{{"B", 0}, {"a", 1}}));
  EXPECT_EQ(a.at("consumer10"), (Partitions{{"B", 1}, {"b", 0}}));
  EXPECT_EQ(a.at("consumer2"), (Partitions{{"a", 0}}));
}

TEST(RoundRobinAssignor, MoreMembersThanPartitions) {
  const Assignment a = roundrobin({{"t", 2}}, {member("m1", {"t"}), member("m2", {"t"}), member("m3", {"t"})});
  EXPECT_EQ(a, (Assignment{{"m1", {{"t", 0}}}, {"m2", {{"t", 1}}}, {"m3", {}}}));
}

TEST(RoundRobinAssignor, NoMembers) { EXPECT_TRUE(roundrobin({{"t", 2}}, {}).empty()); }

}  // namespace
}  // namespace kafkasim
