// The published failures of ../shared/reproduce.md, as shipped in scenarios/: each test checks the
// direction of the outcome the scenario states (never a count copied from a run).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

#include "cli_harness.h"

namespace kafkasim::testing {
namespace {

int64_t lost(const nlohmann::json& s) { return s["records"]["lost"].get<int64_t>(); }

nlohmann::json run(const std::string& file, const std::string& tag, std::vector<std::string> sets = {}) {
  std::vector<std::string> extra;
  for (auto& s : sets) {
    extra.push_back("--set");
    extra.push_back(s);
  }
  return run_summary(scenario(file), tag, extra);
}

std::vector<nlohmann::json> events_of(const std::string& tag) {
  std::vector<nlohmann::json> out;
  std::istringstream in(read_file(fresh_dir_path(tag) / "events.jsonl"));
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

TEST(Reproduce, AcksMatrixLosesMostWithAcksZeroAndNothingWithAcksAll) {
  auto zero = run("acks-matrix.json", "acks-0", {"producers/0/config/acks=0"});
  auto one = run("acks-matrix.json", "acks-1", {"producers/0/config/acks=1"});
  auto all = run("acks-matrix.json", "acks-all", {"producers/0/config/acks=all"});
  EXPECT_GT(lost(zero), lost(one));
  EXPECT_GT(lost(one), 0);
  EXPECT_EQ(lost(all), 0);
  // acks=all still had everything acknowledged: the leader moved, nothing was refused for good.
  EXPECT_GT(all["records"]["acknowledged"].get<int64_t>(), 90000);
}

TEST(Reproduce, ASlowDiskShowsOnceThePageCacheIsFull) {
  auto small = run("slow-disk.json", "slow-disk");
  auto large = run("slow-disk.json", "slow-disk-large-cache", {"cluster/disk/dirty_limit=6GiB"});
  EXPECT_GT(small["latency_ms"]["p99"].get<double>(), 100 * large["latency_ms"]["p99"].get<double>());
  EXPECT_LT(large["latency_ms"]["p99"].get<double>(), 50.0) << "the slow disk is hidden behind the cache";
  EXPECT_LT(small["records"]["produced"].get<int64_t>(), large["records"]["produced"].get<int64_t>())
      << "send() blocked while acks=all waited for the slow disk";
  EXPECT_EQ(lost(small), 0);
  EXPECT_EQ(lost(large), 0);
}

TEST(Reproduce, TheEventLogNamesAFaultBeforeWhatItCauses) {
  run("acks-matrix.json", "acks-1-order", {"producers/0/config/acks=1"});
  auto events = events_of("acks-1-order");
  auto index_of = [&](const std::string& type) {
    for (size_t i = 0; i < events.size(); ++i)
      if (events[i]["type"] == type) return static_cast<int64_t>(i);
    return int64_t{-1};
  };
  ASSERT_GE(index_of("fault_started"), 0);
  ASSERT_GE(index_of("broker_crashed"), 0);
  EXPECT_LT(index_of("fault_started"), index_of("broker_crashed"));
  EXPECT_LT(index_of("fault_healed"), index_of("broker_restarted"));
}

TEST(Reproduce, AcksOneLossIsExplainedByTheOldLeadersTruncation) {
  run("acks-matrix.json", "acks-1-history", {"producers/0/config/acks=1"});
  std::istringstream in(read_file(fresh_dir_path("acks-1-history") / "anomalies.jsonl"));
  std::string line;
  ASSERT_TRUE(static_cast<bool>(std::getline(in, line)));
  auto a = nlohmann::json::parse(line);
  EXPECT_EQ(a["kind"], "lost");
  bool acknowledged = false, truncated = false;
  for (const auto& h : a["history"]) {
    acknowledged |= h["event"] == "acknowledged";
    truncated |= h["event"] == "truncated" && h["reason"] == "leader_epoch_truncation";
  }
  EXPECT_TRUE(acknowledged);
  EXPECT_TRUE(truncated);
}

TEST(Reproduce, PowerLossLosesAcknowledgedRecordsAProcessCrashDoesNot) {
  EXPECT_GT(lost(run("power-loss.json", "power-loss")), 0);
  auto crash = run("process-crash.json", "process-crash");
  EXPECT_EQ(lost(crash), 0);
  EXPECT_GT(crash["records"]["acknowledged"].get<int64_t>(), 0);
}

TEST(Reproduce, SequentialCrashesLoseDataOnlyWithUncleanElection) {
  auto unclean = run("sequential-crashes.json", "seq-unclean");
  auto clean = run("sequential-crashes.json", "seq-clean", {"cluster/config/unclean.leader.election.enable=false"});
  EXPECT_GT(lost(unclean), 0);
  EXPECT_EQ(lost(clean), 0);
  // The price of clean election: the partition was offline for a while.
  bool offline = false;
  for (const auto& e : events_of("seq-clean"))
    if (e["type"] == "leader_elected" && e["leader"] == -1) offline = true;
  EXPECT_TRUE(offline);
}

TEST(Reproduce, RetriesDuplicateWithoutIdempotenceOnly) {
  auto off = run("idempotence.json", "idem-off");
  auto on = run("idempotence.json", "idem-on", {"producers/0/config/enable.idempotence=true"});
  EXPECT_GT(off["records"]["duplicated"].get<int64_t>(), 0);
  EXPECT_EQ(on["records"]["duplicated"], 0);
  EXPECT_EQ(on["records"]["reordered"], 0);
  EXPECT_EQ(lost(on), 0);
}

TEST(Reproduce, FaultRunsAreDeterministicToo) {
  auto a = fresh_dir("fault-det-a"), b = fresh_dir("fault-det-b");
  for (const auto& dir : {a, b})
    ASSERT_EQ(kafkasim({"run", scenario("acks-matrix.json"), "--out", dir.string(), "-q", "--set",
                        "producers/0/config/acks=1"})
                  .exit_code,
              0);
  for (const char* f : {"summary.json", "events.jsonl", "metrics.csv", "anomalies.jsonl"})
    EXPECT_EQ(read_file(a / f), read_file(b / f)) << f;
}

}  // namespace
}  // namespace kafkasim::testing

namespace kafkasim::testing {
namespace {

TEST(Reproduce, Jepsen2013LosesAcknowledgedWritesAndTheRemedyDoesNot) {
  auto jepsen = run_summary(scenario("jepsen-2013.json"), "jepsen");
  auto remedy = run_summary(scenario("jepsen-2013-remedy.json"), "jepsen-remedy");
  EXPECT_GT(jepsen["records"]["lost"].get<int64_t>(), 0);
  EXPECT_EQ(remedy["records"]["lost"], 0);
  // The remedy refuses writes instead of acknowledging what it cannot keep.
  EXPECT_GT(remedy["records"]["failed"].get<int64_t>(), 0);
  EXPECT_GT(remedy["producers"][0]["errors"].value("NOT_ENOUGH_REPLICAS", 0), 0);
}

}  // namespace
}  // namespace kafkasim::testing

namespace kafkasim::testing {
namespace {

// Each ISR change is logged once, by the controller that commits it: an isr_changed event always changes the
// ISR the log has shown so far (topic_created: all replicas; leader_elected: its isr).
TEST(Reproduce, EachIsrChangeIsLoggedOnce) {
  run("jepsen-2013.json", "isr-once");
  std::map<std::pair<std::string, int>, nlohmann::json> isr;
  int changes = 0;
  for (const auto& e : events_of("isr-once")) {
    if (e["type"] == "topic_created") {
      for (const auto& p : e["partitions"]) isr[{e["topic"], p["partition"].get<int>()}] = p["replicas"];
    } else if (e["type"] == "leader_elected") {
      isr[{e["topic"], e["partition"].get<int>()}] = e["isr"];
    } else if (e["type"] == "isr_changed") {
      auto& known = isr[{e["topic"], e["partition"].get<int>()}];
      auto sorted = [](nlohmann::json v) {
        std::vector<int> out = v.get<std::vector<int>>();
        std::sort(out.begin(), out.end());
        return out;
      };
      EXPECT_NE(sorted(known), sorted(e["isr"])) << "isr_changed without a change: " << e.dump();
      known = e["isr"];
      ++changes;
    }
  }
  EXPECT_GT(changes, 0);  // the scenario shrinks and expands an ISR
}

// reproduce.md item 10. A run of a failover scenario in one control-plane mode at one partition count; returns
// the failover entry of its only fault.
nlohmann::json failover_of(const std::string& file, const std::string& mode, int partitions) {
  const std::string tag = file.substr(0, file.find('.')) + "-" + mode + "-" + std::to_string(partitions);
  auto s = run(file, tag, {"cluster/control_plane/mode=" + mode, "topics/0/partitions=" + std::to_string(partitions)});
  EXPECT_EQ(s["failover"].size(), 1u) << tag;
  return s["failover"].at(0);
}

double seconds(const nlohmann::json& entry, const char* field) {
  EXPECT_TRUE(entry[field].is_number()) << field << " in " << entry.dump();
  return entry[field].is_number() ? entry[field].get<double>() : -1;
}

TEST(Reproduce, BrokerFailoverGrowsWithPartitionsAndIsSlowerUnderZooKeeper) {
  std::map<std::string, std::map<int, double>> last;
  for (const std::string mode : {"kraft", "zookeeper"}) {
    for (int partitions : {100, 1000}) {
      auto f = failover_of("failover-zk-vs-kraft.json", mode, partitions);
      EXPECT_GT(f["partitions_led"].get<int64_t>(), 0);
      EXPECT_EQ(f["partitions_reelected"], f["partitions_led"]) << mode << " " << partitions;
      last[mode][partitions] = seconds(f, "last_election_s");
    }
    EXPECT_GT(last[mode][1000], last[mode][100]) << mode;  // elections cost time per partition led
  }
  // Detection: a ZooKeeper session (18 s) outlasts a KRaft broker session (9 s).
  for (int partitions : {100, 1000}) EXPECT_GT(last["zookeeper"][partitions], last["kraft"][partitions]);
  // The growth is the per-partition election cost, a parameter: without it, 1,000 partitions fail over as
  // fast as 100.
  auto free = run("failover-zk-vs-kraft.json", "failover-free-elections",
                  {"cluster/config/kafkasim.controller.election.ms.per.partition=0"});
  const double free_s = seconds(free["failover"].at(0), "last_election_s");
  EXPECT_LT(free_s, last["kraft"][1000]);
  EXPECT_LE(free_s, last["kraft"][100]);
}

TEST(Reproduce, KRaftControllerFailoverIsFasterThanZooKeepersAndDoesNotGrowWithPartitions) {
  std::map<std::string, std::map<int, double>> ready;
  for (const std::string mode : {"kraft", "zookeeper"})
    for (int partitions : {100, 1000}) {
      auto f = failover_of("controller-failover-zk-vs-kraft.json", mode, partitions);
      EXPECT_TRUE(f["controller"].get<bool>()) << mode;
      ready[mode][partitions] = seconds(f, "controller_ready_s");
      EXPECT_LE(seconds(f, "controller_elected_s"), ready[mode][partitions]);
    }
  for (int partitions : {100, 1000}) EXPECT_LT(ready["kraft"][partitions], ready["zookeeper"][partitions]);
  // The ZooKeeper-mode controller loads every partition's state before acting; a KRaft standby already has it.
  const double zk_growth = ready["zookeeper"][1000] - ready["zookeeper"][100];
  const double kraft_growth = ready["kraft"][1000] - ready["kraft"][100];
  EXPECT_GT(zk_growth, 0);
  EXPECT_GT(zk_growth, kraft_growth);
}

}  // namespace
}  // namespace kafkasim::testing

namespace kafkasim::testing {
namespace {

// reproduce.md item 3 (KIP-101 scenario 1): the same faults and the same unclean election lose acknowledged
// records when the restarted follower truncates to its high watermark, and none with leader-epoch truncation.
TEST(Reproduce, Kip101HighWatermarkTruncationLosesWhatLeaderEpochTruncationKeeps) {
  auto old_protocol = run("kip-101.json", "kip101-hw", {"cluster/config/inter.broker.protocol.version=0.10.2"});
  auto epochs = run("kip-101.json", "kip101-epoch", {"cluster/config/inter.broker.protocol.version=0.11.0"});
  EXPECT_GT(lost(old_protocol), 0);
  EXPECT_EQ(lost(epochs), 0);
  EXPECT_GT(epochs["records"]["acknowledged"].get<int64_t>(), 0);
  // The lost records were acknowledged, then dropped by the follower's truncation to its high watermark.
  bool explained = false;
  std::istringstream in(read_file(fresh_dir_path("kip101-hw") / "anomalies.jsonl"));
  for (std::string line; std::getline(in, line);) {
    auto a = nlohmann::json::parse(line);
    if (a["kind"] != "lost") continue;
    bool acknowledged = false, truncated = false;
    for (const auto& h : a["history"]) {
      acknowledged |= h["event"] == "acknowledged";
      truncated |= h["event"] == "truncated" && h["reason"] == "high_watermark_truncation";
    }
    explained |= acknowledged && truncated;
  }
  EXPECT_TRUE(explained);
  // In both runs the partition went to the restarted follower by an unclean election.
  for (const char* tag : {"kip101-hw", "kip101-epoch"}) {
    bool unclean = false;
    for (const auto& e : events_of(tag)) unclean |= e["type"] == "leader_elected" && e["unclean"] == true;
    EXPECT_TRUE(unclean) << tag;
  }
}

}  // namespace
}  // namespace kafkasim::testing
