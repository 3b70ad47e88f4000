// The `kafkasim describe` tables keep the layout of Kafka's own tools.
#include <gtest/gtest.h>

#include "cli/describe_command.h"

namespace kafkasim::cli {
namespace {

ClusterSnapshot two_partitions() {
  ClusterSnapshot s;
  TopicSnapshot t{"orders", 3, {{"min.insync.replicas", "2"}}, {}};
  t.partitions.push_back({0, 1, {1, 2, 0}, {1, 2}, 120, 118});
  t.partitions.push_back({1, -1, {2, 0, 1}, {2}, 0, 0});
  s.topics.push_back(t);
  s.topics.push_back(TopicSnapshot{"audit", 1, {}, {{0, 0, {0}, {0}, 5, 5}}});
  return s;
}

TEST(DescribeFormat, TopicsAsKafkaTopicsDescribe) {
  EXPECT_EQ(format_topics(two_partitions(), "orders"),
            "Topic: orders\tPartitionCount: 2\tReplicationFactor: 3\tConfigs: min.insync.replicas=2\n"
            "\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2,0\tIsr: 1,2\n"
            "\tTopic: orders\tPartition: 1\tLeader: none\tReplicas: 2,0,1\tIsr: 2\n");
  // Without a filter every topic, in scenario order.
  std::string all = format_topics(two_partitions());
  EXPECT_LT(all.find("Topic: orders"), all.find("Topic: audit"));
}

GroupSnapshot group() {
  GroupSnapshot g;
  g.group = "billing";
  g.state = "Stable";
  g.members.push_back({"c1-3f2a", "c1", "/c1", "", {{"orders", 0}, {"orders", 1}, {"audit", 0}}});
  g.partitions.push_back({"orders", 0, 100, 118, "c1-3f2a", "c1", "/c1"});
  g.partitions.push_back({"orders", 1, -1, 7, "", "", ""});
  g.partitions.push_back({"orders", 2, 40, -1, "", "", ""});
  return g;
}

TEST(DescribeFormat, GroupOffsetsPadColumnsAsConsumerGroupCommand) {
  std::string text = format_group_offsets(group());
  // Header then one row per partition; GROUP/TOPIC/CONSUMER-ID/HOST padded to at least 15, PARTITION to 10.
  EXPECT_NE(text.find("\nGROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             "
                      "CONSUMER-ID     HOST            CLIENT-ID\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("billing         orders          0          100             118             18              "
                      "c1-3f2a         /c1             c1\n"),
            std::string::npos)
      << text;
  // Nothing committed: current offset and lag unknown, no owner.
  EXPECT_NE(text.find("billing         orders          1          -               7               -               "
                      "-               -               -\n"),
            std::string::npos)
      << text;
  // Leader unreachable: no log end offset, no lag.
  EXPECT_NE(text.find("billing         orders          2          40              -               -  "), std::string::npos)
      << text;
}

TEST(DescribeFormat, GroupWithoutMembersOrRebalancingSaysSo) {
  GroupSnapshot g = group();
  g.state = "PreparingRebalance";
  EXPECT_NE(format_group_offsets(g).find("Warning: Consumer group 'billing' is rebalancing."), std::string::npos);
  g.members.clear();
  g.state = "Empty";
  EXPECT_NE(format_group_offsets(g).find("Consumer group 'billing' has no active members."), std::string::npos);
  EXPECT_NE(format_group_members(g).find("has no active members"), std::string::npos);
}

TEST(DescribeFormat, MembersGroupTheAssignmentByTopic) {
  std::string text = format_group_members(group());
  EXPECT_NE(text.find("orders(0,1),audit(0)"), std::string::npos) << text;
  EXPECT_NE(text.find(" 3            "), std::string::npos) << text;  // #PARTITIONS
}

TEST(DescribeFormat, StateNamesTheCoordinatorAssignorAndMemberCount) {
  GroupSnapshot g = group();
  g.coordinator = 2;
  g.protocol = "range";
  std::string text = format_group_state(g);
  EXPECT_NE(text.find("\nGROUP           COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE                #MEMBERS\n"
                      "billing         broker-2 (2)              range                Stable               1\n"),
            std::string::npos)
      << text;
}

TEST(DescribeFormat, UnreachableCoordinatorFailsAsTheToolDoes) {
  GroupSnapshot g = group();
  g.coordinator = 1;
  g.coordinator_available = false;
  for (const std::string& text : {format_group_offsets(g), format_group_members(g), format_group_state(g)}) {
    EXPECT_NE(text.find("CoordinatorNotAvailableException"), std::string::npos) << text;
    EXPECT_EQ(text.find("CURRENT-OFFSET"), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace kafkasim::cli
