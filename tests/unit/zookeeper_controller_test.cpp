// ZooKeeper mode, message by message: a ZooKeeper ensemble, each broker's agent (session + controller
// candidacy) and recording stand-ins for brokers, run by a deterministic harness. Session expiry, controller
// failover with its metadata load, ZooKeeper leader failover, quorum loss and a deposed controller.
#include "controller/zk_controller.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "controller/testing/node_harness.h"
#include "controller/zookeeper_server.h"
#include "scenario/scenario_loader.h"

namespace kafkasim {
namespace {

using testing::NodeHarness;
using testing::RecordingNode;

Scenario zk_scenario(int brokers, int partitions, int servers) {
  std::string text = R"({"cluster": {"brokers": )" + std::to_string(brokers) +
                     R"(, "control_plane": {"mode": "zookeeper", "nodes": )" + std::to_string(servers) +
                     R"(}}, "topics": [{"name": "t", "partitions": )" + std::to_string(partitions) +
                     R"(, "replication_factor": 3}]})";
  LoadResult r = parse_scenario_text(text, "zk.json");
  EXPECT_TRUE(r.ok());
  return *r.scenario;
}

// Node ids: brokers 0..B-1, their agents B..2B-1, ZooKeeper servers 2B..2B+Z-1.
struct ZkCluster {
  Scenario scenario;
  ControlPlaneWiring wiring;
  std::unique_ptr<ClusterMetadata> metadata;
  std::vector<std::unique_ptr<RecordingNode>> brokers;
  std::vector<std::unique_ptr<ZkController>> agents;
  std::vector<std::unique_ptr<ZooKeeperServer>> servers;
  NodeHarness h;

  explicit ZkCluster(int partitions, int broker_count = 3, int server_count = 3)
      : scenario(zk_scenario(broker_count, partitions, server_count)) {
    std::vector<NodeId> broker_nodes;
    for (int b = 0; b < broker_count; ++b) {
      broker_nodes.push_back(NodeId{b});
      wiring.brokers.push_back(NodeId{b});
      wiring.agents.push_back(NodeId{broker_count + b});
    }
    for (int z = 0; z < server_count; ++z) wiring.quorum.push_back(NodeId{2 * broker_count + z});
    metadata = std::make_unique<ClusterMetadata>(scenario, broker_nodes);
    for (int b = 0; b < broker_count; ++b) {
      brokers.push_back(std::make_unique<RecordingNode>());
      h.add(wiring.brokers[b], brokers.back().get());
    }
    for (int b = 0; b < broker_count; ++b) {
      agents.push_back(std::make_unique<ZkController>(b, wiring, *metadata, scenario));
      h.add(wiring.agents[b], agents.back().get());
    }
    for (int z = 0; z < server_count; ++z) {
      servers.push_back(std::make_unique<ZooKeeperServer>(z, wiring, scenario));
      h.add(wiring.quorum[z], servers.back().get());
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
  ZkController* controller() {
    for (auto& a : agents)
      if (a->is_controller()) return a.get();
    return nullptr;
  }
  // The controller as ZooKeeper sees it (a deposed one may not know yet).
  ZkController* zk_controller() {
    ZooKeeperServer* leader = zk_leader();
    if (leader == nullptr) return nullptr;
    for (auto& a : agents)
      if (a->is_controller() && a->session() == leader->data().owner(kControllerPath)) return a.get();
    return nullptr;
  }
  ZooKeeperServer* zk_leader() {
    for (auto& s : servers)
      if (s->serving()) return s.get();
    return nullptr;
  }
  int leaders_on(int broker) const {
    int n = 0;
    for (TopicPartition tp : metadata->all_partitions()) n += metadata->partition(tp).leader == broker ? 1 : 0;
    return n;
  }
  std::vector<nlohmann::json> events(const std::string& type) const { return h.events_of(type); }
  // First LeaderAndIsr a broker received at or after `t`, or -1.
  double first_leader_and_isr(int broker, double t) const {
    for (const auto& [at, m] : brokers[broker]->of_type<LeaderAndIsrRequest>())
      if (at >= t) return at;
    return -1;
  }
};

TEST(ZooKeeperController, WarmStartKeepsEverySessionAlive) {
  ZkCluster c(6);
  EXPECT_EQ(c.metadata->active_controller, c.wiring.agents[0].value);
  auto elected = c.events("controller_elected");
  ASSERT_EQ(elected.size(), 1u);
  EXPECT_EQ(elected[0]["controller"], "broker-0");
  EXPECT_EQ(elected[0]["epoch"], 1);
  EXPECT_EQ(elected[0]["t"], 0.0);
  c.h.run_until(60.0);
  EXPECT_TRUE(c.events("broker_fenced").empty());
  EXPECT_EQ(c.events("controller_elected").size(), 1u);
  ASSERT_NE(c.zk_leader(), nullptr);
  EXPECT_EQ(c.zk_leader()->index(), 0);
  EXPECT_EQ(c.zk_leader()->data().sessions.size(), 3u);
  for (auto& a : c.agents) {
    EXPECT_TRUE(a->registered());
    EXPECT_EQ(a->server_index(), 0);  // followed the hints to the ZooKeeper leader
  }
  for (int b = 0; b < 3; ++b) {
    EXPECT_TRUE(c.brokers[b]->of_type<LeaderAndIsrRequest>().empty());
    auto updates = c.brokers[b]->of_type<UpdateMetadataRequest>();
    ASSERT_FALSE(updates.empty());
    EXPECT_EQ(updates[0].second.controller_id, c.wiring.agents[0].value);
  }
  // Idle traffic: leader heartbeats every second, session pings every 6 s (no message storms).
  EXPECT_LT(c.h.sent().size(), 60 * (2 * 2) + 3 * 10 * 2 + 50u);
}

TEST(ZooKeeperController, SessionExpiresAfterTimeoutOnATickAndLeadershipMoves) {
  const int partitions = 300;
  ZkCluster c(partitions);
  const int led_by_1 = c.leaders_on(1);
  ASSERT_GT(led_by_1, 50);
  c.h.run_until(3.0);
  c.crash_broker_host(1);  // its session was last touched at t = 0: 18 s, rounded up to the next 2 s tick
  c.h.run_until(19.99);
  EXPECT_TRUE(c.events("broker_fenced").empty());
  EXPECT_EQ(c.zk_leader()->data().owner(broker_path(1)), make_session(c.wiring.agents[1], 0));
  c.h.run_until(40.0);
  EXPECT_EQ(c.zk_leader()->data().owner(broker_path(1)), -1);
  auto fenced = c.events("broker_fenced");
  ASSERT_EQ(fenced.size(), 1u);
  EXPECT_EQ(fenced[0]["broker"], 1);
  const double election_cost = led_by_1 * 0.005;
  EXPECT_GE(static_cast<double>(fenced[0]["t"]), 20.0 + election_cost);
  EXPECT_LT(static_cast<double>(fenced[0]["t"]), 20.0 + election_cost + 0.01);
  EXPECT_EQ(c.leaders_on(1), 0);
  EXPECT_EQ(static_cast<int>(c.events("leader_elected").size()), led_by_1);
  for (const auto& e : c.events("leader_elected")) EXPECT_EQ(e["unclean"], false);
  // ZooKeeper mode: the controller's ISR shrink bumps the leader epoch too.
  for (TopicPartition tp : c.metadata->all_partitions()) {
    EXPECT_EQ(c.metadata->partition(tp).leader_epoch, 1);
    EXPECT_EQ(c.metadata->partition(tp).isr.size(), 2u);
  }
  // What the controller decided is in ZooKeeper, on every server.
  for (auto& s : c.servers) EXPECT_EQ(static_cast<int>(s->data().partitions.size()), partitions);
  EXPECT_EQ(c.metadata->active_controller, c.wiring.agents[0].value);

  // The broker comes back: new session, registration, and its full state from the controller.
  c.restart_broker_host(1);
  c.h.run_until(45.0);
  EXPECT_TRUE(c.agents[1]->registered());
  EXPECT_NE(c.agents[1]->session(), make_session(c.wiring.agents[1], 0));
  ASSERT_EQ(c.events("broker_unfenced").size(), 1u);
  auto lai = c.brokers[1]->of_type<LeaderAndIsrRequest>();
  ASSERT_EQ(lai.size(), 1u);
  EXPECT_EQ(lai[0].second.partitions.size(), c.controller()->state().replicas_on(1).size());
}

TEST(ZooKeeperController, QuickRestartWaitsForTheOldSessionToExpire) {
  ZkCluster c(6);
  c.h.run_until(3.0);
  c.crash_broker_host(2);
  c.h.run_until(4.0);
  c.restart_broker_host(2);
  c.h.run_until(19.0);
  EXPECT_FALSE(c.agents[2]->registered());  // /brokers/ids/2 still belongs to the old session
  c.h.run_until(30.0);
  EXPECT_TRUE(c.agents[2]->registered());
  EXPECT_EQ(c.events("broker_fenced").size(), 1u);
  EXPECT_EQ(c.events("broker_unfenced").size(), 1u);
}

// Controller failover: broker 0 (the controller) dies; its session expires at t = 20; a new controller
// reads ZooKeeper, loads for 2 ms per partition, elects for 5 ms per partition broker 0 led, and only then
// sends its first LeaderAndIsr.
double controller_failover_delay(int partitions, int* led_by_0) {
  ZkCluster c(partitions);
  *led_by_0 = c.leaders_on(0);
  c.h.run_until(3.0);
  c.crash_broker_host(0);
  c.h.run_until(19.99);
  EXPECT_EQ(c.metadata->active_controller, -1);
  EXPECT_EQ(c.controller(), nullptr);
  c.h.run_until(20.01);
  ZkController* controller = c.controller();
  EXPECT_NE(controller, nullptr);
  if (controller == nullptr) return -1;
  EXPECT_EQ(controller->controller_epoch(), 2);
  EXPECT_FALSE(controller->loaded());  // still loading
  EXPECT_GT(c.leaders_on(0), 0);       // so nothing moved yet
  c.h.run_until(60.0);
  auto elected = c.events("controller_elected");
  EXPECT_EQ(elected.size(), 2u);
  if (elected.size() == 2) {
    EXPECT_EQ(elected[1]["epoch"], 2);
  }
  EXPECT_EQ(c.leaders_on(0), 0);
  EXPECT_FALSE(c.metadata->broker_alive[0]);
  EXPECT_EQ(c.metadata->active_controller, c.wiring.agents[controller->broker_id()].value);
  double first = 1e9;
  for (int b = 1; b < 3; ++b) {
    double t = c.first_leader_and_isr(b, 0.0);
    EXPECT_GT(t, 0.0);
    if (t > 0) first = std::min(first, t);
  }
  return first - 20.0;
}

TEST(ZooKeeperController, NewControllerLoadsMetadataBeforeItsFirstLeaderAndIsr) {
  int led_small = 0, led_large = 0;
  const double small = controller_failover_delay(100, &led_small);
  const double large = controller_failover_delay(1000, &led_large);
  EXPECT_NEAR(small, 100 * 0.002 + led_small * 0.005, 0.02);
  EXPECT_NEAR(large, 1000 * 0.002 + led_large * 0.005, 0.02);
  EXPECT_GT(large, small + 1.5);  // failover time grows with the partitions in the cluster
}

TEST(ZooKeeperController, ZooKeeperLeaderFailoverKeepsSessionsAndData) {
  ZkCluster c(30);
  c.h.run_until(3.0);
  c.crash_broker_host(2);  // expires at t = 20 and is written to ZooKeeper
  c.h.run_until(25.0);
  ASSERT_FALSE(c.metadata->broker_alive[2]);
  const auto written = c.zk_leader()->data().partitions;
  ASSERT_FALSE(written.empty());
  c.h.crash(c.wiring.quorum[0]);
  // Followers notice after syncLimit (4 s) without the leader, then elect in 200 ms.
  ASSERT_TRUE(c.h.run_until([&] { return c.zk_leader() != nullptr; }, 40.0));
  EXPECT_GT(c.h.now(), 25.0 + 3.0);
  EXPECT_LT(c.h.now(), 25.0 + 4.0 + 0.5);
  ZooKeeperServer* leader = c.zk_leader();
  EXPECT_EQ(leader->index(), 1);
  EXPECT_EQ(leader->epoch(), 2);
  EXPECT_EQ(leader->data().partitions.size(), written.size());
  EXPECT_EQ(leader->data().owner(kControllerPath), make_session(c.wiring.agents[0], 0));
  // Sessions got a fresh timeout with the new leader, and the agents found it: nobody expires.
  c.h.run_until(80.0);
  EXPECT_EQ(c.events("broker_fenced").size(), 1u);
  EXPECT_EQ(c.events("controller_elected").size(), 1u);
  for (int b = 0; b < 2; ++b) EXPECT_EQ(c.agents[b]->server_index(), 1);
  // The old leader comes back as a follower and catches up.
  c.h.restart(c.wiring.quorum[0]);
  c.h.run_until(90.0);
  EXPECT_EQ(c.servers[0]->role(), ZooKeeperServer::Role::following);
  EXPECT_EQ(c.servers[0]->last_zxid(), leader->last_zxid());
  EXPECT_EQ(c.servers[0]->committed_zxid(), leader->committed_zxid());
}

TEST(ZooKeeperController, WithoutAQuorumNoSessionExpires) {
  ZkCluster c(6);
  c.h.run_until(1.0);
  c.h.crash(c.wiring.quorum[1]);
  c.h.crash(c.wiring.quorum[2]);
  c.h.run_until(2.0);
  c.crash_broker_host(1);
  c.h.run_until(40.0);
  EXPECT_EQ(c.zk_leader(), nullptr);  // the leader gave up without a quorum
  EXPECT_TRUE(c.events("broker_fenced").empty());
  EXPECT_TRUE(c.metadata->broker_alive[1]);
  c.h.restart(c.wiring.quorum[1]);
  c.h.restart(c.wiring.quorum[2]);
  ASSERT_TRUE(c.h.run_until([&] { return c.zk_leader() != nullptr; }, 45.0));
  const double established = c.h.now();
  c.h.run_until(established + 17.9);
  EXPECT_TRUE(c.events("broker_fenced").empty());
  c.h.run_until(established + 30.0);
  auto fenced = c.events("broker_fenced");
  ASSERT_EQ(fenced.size(), 1u);
  EXPECT_GE(static_cast<double>(fenced[0]["t"]), established + 18.0);
  EXPECT_LE(static_cast<double>(fenced[0]["t"]), established + 20.1);
}

TEST(ZooKeeperController, DeposedControllerCannotWrite) {
  ZkCluster c(6);
  c.h.run_until(3.0);
  // The controller's agent loses ZooKeeper (its broker still reaches the other brokers).
  for (NodeId z : c.wiring.quorum) c.h.cut(c.wiring.agents[0], z);
  c.h.run_until(21.0);
  ZkController* controller = c.zk_controller();
  ASSERT_NE(controller, nullptr);
  // Broker 0's session expired: another agent is controller, and broker 0 lost its leaderships.
  EXPECT_NE(controller->broker_id(), 0);
  EXPECT_EQ(c.leaders_on(0), 0);
  // A leader asks the old controller (it does not know yet) to shrink an ISR.
  TopicPartition tp{0, 0};
  const PartitionState before = c.metadata->partition(tp);
  AlterPartitionRequest req;
  req.request_id = 1;
  req.broker_id = before.leader;
  req.items.push_back({tp, before.leader_epoch, before.partition_epoch, {before.leader}});
  c.h.send_as(c.wiring.brokers[before.leader], c.wiring.agents[0], req);
  c.h.run_until(25.0);
  c.h.heal_all();
  c.h.run_until(40.0);
  // Its write was refused: the ISR is as the real controller left it, and it stepped down.
  EXPECT_EQ(c.metadata->partition(tp).isr, before.isr);
  EXPECT_FALSE(c.agents[0]->is_controller());
  EXPECT_TRUE(c.agents[0]->registered());  // with a new session
  EXPECT_EQ(c.metadata->active_controller, c.wiring.agents[controller->broker_id()].value);
  EXPECT_EQ(c.events("broker_unfenced").size(), 1u);
}

}  // namespace
}  // namespace kafkasim
