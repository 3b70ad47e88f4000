// The controller's decisions: leader election (clean, unclean, offline), ISR rules, epochs, AlterPartition
// validation, and the sequential-crash scenario of reproduce.md item 4.
#include "controller/controller_state.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cluster/cluster_metadata.h"
#include "scenario/scenario_loader.h"

namespace kafkasim {
namespace {

Scenario scenario(bool unclean, int partitions = 1) {
  std::string text = R"({"cluster": {"brokers": 3}, "topics": [{"name": "t", "partitions": )" +
                     std::to_string(partitions) + R"(, "replication_factor": 3, "config": {"unclean.leader.election.enable": )" +
                     (unclean ? "true" : "false") + "}}]}";
  LoadResult r = parse_scenario_text(text, "test.json");
  EXPECT_TRUE(r.ok());
  return *r.scenario;
}

// Replicas of every partition are [0, 1, 2] (preferred leader 0), ISR all, leader 0, epochs 0.
ControllerState state(bool unclean, ControllerFlavor flavor = ControllerFlavor::kraft, int partitions = 1) {
  Scenario s = scenario(unclean, partitions);
  ClusterMetadata md(s, {NodeId{0}, NodeId{1}, NodeId{2}});
  for (TopicPartition tp : md.all_partitions()) {
    md.partition(tp).replicas = {0, 1, 2};
    md.partition(tp).isr = {0, 1, 2};
    md.partition(tp).leader = 0;
  }
  return ControllerState(md, s, flavor);
}

const TopicPartition kTp{0, 0};

// Applies a broker failure as a controller would after the write commits.
void fail(ControllerState& st, int32_t broker) {
  auto changes = st.broker_failed(broker);
  st.set_broker_live(broker, false);
  for (const auto& c : changes) st.apply(c);
}

void start(ControllerState& st, int32_t broker) {
  auto changes = st.broker_started(broker);
  st.set_broker_live(broker, true);
  for (const auto& c : changes) st.apply(c);
}

AlterPartitionRequest::Item item(const ControllerState& st, std::vector<int32_t> isr) {
  const auto& p = st.partition(kTp);
  return {kTp, p.leader_epoch, p.partition_epoch, std::move(isr)};
}

TEST(ElectLeader, PrefersReplicaOrderWithinIsrAndLive) {
  auto live = [](int32_t r) { return r != 0; };
  EXPECT_EQ(elect_leader(0, {0, 1, 2}, {0, 1, 2}, live, false).leader, 1);
  EXPECT_EQ(elect_leader(0, {0, 2, 1}, {0, 1, 2}, live, false).leader, 2);  // replica order, not ISR order
  EXPECT_EQ(elect_leader(2, {0, 1, 2}, {0, 1, 2}, live, false).leader, 2);  // a valid leader stays
  ElectionResult none = elect_leader(0, {0, 1, 2}, {0}, live, false);
  EXPECT_EQ(none.leader, -1);
  EXPECT_FALSE(none.unclean);
  ElectionResult unclean = elect_leader(0, {0, 1, 2}, {0}, live, true);
  EXPECT_EQ(unclean.leader, 1);
  EXPECT_TRUE(unclean.unclean);
}

TEST(ControllerState, FollowerFailureShrinksIsrAndBumpsOnlyPartitionEpochInKraft) {
  ControllerState st = state(false);
  auto changes = st.broker_failed(2);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].leader, 0);
  EXPECT_EQ(changes[0].isr, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(changes[0].leader_epoch, 0);
  EXPECT_EQ(changes[0].partition_epoch, 1);
}

TEST(ControllerState, ZooKeeperControllerShrinkAlsoBumpsLeaderEpoch) {
  ControllerState st = state(false, ControllerFlavor::zookeeper);
  auto changes = st.broker_failed(2);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].leader, 0);
  EXPECT_EQ(changes[0].leader_epoch, 1);
  EXPECT_EQ(changes[0].partition_epoch, 1);
}

TEST(ControllerState, LeaderFailureElectsNextInReplicaOrderAndBumpsBothEpochs) {
  ControllerState st = state(false);
  auto changes = st.broker_failed(0);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].leader, 1);
  EXPECT_EQ(changes[0].isr, (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(changes[0].leader_epoch, 1);
  EXPECT_EQ(changes[0].partition_epoch, 1);
  // Nothing was applied.
  EXPECT_EQ(st.partition(kTp).leader, 0);
}

TEST(ControllerState, SequentialCrashesThenFirstCrashedReturnsWithUncleanElectionOff) {
  ControllerState st = state(false);
  fail(st, 0);
  EXPECT_EQ(st.partition(kTp).leader, 1);
  EXPECT_EQ(st.partition(kTp).isr, (std::vector<int32_t>{1, 2}));
  fail(st, 1);
  EXPECT_EQ(st.partition(kTp).leader, 2);
  EXPECT_EQ(st.partition(kTp).isr, (std::vector<int32_t>{2}));
  fail(st, 2);
  // The last ISR member stays in the ISR; the partition is offline.
  EXPECT_EQ(st.partition(kTp).leader, -1);
  EXPECT_EQ(st.partition(kTp).isr, (std::vector<int32_t>{2}));
  EXPECT_EQ(st.partition(kTp).leader_epoch, 3);
  EXPECT_EQ(st.partition(kTp).partition_epoch, 3);
  // Broker 0 is back but not in the ISR: the partition stays offline.
  EXPECT_TRUE(st.broker_started(0).empty());
  start(st, 0);
  EXPECT_EQ(st.partition(kTp).leader, -1);
  // The last ISR member comes back: it leads, cleanly.
  auto changes = st.broker_started(2);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].leader, 2);
  EXPECT_EQ(changes[0].isr, (std::vector<int32_t>{2}));
  EXPECT_EQ(changes[0].leader_epoch, 4);
}

TEST(ControllerState, SequentialCrashesThenFirstCrashedReturnsWithUncleanElectionOn) {
  ControllerState st = state(true);
  fail(st, 0);
  fail(st, 1);
  fail(st, 2);
  EXPECT_EQ(st.partition(kTp).leader, -1);  // nothing live to elect, even uncleanly
  EXPECT_EQ(st.partition(kTp).isr, (std::vector<int32_t>{2}));
  auto changes = st.broker_started(0);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].leader, 0);
  EXPECT_EQ(changes[0].isr, (std::vector<int32_t>{0}));  // an unclean leader's ISR is itself
  EXPECT_EQ(changes[0].leader_epoch, 4);
  EXPECT_EQ(changes[0].partition_epoch, 4);
}

TEST(ControllerState, UncleanElectionWhenTheLastIsrMemberDiesWithOthersLive) {
  ControllerState st = state(true);
  // ISR shrank to {0} while 1 and 2 lagged (they are live but out of the ISR).
  st.apply(PartitionLeaderState{kTp, 0, 0, 1, {0}, {0, 1, 2}});
  auto changes = st.broker_failed(0);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].leader, 1);
  EXPECT_EQ(changes[0].isr, (std::vector<int32_t>{1}));

  ControllerState clean = state(false);
  clean.apply(PartitionLeaderState{kTp, 0, 0, 1, {0}, {0, 1, 2}});
  changes = clean.broker_failed(0);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].leader, -1);
  EXPECT_EQ(changes[0].isr, (std::vector<int32_t>{0}));
}

TEST(ControllerState, BrokersFailedTogetherGiveOneFinalStatePerPartition) {
  ControllerState st = state(false, ControllerFlavor::kraft, 4);
  auto changes = st.brokers_failed({0, 1});
  ASSERT_EQ(changes.size(), 4u);
  for (const auto& c : changes) {
    EXPECT_EQ(c.leader, 2);
    EXPECT_EQ(c.isr, (std::vector<int32_t>{2}));
    EXPECT_EQ(c.partition_epoch, 2);  // two changes
  }
}

TEST(ControllerState, AlterPartitionValidation) {
  ControllerState st = state(false);
  fail(st, 2);  // ISR {0, 1}, partition epoch 1
  const auto& p = st.partition(kTp);
  ASSERT_EQ(p.partition_epoch, 1);

  auto stale_leader_epoch = item(st, {0, 1});
  stale_leader_epoch.leader_epoch = p.leader_epoch - 1;
  EXPECT_EQ(st.alter_partition(0, stale_leader_epoch).error, ErrorCode::fenced_leader_epoch);

  auto stale_partition_epoch = item(st, {0});
  stale_partition_epoch.partition_epoch = 0;
  EXPECT_EQ(st.alter_partition(0, stale_partition_epoch).error, ErrorCode::invalid_update_version);

  auto newer = item(st, {0});
  newer.partition_epoch = 5;
  EXPECT_EQ(st.alter_partition(0, newer).error, ErrorCode::not_controller);

  EXPECT_EQ(st.alter_partition(1, item(st, {0, 1})).error, ErrorCode::not_leader_or_follower);
  EXPECT_EQ(st.alter_partition(0, item(st, {1})).error, ErrorCode::ineligible_replica);        // lacks the leader
  EXPECT_EQ(st.alter_partition(0, item(st, {0, 1, 2})).error, ErrorCode::ineligible_replica);  // 2 is fenced
  EXPECT_EQ(st.alter_partition(0, item(st, {0, 7})).error, ErrorCode::ineligible_replica);     // not a replica

  AlterPartitionDecision same = st.alter_partition(0, item(st, {0, 1}));
  EXPECT_EQ(same.error, ErrorCode::none);
  EXPECT_FALSE(same.change.has_value());

  AlterPartitionDecision shrink = st.alter_partition(0, item(st, {0}));
  ASSERT_TRUE(shrink.change.has_value());
  EXPECT_EQ(shrink.change->isr, (std::vector<int32_t>{0}));
  EXPECT_EQ(shrink.change->leader, 0);
  EXPECT_EQ(shrink.change->leader_epoch, p.leader_epoch);  // the leader's own ISR change never bumps it
  EXPECT_EQ(shrink.change->partition_epoch, 2);

  // Broker 2 is back: the leader may add it again.
  start(st, 2);
  AlterPartitionDecision expand = st.alter_partition(0, item(st, {0, 1, 2}));
  ASSERT_TRUE(expand.change.has_value());
  EXPECT_EQ(expand.change->isr, (std::vector<int32_t>{0, 1, 2}));
}

TEST(ControllerState, AppliesMetadataRecords) {
  ControllerState st = state(false);
  MetadataRecord fence;
  fence.kind = MetadataRecord::Kind::broker_fencing;
  fence.broker = 1;
  fence.fenced = true;
  st.apply(fence);
  EXPECT_FALSE(st.broker_live(1));
  EXPECT_EQ(st.live_brokers(), (std::vector<int32_t>{0, 2}));
  MetadataRecord change;
  change.kind = MetadataRecord::Kind::partition_change;
  change.partition = PartitionLeaderState{kTp, 2, 1, 1, {2}, {0, 1, 2}};
  st.apply(change);
  EXPECT_EQ(st.partition(kTp).leader, 2);
  EXPECT_EQ(st.replicas_on(1).size(), 1u);
}

}  // namespace
}  // namespace kafkasim
