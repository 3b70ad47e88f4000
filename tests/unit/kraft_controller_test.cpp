// KRaft mode, message by message: a quorum of controllers, the brokers' heartbeaters and recording stand-ins
// for brokers, run by a deterministic harness. Controller failover, broker fencing and unfencing,
// AlterPartition, and log divergence after a partitioned leader.
#include "controller/kraft_controller.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "controller/broker_heartbeater.h"
#include "controller/testing/node_harness.h"
#include "scenario/scenario_loader.h"

namespace kafkasim {
namespace {

using testing::NodeHarness;
using testing::RecordingNode;

Scenario kraft_scenario(int brokers, int partitions, int controllers = 3, bool unclean = false) {
  std::string text = R"({"cluster": {"brokers": )" + std::to_string(brokers) +
                     R"(, "control_plane": {"mode": "kraft", "nodes": )" + std::to_string(controllers) +
                     R"(}}, "topics": [{"name": "t", "partitions": )" + std::to_string(partitions) +
                     R"(, "replication_factor": 3, "config": {"unclean.leader.election.enable": )" +
                     (unclean ? "true" : "false") + "}}]}";
  LoadResult r = parse_scenario_text(text, "kraft.json");
  EXPECT_TRUE(r.ok());
  return *r.scenario;
}

// Node ids: brokers 0..B-1, their heartbeaters B..2B-1, controllers 2B..2B+Q-1.
struct KraftCluster {
  Scenario scenario;
  ControlPlaneWiring wiring;
  std::unique_ptr<ClusterMetadata> metadata;
  std::vector<std::unique_ptr<RecordingNode>> brokers;
  std::vector<std::unique_ptr<BrokerHeartbeater>> heartbeaters;
  std::vector<std::unique_ptr<KraftController>> controllers;
  NodeHarness h;

  explicit KraftCluster(int partitions, int broker_count = 3, int quorum = 3, bool unclean = false)
      : scenario(kraft_scenario(broker_count, partitions, quorum, unclean)) {
    std::vector<NodeId> broker_nodes;
    for (int b = 0; b < broker_count; ++b) {
      broker_nodes.push_back(NodeId{b});
      wiring.brokers.push_back(NodeId{b});
      wiring.agents.push_back(NodeId{broker_count + b});
    }
    for (int q = 0; q < quorum; ++q) wiring.quorum.push_back(NodeId{2 * broker_count + q});
    metadata = std::make_unique<ClusterMetadata>(scenario, broker_nodes);
    for (int b = 0; b < broker_count; ++b) {
      brokers.push_back(std::make_unique<RecordingNode>());
      h.add(wiring.brokers[b], brokers.back().get());
    }
    for (int b = 0; b < broker_count; ++b) {
      heartbeaters.push_back(std::make_unique<BrokerHeartbeater>(b, wiring, scenario));
      h.add(wiring.agents[b], heartbeaters.back().get());
    }
    for (int q = 0; q < quorum; ++q) {
      controllers.push_back(std::make_unique<KraftController>(q, wiring, *metadata, scenario));
      h.add(wiring.quorum[q], controllers.back().get());
    }
    h.start_all();
  }

  void crash_broker_host(int b) {
    h.crash(wiring.brokers[b]);
    h.crash(wiring.agents[b]);
  }
  void restart_broker_host(int b) {
    h.restart(wiring.brokers[b]);
    h.restart(wiring.agents[b]);
  }
  KraftController* active() {
    for (auto& c : controllers)
      if (c->is_active()) return c.get();
    return nullptr;
  }
  int leaders_on(int broker) const {
    int n = 0;
    for (TopicPartition tp : metadata->all_partitions()) n += metadata->partition(tp).leader == broker ? 1 : 0;
    return n;
  }
  std::vector<nlohmann::json> events(const std::string& type) const { return h.events_of(type); }
};

TEST(KraftController, WarmStartHasAnActiveControllerAndNoElections) {
  KraftCluster c(6);
  EXPECT_EQ(c.metadata->active_controller, c.wiring.quorum[0].value);
  auto elected = c.events("controller_elected");
  ASSERT_EQ(elected.size(), 1u);
  EXPECT_EQ(elected[0]["t"], 0.0);
  EXPECT_EQ(elected[0]["controller"], "controller-0");
  EXPECT_EQ(elected[0]["epoch"], 1);
  c.h.run_until(30.0);
  // Heartbeats keep every broker in; the quorum stays as it was.
  EXPECT_TRUE(c.events("broker_fenced").empty());
  EXPECT_EQ(c.events("controller_elected").size(), 1u);
  EXPECT_EQ(c.controllers[0]->epoch(), 1);
  for (auto& hb : c.heartbeaters) EXPECT_EQ(hb->target_index(), 0);  // found the controller through hints
  for (int b = 0; b < 3; ++b) {
    // Brokers learn the controller's id at once, and get no LeaderAndIsr: they know their initial state.
    auto updates = c.brokers[b]->of_type<UpdateMetadataRequest>();
    ASSERT_FALSE(updates.empty());
    EXPECT_LT(updates[0].first, 0.01);
    EXPECT_EQ(updates[0].second.controller_id, c.wiring.quorum[0].value);
    EXPECT_TRUE(c.brokers[b]->of_type<LeaderAndIsrRequest>().empty());
  }
  // Idle traffic: followers' fetches held 500 ms by the leader, heartbeats every 2 s (no message storms).
  EXPECT_LT(c.h.sent().size(), 30 * (2 * 2 * 2 + 3 * 1) + 50u);
}

TEST(KraftController, BrokerWithoutHeartbeatsIsFencedAfterSessionTimeoutAndLosesLeadership) {
  const int partitions = 300;
  KraftCluster c(partitions);
  const int led_by_1 = c.leaders_on(1);
  ASSERT_GT(led_by_1, 50);
  c.h.run_until(3.0);
  c.crash_broker_host(1);
  // Its last heartbeat left at t = 2 (every 2 s from t = 0).
  c.h.run_until(10.9);
  EXPECT_TRUE(c.events("broker_fenced").empty());
  EXPECT_TRUE(c.metadata->broker_alive[1]);
  c.h.run_until(30.0);
  auto fenced = c.events("broker_fenced");
  ASSERT_EQ(fenced.size(), 1u);
  EXPECT_EQ(fenced[0]["broker"], 1);
  const double fenced_at = fenced[0]["t"];
  // Detection after broker.session.timeout.ms, then 5 ms per partition whose leader changed.
  const double election_cost = led_by_1 * 0.005;
  EXPECT_NEAR(fenced_at, 2.0 + 9.0 + election_cost, 0.05);
  EXPECT_FALSE(c.metadata->broker_alive[1]);
  EXPECT_EQ(c.leaders_on(1), 0);
  for (TopicPartition tp : c.metadata->all_partitions()) {
    const PartitionState& st = c.metadata->partition(tp);
    EXPECT_EQ(std::count(st.isr.begin(), st.isr.end(), 1), 0);
    EXPECT_EQ(st.isr.size(), 2u);
  }
  auto elected = c.events("leader_elected");
  ASSERT_EQ(static_cast<int>(elected.size()), led_by_1);
  for (const auto& e : elected) {
    EXPECT_EQ(e["leader_epoch"], 1);
    EXPECT_EQ(e["unclean"], false);
    EXPECT_NEAR(static_cast<double>(e["t"]), fenced_at, 1e-6);
  }
  EXPECT_EQ(static_cast<int>(c.events("isr_changed").size()), partitions - led_by_1);
  // The surviving replicas were told, once the change committed.
  auto lai = c.brokers[0]->of_type<LeaderAndIsrRequest>();
  ASSERT_FALSE(lai.empty());
  EXPECT_GE(lai[0].first, fenced_at);
  EXPECT_EQ(static_cast<int>(lai[0].second.partitions.size()), static_cast<int>(c.controllers[0]->committed_state().replicas_on(0).size()));
  EXPECT_TRUE(c.brokers[1]->of_type<LeaderAndIsrRequest>().empty());
}

TEST(KraftController, RestartedBrokerIsUnfencedAndGetsItsFullState) {
  KraftCluster c(12);
  c.h.run_until(1.0);
  c.crash_broker_host(2);
  c.h.run_until(20.0);
  ASSERT_FALSE(c.metadata->broker_alive[2]);
  c.restart_broker_host(2);
  c.h.run_until(25.0);
  auto unfenced = c.events("broker_unfenced");
  ASSERT_EQ(unfenced.size(), 1u);
  EXPECT_LT(static_cast<double>(unfenced[0]["t"]), 20.1);  // its first heartbeat (plus a hint) does it
  EXPECT_TRUE(c.metadata->broker_alive[2]);
  auto lai = c.brokers[2]->of_type<LeaderAndIsrRequest>();
  ASSERT_EQ(lai.size(), 1u);
  EXPECT_EQ(lai[0].second.partitions.size(), c.controllers[0]->committed_state().replicas_on(2).size());
  // It was out of every ISR: it follows until its leaders add it back (AlterPartition, not simulated here).
  EXPECT_EQ(c.leaders_on(2), 0);
}

TEST(KraftController, QuickRestartReregistersWithANewIncarnation) {
  KraftCluster c(12);
  const int led_by_2 = c.leaders_on(2);
  ASSERT_GT(led_by_2, 0);
  c.h.run_until(3.0);
  c.crash_broker_host(2);
  c.h.run_until(3.5);
  c.restart_broker_host(2);
  c.h.run_until(8.0);
  // Fenced as soon as the new process heartbeats (its leaderships move), unfenced on the next heartbeat.
  auto fenced = c.events("broker_fenced");
  auto unfenced = c.events("broker_unfenced");
  ASSERT_EQ(fenced.size(), 1u);
  ASSERT_EQ(unfenced.size(), 1u);
  EXPECT_LT(static_cast<double>(fenced[0]["t"]), 3.6);
  EXPECT_GT(static_cast<double>(unfenced[0]["t"]), static_cast<double>(fenced[0]["t"]));
  EXPECT_LT(static_cast<double>(unfenced[0]["t"]), 6.0);
  EXPECT_EQ(c.leaders_on(2), 0);
  EXPECT_EQ(c.brokers[2]->of_type<LeaderAndIsrRequest>().size(), 1u);
}

TEST(KraftController, StandbyTakesOverWithinAnElectionTimeoutAndKnowsEverything) {
  const int partitions = 60;
  KraftCluster c(partitions);
  c.h.run_until(1.0);
  c.crash_broker_host(1);  // fenced at ~9 s by controller 0
  c.h.run_until(12.0);
  ASSERT_FALSE(c.metadata->broker_alive[1]);
  const int led_by_1_now = c.leaders_on(1);
  ASSERT_EQ(led_by_1_now, 0);
  // The standbys already applied the committed records.
  for (int q = 1; q < 3; ++q) {
    const ControllerState& st = c.controllers[q]->committed_state();
    EXPECT_FALSE(st.broker_live(1));
    for (TopicPartition tp : c.metadata->all_partitions()) EXPECT_EQ(st.partition(tp).leader, c.metadata->partition(tp).leader);
  }
  const double crash_at = 12.0;
  c.h.crash(c.wiring.quorum[0]);
  EXPECT_EQ(c.metadata->active_controller, -1);
  ASSERT_TRUE(c.h.run_until([&] { return c.active() != nullptr; }, 30.0));
  const double elected_at = c.h.now();
  // The followers give up on the leader after controller.quorum.fetch.timeout.ms (2 s) since their last
  // fetch answer (at most 0.5 s before the crash); a split vote costs an election timeout plus jitter.
  EXPECT_GT(elected_at, crash_at + 2.0 - 0.6);
  EXPECT_LT(elected_at, crash_at + 2.0 + 2 * 1.0 + 0.1);
  KraftController* leader = c.active();
  EXPECT_GE(leader->epoch(), 2);
  EXPECT_EQ(c.metadata->active_controller, c.wiring.quorum[leader->index()].value);
  auto elected = c.events("controller_elected");
  ASSERT_EQ(elected.size(), 2u);
  EXPECT_EQ(elected[1]["epoch"], leader->epoch());
  // No reload: it knows every partition as committed and acts at once. Broker 1 comes back.
  EXPECT_EQ(leader->committed_state().partition_count(), partitions);
  EXPECT_FALSE(leader->committed_state().broker_live(1));
  c.h.run_until(20.0);
  c.restart_broker_host(1);
  c.h.run_until(25.0);
  auto lai = c.brokers[1]->of_type<LeaderAndIsrRequest>();
  ASSERT_EQ(lai.size(), 1u);
  // Its heartbeater may first try the dead controller: one heartbeat interval lost, at most.
  EXPECT_LT(lai[0].first, 22.05);
  EXPECT_EQ(lai[0].second.controller_id, c.wiring.quorum[leader->index()].value);
  EXPECT_EQ(lai[0].second.controller_epoch, leader->epoch());
  // Brokers were told who the new controller is as soon as it was active.
  auto updates = c.brokers[0]->of_type<UpdateMetadataRequest>();
  bool announced = false;
  for (const auto& [t, u] : updates)
    if (u.controller_id == c.wiring.quorum[leader->index()].value && t < elected_at + 0.1) announced = true;
  EXPECT_TRUE(announced);
}

TEST(KraftController, HeartbeaterSkipsARefusingControllerAtOnce) {
  KraftCluster c(12);
  c.h.refuse_when_down = true;
  c.h.run_until(1.0);
  c.h.crash(c.wiring.quorum[0]);
  c.crash_broker_host(1);
  ASSERT_TRUE(c.h.run_until([&] { return c.active() != nullptr; }, 10.0));
  c.h.run_until(20.0);
  ASSERT_FALSE(c.metadata->broker_alive[1]);
  c.restart_broker_host(1);
  c.h.run_until(21.0);
  // Whichever controller it tried first, it found the active one within a few round trips.
  auto lai = c.brokers[1]->of_type<LeaderAndIsrRequest>();
  ASSERT_EQ(lai.size(), 1u);
  EXPECT_LT(lai[0].first, 20.01);
}

TEST(KraftController, AlterPartitionIsAnsweredAfterCommitAndStandbysRedirect) {
  KraftCluster c(3);
  c.h.run_until(1.0);
  const TopicPartition tp{0, 0};
  const PartitionState before = c.metadata->partition(tp);
  const int32_t leader = before.leader;
  const int32_t follower = before.isr.back();
  AlterPartitionRequest req;
  req.request_id = 7;
  req.broker_id = leader;
  req.items.push_back({tp, before.leader_epoch, before.partition_epoch, {leader}});

  c.h.send_as(c.wiring.brokers[leader], c.wiring.quorum[1], req);
  c.h.run_until(1.1);
  auto redirected = c.brokers[leader]->of_type<AlterPartitionResponse>();
  ASSERT_EQ(redirected.size(), 1u);
  EXPECT_EQ(redirected[0].second.error, ErrorCode::not_controller);
  EXPECT_EQ(redirected[0].second.controller_hint, c.wiring.quorum[0].value);

  c.h.send_as(c.wiring.brokers[leader], c.wiring.quorum[0], req);
  c.h.run_until(2.0);
  auto answered = c.brokers[leader]->of_type<AlterPartitionResponse>();
  ASSERT_EQ(answered.size(), 2u);
  const AlterPartitionResponse& resp = answered[1].second;
  EXPECT_EQ(resp.request_id, 7);
  EXPECT_EQ(resp.error, ErrorCode::none);
  ASSERT_EQ(resp.items.size(), 1u);
  EXPECT_EQ(resp.items[0].error, ErrorCode::none);
  EXPECT_EQ(resp.items[0].state.isr, std::vector<int32_t>{leader});
  EXPECT_EQ(resp.items[0].state.partition_epoch, before.partition_epoch + 1);
  EXPECT_EQ(resp.items[0].state.leader_epoch, before.leader_epoch);
  // Answered only once a majority holds the record: a follower's fetch round trip at least.
  EXPECT_GE(answered[1].first, 1.1 + 4 * 0.0002 - 1e-9);
  EXPECT_EQ(c.metadata->partition(tp).isr, std::vector<int32_t>{leader});
  EXPECT_EQ(c.metadata->partition(tp).partition_epoch, before.partition_epoch + 1);
  auto changed = c.events("isr_changed");
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0]["isr"], nlohmann::json::array({leader}));
  // The follower that left the ISR hears of it.
  EXPECT_FALSE(c.brokers[follower]->of_type<LeaderAndIsrRequest>().empty());

  // The same request again quotes a stale partition epoch.
  c.h.send_as(c.wiring.brokers[leader], c.wiring.quorum[0], req);
  c.h.run_until(3.0);
  answered = c.brokers[leader]->of_type<AlterPartitionResponse>();
  ASSERT_EQ(answered.size(), 3u);
  ASSERT_EQ(answered[2].second.items.size(), 1u);
  EXPECT_EQ(answered[2].second.items[0].error, ErrorCode::invalid_update_version);
  EXPECT_EQ(answered[2].second.items[0].state.partition_epoch, before.partition_epoch + 1);
}

TEST(KraftController, PartitionedLeaderResignsAndItsUncommittedRecordsAreTruncated) {
  KraftCluster c(30);
  c.h.run_until(1.0);
  c.crash_broker_host(2);  // last heartbeat at t = 0: controller 0 fences it at ~9 s
  c.h.run_until(8.5);
  // Controller 0 loses the other controllers but still hears the brokers.
  c.h.cut(c.wiring.quorum[0], c.wiring.quorum[1]);
  c.h.cut(c.wiring.quorum[0], c.wiring.quorum[2]);
  c.h.run_until(9.5);
  KraftController& old_leader = *c.controllers[0];
  EXPECT_GT(old_leader.log_end_offset(), old_leader.high_watermark());  // wrote the fencing, cannot commit it
  EXPECT_TRUE(c.metadata->broker_alive[2]);                              // so nothing was published
  c.h.run_until(13.0);
  EXPECT_NE(old_leader.role(), KraftController::Role::leader);  // resigned: no majority fetched from it
  KraftController* leader = c.active();
  ASSERT_NE(leader, nullptr);
  EXPECT_NE(leader->index(), 0);
  // The new controller gave every broker a fresh session at its election, then fenced broker 2.
  c.h.run_until(25.0);
  EXPECT_FALSE(c.metadata->broker_alive[2]);
  EXPECT_EQ(c.leaders_on(2), 0);
  c.h.heal_all();
  c.h.run_until(40.0);
  leader = c.active();
  ASSERT_NE(leader, nullptr);
  for (auto& ctl : c.controllers) {
    EXPECT_EQ(ctl->log_end_offset(), leader->log_end_offset()) << "controller " << ctl->index();
    EXPECT_EQ(ctl->high_watermark(), leader->high_watermark()) << "controller " << ctl->index();
    for (TopicPartition tp : c.metadata->all_partitions())
      EXPECT_EQ(ctl->committed_state().partition(tp).leader, c.metadata->partition(tp).leader);
  }
  EXPECT_EQ(c.events("broker_fenced").size(), 1u);
}

TEST(KraftController, RestartedControllerCatchesUpFromTheDurableLog) {
  KraftCluster c(12);
  c.h.run_until(1.0);
  c.h.crash(c.wiring.quorum[2], /*power_loss=*/true);
  c.crash_broker_host(0);
  c.h.run_until(15.0);
  ASSERT_FALSE(c.metadata->broker_alive[0]);
  c.h.restart(c.wiring.quorum[2]);
  c.h.run_until(17.0);
  const KraftController& restarted = *c.controllers[2];
  EXPECT_EQ(restarted.role(), KraftController::Role::follower);
  EXPECT_EQ(restarted.log_end_offset(), c.controllers[0]->log_end_offset());
  EXPECT_FALSE(restarted.committed_state().broker_live(0));
  EXPECT_EQ(c.controllers[0]->epoch(), 1);  // no election was needed
}

// reproduce.md item 4: kill the replicas one after the other, then start the first one killed.
void sequential_crashes(bool unclean) {
  KraftCluster c(1, 3, 3, unclean);
  const TopicPartition tp{0, 0};
  const std::vector<int32_t> order = c.metadata->partition(tp).replicas;  // leader first
  c.h.run_until(1.0);
  c.crash_broker_host(order[0]);
  c.h.run_until(15.0);
  EXPECT_EQ(c.metadata->partition(tp).leader, order[1]);
  EXPECT_EQ(c.metadata->partition(tp).isr, (std::vector<int32_t>{order[1], order[2]}));
  c.crash_broker_host(order[1]);
  c.h.run_until(30.0);
  EXPECT_EQ(c.metadata->partition(tp).leader, order[2]);
  EXPECT_EQ(c.metadata->partition(tp).isr, std::vector<int32_t>{order[2]});
  c.crash_broker_host(order[2]);
  c.h.run_until(45.0);
  EXPECT_EQ(c.metadata->partition(tp).leader, -1);  // offline; the last ISR member stays in the ISR
  EXPECT_EQ(c.metadata->partition(tp).isr, std::vector<int32_t>{order[2]});
  EXPECT_EQ(c.metadata->partition(tp).leader_epoch, 3);
  c.restart_broker_host(order[0]);
  c.h.run_until(55.0);
  auto elected = c.events("leader_elected");
  ASSERT_FALSE(elected.empty());
  if (unclean) {
    EXPECT_EQ(c.metadata->partition(tp).leader, order[0]);
    EXPECT_EQ(c.metadata->partition(tp).isr, std::vector<int32_t>{order[0]});
    EXPECT_EQ(elected.back()["leader"], order[0]);
    EXPECT_EQ(elected.back()["unclean"], true);
    EXPECT_EQ(elected.back()["leader_epoch"], 4);
    return;
  }
  EXPECT_EQ(c.metadata->partition(tp).leader, -1);
  EXPECT_EQ(elected.back()["leader"], -1);
  // The last replica of the ISR returns: it leads again, cleanly, with nothing lost.
  c.restart_broker_host(order[2]);
  c.h.run_until(65.0);
  EXPECT_EQ(c.metadata->partition(tp).leader, order[2]);
  EXPECT_EQ(c.events("leader_elected").back()["unclean"], false);
}

TEST(KraftController, SequentialCrashesWithUncleanElectionElectTheStaleReplica) { sequential_crashes(true); }

TEST(KraftController, SequentialCrashesWithoutUncleanElectionStayOffline) { sequential_crashes(false); }

}  // namespace
}  // namespace kafkasim
