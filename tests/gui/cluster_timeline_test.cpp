// The cluster picture's model: the state at a time, rebuilt from the fault fixture's events.
#include "model/cluster_timeline.h"

#include <gtest/gtest.h>

#include <random>

#include "test_support.h"

using namespace kafkasim::viewer;
using namespace kafkasim::viewer::test;

namespace {
std::shared_ptr<const EventLog> faultsLog() {
  auto r = EventReader::readFile(faultsRun() + QStringLiteral("/events.jsonl"));
  return std::make_shared<const EventLog>(std::move(r.log));
}
}  // namespace

TEST(ClusterTimeline, InitialStateFromTopicCreated) {
  const ClusterTimeline timeline(faultsLog());
  const ClusterState s = timeline.stateAt(0.0);
  ASSERT_EQ(s.brokers.size(), 3);
  for (const BrokerState& b : s.brokers) EXPECT_EQ(b.status(), BrokerState::Status::up);
  ASSERT_EQ(s.partitions.size(), 2);
  const PartitionState* p0 = s.partition(QStringLiteral("orders"), 0);
  ASSERT_NE(p0, nullptr);
  EXPECT_EQ(p0->leader, 0);
  EXPECT_EQ(p0->replicas, (QList<BrokerId>{0, 1, 2}));
  EXPECT_EQ(p0->isr, (QList<BrokerId>{0, 1, 2}));
  EXPECT_TRUE(s.controller.isEmpty());
  EXPECT_EQ(s.partition(QStringLiteral("orders"), 7), nullptr);
  const GroupState* g = s.group(QStringLiteral("billing"));
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->consumers, QStringList{QStringLiteral("c1")});
  EXPECT_TRUE(g->members.isEmpty());
}

TEST(ClusterTimeline, StateDuringFaults) {
  const ClusterTimeline timeline(faultsLog());

  const ClusterState crashed = timeline.stateAt(6.0);
  EXPECT_EQ(crashed.broker(0)->status(), BrokerState::Status::down);
  EXPECT_EQ(crashed.partition(QStringLiteral("orders"), 0)->leader, 0);  // not re-elected yet
  ASSERT_EQ(crashed.faults.size(), 1);
  EXPECT_EQ(crashed.faults[0].fault, QStringLiteral("crash"));
  EXPECT_EQ(crashed.faults[0].sinceS, 5.0);
  EXPECT_EQ(crashed.controller, QStringLiteral("controller-0"));
  const GroupState* g = crashed.group(QStringLiteral("billing"));
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->generation, 1);
  ASSERT_EQ(g->members.size(), 2);
  EXPECT_EQ(g->members[0].assignment, QStringList{QStringLiteral("orders/0")});

  const ClusterState elected = timeline.stateAt(9.05);
  EXPECT_EQ(elected.partition(QStringLiteral("orders"), 0)->leader, 1);
  EXPECT_EQ(elected.partition(QStringLiteral("orders"), 0)->leaderEpoch, 1);
  EXPECT_EQ(elected.underReplicatedCount(), 2);
  EXPECT_TRUE(elected.broker(0)->fenced);
  EXPECT_EQ(elected.broker(0)->status(), BrokerState::Status::down);
  EXPECT_EQ(elected.faults.size(), 2);
  EXPECT_EQ(elected.leaderCount(1), 2);

  const ClusterState restarted = timeline.stateAt(10.5);
  EXPECT_EQ(restarted.broker(0)->status(), BrokerState::Status::fenced);
  ASSERT_EQ(restarted.faults.size(), 1);
  EXPECT_EQ(restarted.faults[0].fault, QStringLiteral("network_partition"));

  const ClusterState offline = timeline.stateAt(14.2);
  EXPECT_EQ(offline.broker(0)->status(), BrokerState::Status::up);
  EXPECT_EQ(offline.controller, QStringLiteral("controller-1"));
  EXPECT_EQ(offline.controllerEpoch, 2);
  EXPECT_TRUE(offline.partition(QStringLiteral("orders"), 1)->offline());
  EXPECT_EQ(offline.offlineCount(), 1);
  EXPECT_TRUE(offline.faults.isEmpty());

  const ClusterState end = timeline.stateAt(100);
  EXPECT_EQ(end.partition(QStringLiteral("orders"), 1)->leader, 2);
  EXPECT_EQ(end.partition(QStringLiteral("orders"), 1)->isr, QList<BrokerId>{2});
  const GroupState* g2 = end.group(QStringLiteral("billing"));
  EXPECT_EQ(g2->generation, 2);
  EXPECT_EQ(g2->protocol, QStringLiteral("cooperative-sticky"));
  ASSERT_EQ(g2->members.size(), 1);
  EXPECT_EQ(g2->members[0].assignment, (QStringList{QStringLiteral("orders/0"), QStringLiteral("orders/1")}));
  EXPECT_EQ(end.eventsApplied, 37);
  EXPECT_EQ(end.broker(2)->status(), BrokerState::Status::down);  // power lost at 19 s
}

TEST(ClusterTimeline, RebalanceInProgressAndMembersJoining) {
  const ClusterTimeline timeline(faultsLog());
  const GroupState* g = nullptr;
  const ClusterState during = timeline.stateAt(3.6);
  g = during.group(QStringLiteral("billing"));
  ASSERT_NE(g, nullptr);
  EXPECT_TRUE(g->rebalancing);
  EXPECT_EQ(g->lastRebalanceReason, QStringLiteral("c2 joined"));
  ASSERT_EQ(g->members.size(), 1);  // member_joined c2; no assignment yet
  EXPECT_EQ(g->members[0].member, QStringLiteral("c2"));
  const ClusterState left = timeline.stateAt(15.0);
  g = left.group(QStringLiteral("billing"));
  EXPECT_TRUE(g->rebalancing);
  ASSERT_EQ(g->members.size(), 1);
  EXPECT_EQ(g->members[0].member, QStringLiteral("c1"));
}

// Checkpoints are an optimisation only: every answer equals replaying the log from the start.
TEST(ClusterTimeline, CheckpointsGiveTheSameAnswersAsReplay) {
  const auto log = faultsLog();
  const ClusterTimeline sparse(log, 1000);
  for (int spacing : {1, 2, 3, 7}) {
    const ClusterTimeline timeline(log, spacing);
    EXPECT_EQ(timeline.checkpointCount(), 1 + log->size() / spacing);
    for (int n = 0; n <= log->size(); ++n) {
      ClusterState replay;
      for (int i = 0; i < n; ++i) replay.apply(log->at(i));
      ASSERT_EQ(timeline.stateAfterEvents(n), replay) << "spacing " << spacing << ", events " << n;
    }
  }
  std::mt19937 random(42);
  std::uniform_real_distribution<double> time(-1, 25);
  const ClusterTimeline dense(log, 4);
  for (int i = 0; i < 200; ++i) {
    const double t = time(random);
    ASSERT_EQ(dense.stateAt(t), sparse.stateAt(t)) << "t = " << t;
  }
}

TEST(ClusterTimeline, EmptyLogAndLargeLogs) {
  const ClusterTimeline empty;
  EXPECT_TRUE(empty.stateAt(10).partitions.isEmpty());
  EXPECT_EQ(empty.checkpointCount(), 1);

  // 200,000 ISR changes: a few hundred checkpoints, each answer a short replay.
  auto big = std::make_shared<EventLog>();
  big->append(Event{0, EventType::topic_created, {},
                    TopicCreated{QStringLiteral("t"), {PartitionAssignment{0, {0, 1, 2}, 0}}}});
  for (int i = 1; i <= 200'000; ++i)
    big->append(Event{i * 0.01, EventType::isr_changed, {},
                      IsrChanged{QStringLiteral("t"), 0, i % 2 ? QList<BrokerId>{0, 1} : QList<BrokerId>{0, 1, 2}}});
  const ClusterTimeline timeline(big);
  EXPECT_LE(timeline.checkpointCount(), 300);
  EXPECT_EQ(timeline.stateAt(1000.005).partition(QStringLiteral("t"), 0)->isr.size(), 3);  // event 100000
  EXPECT_EQ(timeline.stateAt(1000.015).partition(QStringLiteral("t"), 0)->isr.size(), 2);  // event 100001
}
