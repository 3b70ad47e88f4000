// Kafka's member order for range and roundrobin (AbstractPartitionAssignorTest's MemberInfo sorting tests) and
// Java's String.compareTo.
#include "group/member_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace kafkasim {
namespace {

AssignorMember m(std::string id, std::optional<std::string> instance = std::nullopt) {
  AssignorMember member;
  member.member_id = std::move(id);
  member.group_instance_id = std::move(instance);
  return member;
}

TEST(JavaStringCompare, ByteOrderForAscii) {
  EXPECT_LT(java_string_compare("consumer10", "consumer2"), 0);
  EXPECT_GT(java_string_compare("consumer2", "consumer10"), 0);
  EXPECT_LT(java_string_compare("C", "a"), 0);  // upper case first
  EXPECT_LT(java_string_compare("abc", "abcd"), 0);
  EXPECT_EQ(java_string_compare("same", "same"), 0);
}

TEST(JavaStringCompare, Utf16CodeUnitsNotCodePoints) {
  // U+1F600 is the surrogate pair D83D DE00 in UTF-16, which sorts before U+FFFD; in UTF-8 byte order it is after.
  const std::string grinning = "\xF0\x9F\x98\x80";
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_LT(java_string_compare(grinning, replacement), 0);
  EXPECT_GT(grinning.compare(replacement), 0);
  EXPECT_LT(java_string_compare("\xC3\xA9", "\xE2\x82\xAC"), 0);  // U+00E9 < U+20AC
}

TEST(MemberOrder, DynamicMembersByMemberId) {
  // testMemberInfoSortingWithoutGroupInstanceId
  EXPECT_EQ(kafka_member_order({m("a"), m("b"), m("c")}), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(kafka_member_order({m("consumer2"), m("consumer10"), m("consumer1")}),
            (std::vector<std::string>{"consumer1", "consumer10", "consumer2"}));
}

TEST(MemberOrder, StaticMembersByInstanceId) {
  // testMemberInfoSortingWithAllGroupInstanceId: a/y, b/z, c/x -> c, a, b
  EXPECT_EQ(kafka_member_order({m("a", "y"), m("b", "z"), m("c", "x")}), (std::vector<std::string>{"c", "a", "b"}));
}

TEST(MemberOrder, StaticBeforeDynamic) {
  // testMemberInfoSortingSomeGroupInstanceId: a (dynamic), b/y, c/x -> c, b, a
  EXPECT_EQ(kafka_member_order({m("a"), m("b", "y"), m("c", "x")}), (std::vector<std::string>{"c", "b", "a"}));
  // A static member whose member id sorts last still comes first.
  EXPECT_EQ(kafka_member_order({m("consumer-a"), m("consumer-z", "instance-9")}),
            (std::vector<std::string>{"consumer-z", "consumer-a"}));
}

TEST(MemberOrder, ManyMembersStaticThenDynamic) {
  // testMergeSortManyMemberInfo, with a fixed pattern instead of a random one.
  std::vector<AssignorMember> members;
  std::vector<std::string> expected_static, expected_dynamic;
  for (int i = 0; i < 100; ++i) {
    const std::string id = std::to_string(i + 100);
    if ((i * 7) % 3 == 0) {
      members.push_back(m(id, id));
      expected_static.push_back(id);
    } else {
      members.push_back(m(id));
      expected_dynamic.push_back(id);
    }
  }
  std::reverse(members.begin(), members.end());
  std::vector<std::string> expected = expected_static;
  expected.insert(expected.end(), expected_dynamic.begin(), expected_dynamic.end());
  EXPECT_EQ(kafka_member_order(members), expected);
}

TEST(MemberOrder, LeaderIterationOrderIsJavaHashMapOrder) {
  const std::vector<AssignorMember> members = {m("consumer1"), m("consumer2"), m("consumer3"), m("consumer4")};
  EXPECT_EQ(leader_iteration_order(members), (std::vector<size_t>{3, 2, 1, 0}));
}

}  // namespace
}  // namespace kafkasim
