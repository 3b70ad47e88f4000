// The coordinator's choice of group protocol (ClassicGroup.selectProtocol) and the assignor factory.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "group/assignor.h"

namespace kafkasim {
namespace {

using Lists = std::vector<std::vector<std::string>>;

TEST(SelectProtocol, KafkaDefaultEverywhereIsRange) {
  const auto& d = default_assignment_strategies();
  EXPECT_EQ(d, (std::vector<std::string>{"range", "cooperative-sticky"}));
  EXPECT_EQ(select_protocol(Lists{d}), "range");
  EXPECT_EQ(select_protocol(Lists{d, d, d}), "range");
}

TEST(SelectProtocol, OnlyProtocolsEveryMemberSupports) {
  // Upgrading to cooperative: members that still list only range keep the group on range.
  EXPECT_EQ(select_protocol(Lists{{"cooperative-sticky", "range"}, {"range"}}), "range");
  // Once range is dropped everywhere but listed second by some, cooperative-sticky is the only candidate.
  EXPECT_EQ(select_protocol(Lists{{"cooperative-sticky"}, {"cooperative-sticky", "range"}}), "cooperative-sticky");
}

TEST(SelectProtocol, MostFirstChoiceVotesWins) {
  // Each member votes for its first candidate: two for cooperative-sticky, one for range.
  EXPECT_EQ(select_protocol(Lists{{"cooperative-sticky", "range"},
                                  {"cooperative-sticky", "range"},
                                  {"range", "cooperative-sticky"}}),
            "cooperative-sticky");
  // A member's first choice that is not a candidate does not count; its next candidate does.
  EXPECT_EQ(select_protocol(Lists{{"sticky", "roundrobin", "range"}, {"roundrobin", "range"}, {"range", "roundrobin"}}),
            "roundrobin");
}

TEST(SelectProtocol, TiesGoToTheFirstProtocolInJavaHashMapOrder) {
  // Java iterates {sticky, range, roundrobin, cooperative-sticky} in that order; Stream.max keeps the first maximum.
  EXPECT_EQ(select_protocol(Lists{{"range", "cooperative-sticky"}, {"cooperative-sticky", "range"}}), "range");
  EXPECT_EQ(select_protocol(Lists{{"cooperative-sticky", "range"}, {"range", "cooperative-sticky"}}), "range");
  EXPECT_EQ(select_protocol(Lists{{"roundrobin", "sticky"}, {"sticky", "roundrobin"}}), "sticky");
  EXPECT_EQ(select_protocol(Lists{{"cooperative-sticky", "roundrobin"}, {"roundrobin", "cooperative-sticky"}}),
            "roundrobin");
}

TEST(SelectProtocol, NoCommonProtocolOrNoMember) {
  EXPECT_EQ(select_protocol(Lists{{"range"}, {"roundrobin"}}), "");
  EXPECT_EQ(select_protocol(Lists{}), "");
}

TEST(MakeAssignor, KnowsKafkasFourNames) {
  for (const auto& name : assignor_names()) {
    auto assignor = make_assignor(name);
    ASSERT_NE(assignor, nullptr) << name;
    EXPECT_EQ(assignor->name(), name);
  }
  EXPECT_EQ(assignor_names().size(), 4u);
  EXPECT_EQ(make_assignor("Range"), nullptr);
  EXPECT_EQ(make_assignor("org.apache.kafka.clients.consumer.RangeAssignor"), nullptr);
  EXPECT_EQ(make_assignor(""), nullptr);
}

TEST(MakeAssignor, DuplicateMemberIdsAreRejected) {
  AssignorMember a;
  a.member_id = "c";
  a.topics = {"t"};
  EXPECT_THROW(make_assignor("range")->assign({{"t", 1}}, {a, a}), std::invalid_argument);
}

}  // namespace
}  // namespace kafkasim
