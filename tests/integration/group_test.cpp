// Consumer groups end to end: the shipped group scenarios run through the real binary, and the tests check the
// directions the scenarios are meant to show (never exact counts copied from a run).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "cli_harness.h"

namespace kafkasim::testing {
namespace {

const nlohmann::json& only_group(const nlohmann::json& summary, const std::string& name) {
  for (const auto& g : summary["groups"])
    if (g["group"] == name) return g;
  throw std::runtime_error("no group " + name + " in the summary");
}

int64_t get(const nlohmann::json& group, const char* field) { return group[field].get<int64_t>(); }

// Events of one type in a run's events.jsonl.
std::vector<nlohmann::json> events_of(const std::filesystem::path& dir, const std::string& type) {
  std::vector<nlohmann::json> out;
  std::istringstream in(read_file(dir / "events.jsonl"));
  std::string line;
  while (std::getline(in, line)) {
    auto e = nlohmann::json::parse(line);
    if (e["type"] == type) out.push_back(std::move(e));
  }
  return out;
}

TEST(Groups, FourConsumersOnThreePartitionsLeaveExactlyOneIdle) {
  auto out = fresh_dir("four-on-three");
  ASSERT_EQ(kafkasim({"run", scenario("four-consumers-three-partitions.json"), "--out", out.string(), "-q"}).exit_code, 0);
  auto s = read_json(out / "summary.json");
  int idle = 0, busy = 0;
  for (const auto& c : s["consumers"]) (c["records"].get<int64_t>() == 0 ? idle : busy)++;
  EXPECT_EQ(idle, 1);
  EXPECT_EQ(busy, 3);
  // The assignment itself: every partition has exactly one owner, one member owns nothing.
  auto completed = events_of(out, "rebalance_completed");
  ASSERT_FALSE(completed.empty());
  std::multiset<std::string> owned;
  int empty_members = 0;
  for (const auto& m : completed.back()["members"]) {
    if (m["assignment"].empty()) ++empty_members;
    for (const auto& tp : m["assignment"]) owned.insert(tp.get<std::string>());
  }
  EXPECT_EQ(empty_members, 1);
  EXPECT_EQ(owned, (std::multiset<std::string>{"orders/0", "orders/1", "orders/2"}));
  EXPECT_EQ(s["records"]["delivered_twice"], 0);
  EXPECT_GE(s["records"]["consumed"].get<int64_t>(), s["records"]["acknowledged"].get<int64_t>() * 95 / 100);
}

TEST(Groups, RebalanceStormHasManyTimesTheRebalancesAndDuplicatesOfTheBatchRemedies) {
  auto storm = only_group(run_summary(scenario("rebalance-storm.json"), "storm"), "workers");
  EXPECT_GT(get(storm, "commits_failed"), 0) << "overrunning members' commits fail (CommitFailedException)";
  EXPECT_GT(get(storm, "delivered_twice"), 0);
  for (const char* remedy : {"rebalance-storm-remedy-small-batches.json", "rebalance-storm-remedy-longer-poll-interval.json"}) {
    auto g = only_group(run_summary(scenario(remedy), remedy), "workers");
    EXPECT_GE(get(storm, "rebalances"), 3 * get(g, "rebalances")) << remedy;
    EXPECT_GE(get(storm, "delivered_twice"), 3 * std::max<int64_t>(get(g, "delivered_twice"), 1)) << remedy;
    EXPECT_LT(get(g, "lag_at_end"), get(storm, "lag_at_end")) << remedy;
    EXPECT_GT(storm["idle_partition_s"].get<double>(), 10 * g["idle_partition_s"].get<double>() + 1) << remedy;
  }
  // Static membership removes the rebalances (an overrunning static member rejoins under its instance id), not
  // the redelivery of the batches whose commit failed.
  auto static_members = only_group(run_summary(scenario("rebalance-storm-remedy-static.json"), "storm-static"), "workers");
  EXPECT_GE(get(storm, "rebalances"), 3 * get(static_members, "rebalances"));
  EXPECT_LE(get(static_members, "delivered_twice"), get(storm, "delivered_twice"));
  EXPECT_GT(storm["idle_partition_s"].get<double>(), 10 * static_members["idle_partition_s"].get<double>() + 1);
}

TEST(Groups, CooperativeRebalancesRevokeOnlyWhatMoves) {
  auto eager = fresh_dir("storm-eager"), coop = fresh_dir("storm-coop");
  ASSERT_EQ(kafkasim({"run", scenario("rebalance-storm.json"), "--out", eager.string(), "-q"}).exit_code, 0);
  ASSERT_EQ(kafkasim({"run", scenario("rebalance-storm-remedy-cooperative.json"), "--out", coop.string(), "-q"}).exit_code, 0);
  auto revoked_per_rebalance = [](const std::filesystem::path& dir) {
    int64_t revoked = 0;
    for (const auto& e : events_of(dir, "partitions_revoked"))
      if (!e["lost"].get<bool>()) revoked += static_cast<int64_t>(e["partitions"].size());
    auto s = read_json(dir / "summary.json");
    return static_cast<double>(revoked) / std::max<int64_t>(s["rebalances"].get<int64_t>(), 1);
  };
  EXPECT_EQ(read_json(coop / "summary.json")["groups"][0]["protocol"], "cooperative-sticky");
  EXPECT_LT(revoked_per_rebalance(coop) * 2, revoked_per_rebalance(eager));
}

TEST(Groups, StaticMembershipMakesARollingRestartWithinTheSessionTimeoutCostNoRebalance) {
  auto dynamic = only_group(run_summary(scenario("rolling-restart.json"), "rolling-dynamic"), "shipping");
  auto static_members = only_group(run_summary(scenario("rolling-restart-static.json"), "rolling-static"), "shipping");
  const int64_t members = 4;
  // The first join is one rebalance in both; the restart adds about two per dynamic member, none when static.
  EXPECT_EQ(get(static_members, "rebalances"), 1);
  EXPECT_GE(get(dynamic, "rebalances") - 1, 2 * members - 1);
  EXPECT_LE(get(dynamic, "rebalances") - 1, 2 * members + 1);
  EXPECT_GT(dynamic["rebalancing_s"].get<double>(), static_members["rebalancing_s"].get<double>());
  EXPECT_EQ(get(static_members, "skipped"), 0);
  EXPECT_EQ(get(dynamic, "skipped"), 0);
  // The price of static membership: a restarting member's partitions wait for it, unread, instead of moving.
  EXPECT_GT(static_members["idle_partition_s"].get<double>(), 2 * dynamic["idle_partition_s"].get<double>());
}

TEST(Groups, CommitBeforeProcessingLosesRecordsAndCommitAfterProcessingDuplicatesThem) {
  auto s = run_summary(scenario("commit-strategies.json"), "commit-strategies");
  auto at_most_once = only_group(s, "at-most-once"), at_least_once = only_group(s, "at-least-once");
  EXPECT_GT(get(at_most_once, "skipped"), 0);
  EXPECT_EQ(get(at_most_once, "delivered_twice"), 0);
  EXPECT_GT(get(at_least_once, "delivered_twice"), 0);
  EXPECT_EQ(get(at_least_once, "skipped"), 0);
  EXPECT_EQ(s["records"]["lost"], 0) << "the log loses nothing: the loss is the consumer's";
}

TEST(Groups, MaxPollIntervalOverrunLeavesTheGroupAndTheLateCommitFails) {
  auto out = fresh_dir("storm-events");
  ASSERT_EQ(kafkasim({"run", scenario("rebalance-storm.json"), "--out", out.string(), "-q"}).exit_code, 0);
  auto timeouts = events_of(out, "poll_timeout_expired");
  ASSERT_FALSE(timeouts.empty());
  bool left_for_it = false;
  for (const auto& e : events_of(out, "member_left")) left_for_it |= e["reason"] == "max_poll_interval";
  EXPECT_TRUE(left_for_it);
  bool commit_failed = false;
  for (const auto& e : events_of(out, "commit_failed")) commit_failed |= e["error"] == "COMMIT_FAILED";
  EXPECT_TRUE(commit_failed);
}

TEST(Groups, SameSeedGivesByteIdenticalEvents) {
  auto a = fresh_dir("groups-det-a"), b = fresh_dir("groups-det-b");
  for (const auto& dir : {a, b})
    ASSERT_EQ(kafkasim({"run", scenario("rolling-restart.json"), "--out", dir.string(), "-q"}).exit_code, 0);
  for (const char* f : {"events.jsonl", "metrics.csv", "summary.json"}) {
    std::string fa = read_file(a / f);
    EXPECT_FALSE(fa.empty()) << f;
    EXPECT_EQ(fa, read_file(b / f)) << f;
  }
}

TEST(Groups, MetricsHaveGroupLagAndRebalanceColumns) {
  auto out = fresh_dir("groups-metrics");
  ASSERT_EQ(kafkasim({"run", scenario("rolling-restart.json"), "--out", out.string(), "-q"}).exit_code, 0);
  std::string header = read_file(out / "metrics.csv").substr(0, read_file(out / "metrics.csv").find('\n'));
  EXPECT_NE(header.find(",lag:shipping,"), std::string::npos);
  EXPECT_NE(header.find(",rebalancing:shipping,"), std::string::npos);
  EXPECT_NE(header.find(",rebalances:shipping"), std::string::npos);
  EXPECT_NE(header.find(",lag:shipping:orders/7"), std::string::npos) << "group lag per partition";
  // A consumer's own lag has a prefix of its own: a consumer named like its group must not give two columns
  // of one name.
  std::set<std::string> names;
  std::istringstream columns(header);
  for (std::string name; std::getline(columns, name, ',');) EXPECT_TRUE(names.insert(name).second) << name;
  EXPECT_TRUE(std::any_of(names.begin(), names.end(),
                          [](const std::string& n) { return n.rfind("consumer_lag:", 0) == 0; }));
}

}  // namespace
TEST(Groups, ReplicatedOffsetsSurviveTheCoordinatorsPowerLossAndUnreplicatedOnesDoNot) {
  const auto out = fresh_dir("coordinator-failover");
  ASSERT_EQ(kafkasim({"run", scenario("coordinator-failover.json"), "--out", out.string(), "-q"}).exit_code, 0);
  const auto s = read_json(out / "summary.json");
  const auto& replicated = only_group(s, "billing");
  // The coordinator moved to another replica of the group's __consumer_offsets partition, which loaded the
  // group from its log: same generation, no rebalance beyond the first, nothing read twice or skipped.
  const auto fault = events_of(out, "fault_started");
  ASSERT_EQ(fault.size(), 1u);
  const auto loaded = events_of(out, "group_loaded");
  ASSERT_FALSE(loaded.empty());
  EXPECT_NE(loaded[0]["broker"], std::stoi(fault[0]["target"].get<std::string>().substr(7)));
  EXPECT_GT(loaded[0]["offsets"].get<int64_t>(), 0);
  EXPECT_EQ(loaded[0]["members"], 2);
  EXPECT_EQ(get(replicated, "rebalances"), 1);
  EXPECT_EQ(get(replicated, "skipped"), 0);
  EXPECT_EQ(s["records"]["lost"], 0);

  const auto unreplicated_summary = run_summary(scenario("coordinator-failover-unreplicated.json"), "coordinator-rf1");
  const auto& unreplicated = only_group(unreplicated_summary, "billing");
  // With one replica in an unflushed page cache, the power loss takes the offsets and the group with it: the
  // members rejoin and read from the start again.
  EXPECT_GT(get(unreplicated, "rebalances"), get(replicated, "rebalances"));
  EXPECT_GT(get(unreplicated, "delivered_twice"), 10 * std::max<int64_t>(get(replicated, "delivered_twice"), 100));
}

}  // namespace kafkasim::testing
