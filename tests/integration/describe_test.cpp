// `kafkasim describe`: the cluster at a past simulated time, replayed from a run's results.
#include <gtest/gtest.h>

#include <regex>

#include "cli_harness.h"

namespace kafkasim::testing {
namespace {

// The acks=1 leader crash of acks-matrix.json: the leader of events/0 crashes at 8 s and is back at 20 s.
const std::filesystem::path& crash_run() {
  static const std::filesystem::path dir = [] {
    run_summary(scenario("acks-matrix.json"), "describe-run", {"--set", "producers/0/config/acks=1"});
    return fresh_dir_path("describe-run");
  }();
  return dir;
}

std::string partition_line(const std::string& text) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(text, m, std::regex("\tTopic: events\tPartition: 0\t[^\n]*"))) << text;
  return m.str();
}

int leader_of(const std::string& line) {
  std::smatch m;
  if (!std::regex_search(line, m, std::regex("Leader: (\\d+)"))) return -1;
  return std::stoi(m[1]);
}

TEST(Describe, ShowsTheLeaderAndIsrBeforeAndAfterTheLeadersCrash) {
  auto before = kafkasim({"describe", crash_run().string(), "--at", "5s"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_EQ(before.err, "");  // the replay matched the run's event log
  std::string line = partition_line(before.out);
  int old_leader = leader_of(line);
  ASSERT_GE(old_leader, 0) << line;
  EXPECT_NE(line.find("Isr: "), std::string::npos);
  EXPECT_EQ(std::count(line.begin(), line.end(), ','), 4) << "three replicas and three in sync: " << line;

  // Fenced after broker.session.timeout.ms (9 s), a new leader is elected at about 17 s.
  auto after = kafkasim({"describe", crash_run().string(), "--at", "18s"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  std::string moved = partition_line(after.out);
  int new_leader = leader_of(moved);
  EXPECT_GE(new_leader, 0) << moved;
  EXPECT_NE(new_leader, old_leader) << moved;
  EXPECT_EQ(moved.find(std::to_string(old_leader), moved.find("Isr: ")), std::string::npos)
      << "the crashed broker left the ISR: " << moved;
}

TEST(Describe, GroupOffsetsAdvanceAndLagIsLogEndMinusCommitted) {
  // Auto-commit every 5 s: something is committed at 5.5 s, more by 18 s (the new leader serves again).
  auto early = kafkasim({"describe", crash_run().string(), "--at", "5.5s", "--group", "readers"});
  auto late = kafkasim({"describe", crash_run().string(), "--at", "18s", "--group", "readers"});
  ASSERT_EQ(early.exit_code, 0) << early.err;
  ASSERT_EQ(late.exit_code, 0) << late.err;
  EXPECT_NE(early.out.find("GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG"),
            std::string::npos)
      << early.out;
  std::regex row("readers +events +0 +(\\d+) +(\\d+) +(\\d+) +reader");
  std::smatch a, b;
  ASSERT_TRUE(std::regex_search(early.out, a, row)) << early.out;
  ASSERT_TRUE(std::regex_search(late.out, b, row)) << late.out;
  EXPECT_EQ(std::stol(a[2]) - std::stol(a[1]), std::stol(a[3]));
  EXPECT_GT(std::stol(b[1]), std::stol(a[1])) << "auto-commit moved the committed offset on";
  EXPECT_GT(std::stol(b[2]), std::stol(a[2])) << "the producer kept writing";
}

TEST(Describe, AnUnreachableLeaderShowsNoLogEndOffsetAsKafkaToolsDo) {
  // At 11 s the leader's process is dead but not yet fenced: metadata still names it.
  auto r = kafkasim({"describe", crash_run().string(), "--at", "11s"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("readers +events +0 +\\d+ +- +- +reader"))) << r.out;
}

TEST(Describe, BadRequestsAreExitCode2WithAllProblems) {
  auto r = kafkasim({"describe", crash_run().string(), "--at", "soon"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--at: 'soon' is not a time"), std::string::npos) << r.err;
  r = kafkasim({"describe", crash_run().string(), "--at", "999s"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("after the end of the run"), std::string::npos) << r.err;
  r = kafkasim({"describe", crash_run().string(), "--at", "1s", "--topic", "nope", "--group", "nobody"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no topic 'nope'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no consumer group 'nobody'"), std::string::npos) << r.err;
  r = kafkasim({"describe", "/nonexistent", "--at", "1s"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a results folder"), std::string::npos) << r.err;
}

TEST(Describe, ReportsWhenTheResultsDoNotMatchTheReplay) {
  // An event log edited after the run no longer matches: the state is still shown, with a warning.
  auto copy = fresh_dir("describe-edited");
  std::filesystem::copy(crash_run(), copy, std::filesystem::copy_options::recursive);
  std::string events = read_file(copy / "events.jsonl");
  auto second_line = events.find('\n') + 1;
  events.erase(second_line, events.find('\n', second_line) + 1 - second_line);
  std::ofstream(copy / "events.jsonl", std::ios::binary | std::ios::trunc) << events;
  auto r = kafkasim({"describe", copy.string(), "--at", "5s"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("differ"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("Topic: events"), std::string::npos);
}

}  // namespace
}  // namespace kafkasim::testing
