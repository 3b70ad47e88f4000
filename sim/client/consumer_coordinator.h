// The consumer's side of the classic group protocol (Kafka's ConsumerCoordinator over AbstractCoordinator):
// finding the coordinator, JoinGroup, running the assignor when this member leads, SyncGroup, the heartbeat
// thread and KIP-62's poll timeout. The Consumer owns one and drives it from its poll loop; revocations and
// assignments come back through the ConsumerCoordinator::Host interface, the way Kafka calls a
// ConsumerRebalanceListener from inside poll().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cluster/cluster_metadata.h"
#include "protocol/node.h"

namespace kafkasim {

struct ConsumerCoordinatorConfig {
  std::string group_id;
  std::string group_instance_id;  // empty: dynamic member
  std::string client_id;
  SimTime session_timeout_s = 45;
  SimTime heartbeat_interval_s = 3;
  SimTime max_poll_interval_s = 300;  // also the rebalance timeout the member announces
  SimTime retry_backoff_s = 0.1;
  SimTime request_timeout_s = 30;
  std::vector<std::string> strategies;  // partition.assignment.strategy
  std::vector<int32_t> topics;          // the subscription, by topic index
};

class ConsumerCoordinator {
 public:
  // What the coordinator needs from the consumer it belongs to.
  class Host {
   public:
    virtual ~Host() = default;
    // onPartitionsRevoked (lost = false: may commit first; the consumer reports whether it started a
    // synchronous commit the join must wait for) or onPartitionsLost (lost = true: no commit).
    virtual bool revoke_partitions(NodeContext& ctx, const std::vector<TopicPartition>& tps, bool lost) = 0;
    virtual void assign_partitions(NodeContext& ctx, const std::vector<TopicPartition>& tps) = 0;
    // The partitions the consumer owns now.
    virtual std::vector<TopicPartition> owned_partitions() const = 0;
    // True while the application is inside poll() (not processing, not paused, not in a commitSync).
    virtual bool in_poll(SimTime now) const = 0;
    virtual uint64_t next_request_id() = 0;
  };

  enum class MemberState { unjoined, rebalancing, stable };
  enum Timer : uint64_t { kHeartbeatTimer = 100, kRequestTimeout = 101, kRetry = 102 };

  ConsumerCoordinator(ConsumerCoordinatorConfig config, const ClusterMetadata& metadata, Host& host);

  // The consumer process started (or restarted): a new member, no member id unless static.
  void start(NodeContext& ctx);
  void stop();
  // Called from the consumer's poll(): finds the coordinator, revokes and rejoins when needed. True when the
  // member may return records: it is stable, or (cooperative protocol, KIP-429) it keeps consuming the
  // partitions it owns while a rebalance is under way.
  bool poll(NodeContext& ctx);
  // Handles a group response; false if the message is not for the coordinator.
  bool on_message(NodeContext& ctx, const MessageBody& body);
  void on_timer(NodeContext& ctx, uint64_t token);
  void on_connection_refused(NodeContext& ctx, NodeId peer);
  // A clean shutdown or consumer_leave: LeaveGroup (dynamic members only, as Kafka's close()).
  void leave_group(NodeContext& ctx, const std::string& reason);

  // The fields a commit carries, or an error when the member may not commit now (Kafka's
  // CommitFailedException / RebalanceInProgressException raised before any request is sent).
  struct CommitIdentity {
    ErrorCode error = ErrorCode::none;
    int32_t generation = -1;
    std::string member_id;
  };
  CommitIdentity commit_identity() const;
  // The coordinator refused a commit: the member's generation is gone.
  void on_commit_error(NodeContext& ctx, ErrorCode error);
  // The coordinator's broker id, -1 unknown.
  int32_t coordinator() const { return coordinator_; }

  MemberState state() const { return state_; }
  const std::string& member_id() const { return member_id_; }
  int32_t generation() const { return generation_; }
  const std::string& protocol() const { return protocol_; }
  bool rejoin_needed() const { return rejoin_needed_; }

 private:
  void find_coordinator(NodeContext& ctx);
  void send_join(NodeContext& ctx);
  void handle_join(NodeContext& ctx, const JoinGroupResponse& r);
  void handle_sync(NodeContext& ctx, const SyncGroupResponse& r);
  void handle_heartbeat(NodeContext& ctx, const HeartbeatResponse& r);
  void coordinator_dead(NodeContext& ctx);
  void reset_generation();
  void apply_assignment(NodeContext& ctx, const std::vector<TopicPartition>& assignment);
  void send_heartbeat(NodeContext& ctx);
  void schedule_heartbeat_timer(NodeContext& ctx);
  NodeId coordinator_node() const { return metadata_.broker_node(coordinator_); }
  std::vector<std::pair<std::string, std::vector<TopicPartition>>> run_assignor(const JoinGroupResponse& r) const;

  ConsumerCoordinatorConfig config_;
  const ClusterMetadata& metadata_;
  Host& host_;
  bool running_ = false;
  int32_t coordinator_ = -1;
  std::optional<int64_t> find_in_flight_, join_in_flight_, sync_in_flight_, heartbeat_in_flight_;
  SimTime in_flight_deadline_ = kNever;  // of the find/join/sync request under way
  SimTime retry_at_ = 0;                 // backoff after an error
  MemberState state_ = MemberState::unjoined;
  bool rejoin_needed_ = true;
  std::string member_id_;
  int32_t generation_ = -1;
  std::string protocol_;
  bool lost_ = false;  // owned partitions are to be given up without commit (generation lost)
  SimTime last_poll_ = 0;
  SimTime last_heartbeat_sent_ = 0;
  SimTime heartbeat_timer_at_ = kNever;  // the earliest heartbeat-thread wake-up scheduled
  SimTime heartbeat_deadline_ = kNever;
  bool cooperative_ = false;               // KIP-429 protocol: every configured assignor is cooperative
  uint64_t find_attempts_ = 0;
  int32_t find_broker_ = -1;  // where the FindCoordinator under way went
  std::vector<TopicPartition> last_assignment_;
  // A SyncGroup answer waits for the next poll() to be applied (Kafka's onJoinComplete runs inside poll).
  std::optional<std::vector<TopicPartition>> pending_assignment_;
};

}  // namespace kafkasim
