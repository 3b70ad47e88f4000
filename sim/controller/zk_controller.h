// ZooKeeper mode: the broker's control-plane agent, co-hosted with the broker (KafkaZkClient plus
// KafkaController). It holds the broker's ZooKeeper session (pings its server every third of
// zookeeper.session.timeout.ms, follows the leader's hint, and moves to another server after two thirds of the
// timeout without an answer), registers /brokers/ids/<id>, and tries to create /controller at start and
// whenever a watch says it was deleted.
//
// The agent that creates /controller is the controller, with the controller epoch ZooKeeper assigned. It first
// reads the cluster's state from ZooKeeper and loads it (busy kafkasim.controller.metadata.load.ms.per.partition
// x every partition in the cluster), then acts, one event at a time: brokers gone from ZooKeeper (or missing
// at load) leave the ISRs and lose their leaderships, registered brokers get LeaderAndIsr with their full
// state, AlterPartition requests from leaders change ISRs (Kafka >= 2.7 sends AlterIsr to the controller).
// Elections cost kafkasim.controller.election.ms.per.partition each. Every decision is written to ZooKeeper
// first (conditional on the controller epoch, so a deposed controller's writes fail) and then pushed as
// LeaderAndIsr / UpdateMetadata and into the shared ClusterMetadata. An agent whose session expired stops
// being controller and registers again with a new session.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

#include "cluster/cluster_metadata.h"
#include "controller/control_plane_config.h"
#include "controller/control_plane_wiring.h"
#include "controller/controller_state.h"
#include "controller/metadata_publisher.h"
#include "controller/timer_slots.h"
#include "controller/zookeeper_data.h"
#include "core/random.h"
#include "protocol/node.h"
#include "scenario/scenario.h"

namespace kafkasim {

class ZkController : public Node {
 public:
  static constexpr SimTime kRequestTimeout_s = 2.0;  // a ZooKeeper request without an answer is sent again
  static constexpr SimTime kRetryBackoff_s = 1.0;    // after a refused request
  static constexpr SimTime kConnectRetry_s = 1.0;    // pings while opening a session

  ZkController(int32_t broker_id, const ControlPlaneWiring& wiring, ClusterMetadata& metadata,
               const Scenario& scenario);

  void start(NodeContext& ctx) override;
  void on_message(NodeContext& ctx, Message&& message) override;
  void on_timer(NodeContext& ctx, uint64_t token) override;
  void on_crash(NodeContext& ctx, bool power_loss) override;
  // Our ZooKeeper server's process is down on a live machine: connect to the next one at once.
  void on_connection_refused(NodeContext& ctx, NodeId peer) override;

  int32_t broker_id() const { return broker_id_; }
  bool is_controller() const { return up_ && is_controller_; }
  bool loaded() const { return is_controller() && failover_done_; }  // done loading: acting on events
  int32_t controller_epoch() const { return controller_epoch_; }
  int64_t session() const { return session_; }
  bool session_open() const { return session_open_; }
  bool registered() const { return registered_; }
  int32_t server_index() const { return server_; }
  const ControllerState& state() const { return state_; }

 private:
  enum TimerKind { kPing, kRegister, kElect, kRead, kWrite, kBusy };
  struct Job {
    enum class Kind { failover, broker_failed, broker_started, alter_partition } kind = Kind::failover;
    int32_t broker = -1;
    NodeId from;
    AlterPartitionRequest request;
  };
  struct Work {
    std::vector<PartitionLeaderState> changes;
    std::optional<std::pair<int32_t, bool>> liveness;  // (broker, live)
    std::vector<int32_t> full_state_brokers;
    bool announce = false;
    bool failover = false;
    std::optional<std::pair<NodeId, AlterPartitionResponse>> response;
  };

  void handle(NodeContext& ctx, NodeId from, ZkPong& r);
  void handle(NodeContext& ctx, NodeId from, ZkCreateResponse& r);
  void handle(NodeContext& ctx, NodeId from, ZkWatchEvent& r);
  void handle(NodeContext& ctx, NodeId from, ZkReadResponse& r);
  void handle(NodeContext& ctx, NodeId from, ZkWriteResponse& r);
  void handle(NodeContext& ctx, NodeId from, AlterPartitionRequest& r);
  template <typename T>
  void handle(NodeContext&, NodeId, T&) {}

  NodeId server_node() const { return wiring_.quorum[static_cast<size_t>(server_)]; }
  NodeId self() const { return wiring_.agents[static_cast<size_t>(broker_id_)]; }
  void next_server();

  // Session.
  void ping(NodeContext& ctx);
  void new_session(NodeContext& ctx);
  void send_register(NodeContext& ctx);
  void send_elect(NodeContext& ctx);

  // Controller.
  void become_controller(NodeContext& ctx, int32_t epoch);
  void resign(NodeContext& ctx);
  // controller_ready: metadata loaded and the failover elections written.
  void emit_ready(NodeContext& ctx);
  void send_read(NodeContext& ctx);
  void send_write(NodeContext& ctx);
  void enqueue(NodeContext& ctx, Job job);
  void run_jobs(NodeContext& ctx);
  Work compute(const Job& job, int32_t* leader_changes) const;
  void write_or_finish(NodeContext& ctx, Work work);
  void finish(NodeContext& ctx, Work work);

  const int32_t broker_id_;
  const ControlPlaneWiring wiring_;  // a copy: the driver's may not outlive the node
  ClusterMetadata& metadata_;
  const ControlPlaneConfig config_;
  Rng rng_;
  MetadataPublisher publisher_;
  TimerSlots timers_;
  const ControllerState initial_state_;  // partitions as created, for those ZooKeeper has no write of

  bool started_before_ = false;
  int32_t session_count_ = 0;

  // Volatile (a restarted broker opens a new session).
  bool up_ = false;
  int32_t server_ = 0;  // quorum index we talk to
  int64_t session_ = -1;
  bool session_open_ = false;
  SimTime last_heard_ = 0;       // last answer from server_ (or when we turned to it)
  SimTime redirected_at_ = -1;
  bool registered_ = false;
  int64_t controller_owner_ = -1;  // session owning /controller, as last heard
  int64_t next_request_id_ = 1;
  int64_t register_request_ = -1, elect_request_ = -1, read_request_ = -1, write_request_ = -1;

  // Controller role.
  bool is_controller_ = false;
  bool loaded_ = false;         // has read ZooKeeper: jobs run (the first one is the load itself)
  bool failover_done_ = false;  // the load and the failover elections are done
  int32_t controller_epoch_ = 0;
  ControllerState state_;
  std::deque<Job> jobs_;
  bool busy_ = false;  // computing (election / load cost) or waiting for a ZooKeeper write
  Work busy_work_;
  bool busy_writing_ = false;
};

}  // namespace kafkasim
