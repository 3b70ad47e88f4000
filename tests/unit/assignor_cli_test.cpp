// `kafkasim assign` (run_assign_command): output format, Kafka's member order, strategy selection, bad input.
#include "cli/assign_command.h"

#include <gtest/gtest.h>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace kafkasim::cli {
namespace {

struct CommandRun {
  int exit_code;
  std::string out;
  std::string err;
};

CommandRun run(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  const int code = run_assign_command(args);
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  return {code, out.str(), err.str()};
}

TEST(AssignCommand, RangeOneLinePerMemberInKafkaOrder) {
  const CommandRun r = run({"--strategy", "range", "--topic", "orders:5", "--member", "consumer2", "--member", "consumer10",
                     "--member", "consumer1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "consumer1 -> orders-0, orders-1\n"
            "consumer10 -> orders-2, orders-3\n"
            "consumer2 -> orders-4\n");
}

TEST(AssignCommand, StaticMembersFirstAndIdleMembers) {
  const CommandRun r = run({"-s", "roundrobin", "-t", "t:2", "-m", "a", "-m", "z:instance=i1", "-m", "b"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "z -> t-0\n"
            "a -> t-1\n"
            "b -> (none)\n");
}

TEST(AssignCommand, SubscriptionsWithDotsDashesAndUnderscores) {
  const CommandRun r = run({"--strategy", "range", "--topic", "orders.v2:2", "--topic", "pay_ments-eu:1", "--member",
                     "c1:topics=orders.v2+pay_ments-eu", "--member", "c2:topics=orders.v2"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "c1 -> orders.v2-0, pay_ments-eu-0\n"
            "c2 -> orders.v2-1\n");
}

TEST(AssignCommand, StickyKeepsOwnedPartitions) {
  const CommandRun r = run({"--strategy", "sticky", "--topic", "my-topic:3", "--member",
                     "c1:owned=my-topic-0+my-topic-1+my-topic-2:generation=4", "--member", "c2:generation=4"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "c1 -> my-topic-0, my-topic-1\n"
            "c2 -> my-topic-2\n");
}

TEST(AssignCommand, CooperativeStickyReportsHeldBackPartitions) {
  const CommandRun r = run({"--strategy", "cooperative-sticky", "--topic", "orders:3", "--member",
                     "c1:owned=orders-0+orders-1+orders-2:generation=4", "--member", "c2:generation=4"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "c1 -> orders-0, orders-1\n"
            "c2 -> (none)\n");
  EXPECT_NE(r.err.find("orders-2"), std::string::npos) << r.err;
}

TEST(AssignCommand, WithoutStrategyTheGroupProtocolIsSelected) {
  // Kafka's default [range, cooperative-sticky] everywhere: range.
  CommandRun r = run({"--topic", "t:2", "--member", "a", "--member", "b"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "a -> t-0\nb -> t-1\n");
  EXPECT_NE(r.err.find("'range'"), std::string::npos) << r.err;
  // Both prefer cooperative-sticky.
  r = run({"--topic", "t:2", "--member", "a:strategies=cooperative-sticky+range", "--member",
           "b:strategies=cooperative-sticky"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("'cooperative-sticky'"), std::string::npos) << r.err;
  // Nothing in common.
  r = run({"--topic", "t:2", "--member", "a:strategies=range", "--member", "b:strategies=roundrobin"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("INCONSISTENT_GROUP_PROTOCOL"), std::string::npos) << r.err;
}

TEST(AssignCommand, UnknownStrategyListsTheValidOnes) {
  const CommandRun r = run({"--strategy", "fair", "--topic", "t:1", "--member", "a"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("unknown --strategy 'fair'; valid: range, roundrobin, sticky, cooperative-sticky"),
            std::string::npos)
      << r.err;
}

TEST(AssignCommand, BadInputIsListedInFull) {
  const CommandRun r = run({"--strategy", "range", "--topic", "orders:3", "--topic", "bad topic:2", "--topic", "x", "--member",
                     "c1:topics=orders+nope:owned=orders-7:colour=red", "--member", "c2:generation=abc"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  for (const char* expected : {"'bad topic' is not a legal Kafka topic name", "expected NAME:PARTITIONS",
                               "unknown topic 'nope'", "owns orders-7 but orders has partitions 0..2",
                               "unknown field 'colour'", "generation must be an integer"})
    EXPECT_NE(r.err.find(expected), std::string::npos) << expected << "\n" << r.err;
}

TEST(AssignCommand, DuplicatesAndMissingPiecesAreRejected) {
  CommandRun r = run({"--strategy", "range", "--topic", "t:1", "--topic", "t:2", "--member", "a", "--member", "a"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("declared twice"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("used twice"), std::string::npos) << r.err;
  r = run({"--strategy", "range", "--topic", "t:1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("at least one --member"), std::string::npos) << r.err;
  r = run({"--strategy", "range", "--member", "a"});
  EXPECT_EQ(r.exit_code, 2);
  r = run({"--strategy", "range", "--topic", "t:0", "--member", "a"});
  EXPECT_EQ(r.exit_code, 2);
  r = run({"--bogus"});
  EXPECT_EQ(r.exit_code, 2);
  r = run({"--strategy", "range", "--topic", "t:1", "--member", "a", "stray"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(AssignCommand, HelpDocumentsTheMemberSyntax) {
  const CommandRun r = run({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* expected : {"topics=", "owned=", "generation=", "instance=", "strategies=", "--strategy", "(none)"})
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected;
}

}  // namespace
}  // namespace kafkasim::cli
