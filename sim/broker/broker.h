// A Kafka broker as a state machine. As leader of a partition it appends produced batches through its
// disk, tracks followers' fetch positions, moves the high watermark, shrinks and expands the ISR through the
// controller (AlterPartition) and answers acks=all requests from its produce purgatory. As follower it
// truncates (by leader epoch, KIP-101/279, or to its high watermark before 0.11) and fetches from the
// leader. It learns roles from the controller (LeaderAndIsr) and answers clients' Metadata from the cache
// the controller keeps up to date (UpdateMetadata).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "broker/fetch_purgatory.h"
#include "broker/partition_log.h"
#include "broker/producer_state.h"
#include "cluster/cluster_metadata.h"
#include "group/group_coordinator.h"
#include "group/group_record_store.h"
#include "protocol/node.h"
#include "scenario/scenario.h"

namespace kafkasim {

// One replica hosted by this broker.
struct Replica {
  enum class Role { none, leader, follower };
  TopicPartition tp;
  PartitionLog log;                 // durable (page cache / disk)
  ProducerStateTable producer_state;
  Role role = Role::none;
  int32_t leader = -1;              // broker id of the leader as last told
  LeaderEpoch leader_epoch = 0;
  int32_t partition_epoch = 0;
  std::vector<int32_t> replicas;
  std::vector<int32_t> isr;         // committed ISR as last told by the controller
  std::set<int32_t> pending_isr;    // leader: ISR it asked the controller for, while the answer is pending
  bool alter_in_flight = false;
  Offset high_watermark = 0;
  Offset high_watermark_checkpoint = 0;  // what survives a restart (replication-offset-checkpoint)
  int32_t min_insync_replicas = 1;
  int64_t flush_messages = INT64_MAX;
  SimTime flush_interval_s = kNever;
  SimTime last_flush = 0;
  // Leader: followers' progress (Kafka's Replica state).
  struct Follower {
    Offset log_end_offset = 0;
    SimTime last_caught_up = 0;
    SimTime last_fetch = 0;
    Offset leader_end_at_last_fetch = 0;
  };
  std::map<int32_t, Follower> followers;
  // Follower: truncation before fetching.
  bool awaiting_truncation = false;

  bool is_leader() const { return role == Role::leader; }
};

// Called when a replica's log loses records (truncation or power loss), for the checker's history.
using TruncationObserver =
    std::function<void(int32_t broker, TopicPartition tp, const std::vector<RecordBatch>& dropped, SimTime when,
                       const char* reason)>;

class Broker : public Node {
 public:
  Broker(int32_t broker_id, const Scenario& scenario, const ClusterMetadata& metadata);

  void start(NodeContext& ctx) override;
  void on_message(NodeContext& ctx, Message&& message) override;
  void on_timer(NodeContext& ctx, uint64_t token) override;
  void on_disk_written(NodeContext& ctx, uint64_t token) override;
  void on_crash(NodeContext& ctx, bool power_loss) override;
  void on_connection_refused(NodeContext& ctx, NodeId peer) override;

  int32_t id() const { return id_; }
  const std::map<TopicPartition, Replica>& replicas() const { return replicas_; }
  Replica* replica(TopicPartition tp);
  // The groups this broker coordinates: members, client ids, assignments, generation, state, committed offsets
  // (read-only, for describe tables and the summary).
  const GroupCoordinator& group_coordinator() const { return *group_coordinator_; }
  void set_truncation_observer(TruncationObserver observer) { truncation_observer_ = std::move(observer); }
  // Where the contents of __consumer_offsets records live; one store shared by all brokers of a run.
  void set_group_record_store(std::shared_ptr<GroupRecordStore> store) { group_records_ = std::move(store); }
  void share_group_totals(std::shared_ptr<GroupTotalsMap> totals) { group_coordinator_->share_totals(std::move(totals)); }
  bool up() const { return up_; }

 private:
  struct PendingAppend {  // a produce request or a follower's fetched data waiting for its disk write
    NodeId client;
    ProduceRequest request;
    std::vector<PartitionProduceResult> results;
    // Follower data instead of a produce request:
    bool replication = false;
    int32_t leader = -1;
    std::vector<std::pair<TopicPartition, FetchPartitionData>> fetched;
  };
  struct DelayedProduce {  // acks=all: waiting for the high watermark
    NodeId client;
    int64_t request_id;
    SimTime deadline;
    std::vector<PartitionProduceResult> results;
    std::vector<Offset> required_offsets;  // per result: HW needed; -1 = already decided
  };
  struct DelayedCommit {  // an offset commit waiting for its __consumer_offsets record to be replicated
    NodeId client;
    int64_t request_id;
    TopicPartition tp;
    Offset required;  // high watermark needed
    SimTime deadline;
    std::string group_id;
    std::vector<std::pair<TopicPartition, Offset>> offsets;
  };
  struct FetcherState {  // one fetch session per leader
    bool in_flight = false;
    int64_t request_id = 0;
    SimTime deadline = 0;
  };

  void handle(NodeContext& ctx, NodeId from, MetadataRequest& r);
  void handle(NodeContext& ctx, NodeId from, ProduceRequest& r);
  void handle(NodeContext& ctx, NodeId from, FetchRequest& r);
  void handle(NodeContext& ctx, NodeId from, FetchResponse& r);
  void handle(NodeContext& ctx, NodeId from, ListOffsetsRequest& r);
  void handle(NodeContext& ctx, NodeId from, OffsetCommitRequest& r);
  void handle(NodeContext& ctx, NodeId from, OffsetFetchRequest& r);
  void handle(NodeContext& ctx, NodeId from, FindCoordinatorRequest& r);
  void handle(NodeContext& ctx, NodeId from, JoinGroupRequest& r);
  void handle(NodeContext& ctx, NodeId from, SyncGroupRequest& r);
  void handle(NodeContext& ctx, NodeId from, HeartbeatRequest& r);
  void handle(NodeContext& ctx, NodeId from, LeaveGroupRequest& r);
  void handle(NodeContext& ctx, NodeId from, OffsetsForLeaderEpochRequest& r);
  void handle(NodeContext& ctx, NodeId from, OffsetsForLeaderEpochResponse& r);
  void handle(NodeContext& ctx, NodeId from, LeaderAndIsrRequest& r);
  void handle(NodeContext& ctx, NodeId from, UpdateMetadataRequest& r);
  void handle(NodeContext& ctx, NodeId from, AlterPartitionResponse& r);
  template <typename T>
  void handle(NodeContext&, NodeId, T&) {}  // not for brokers

  void become_leader(NodeContext& ctx, Replica& r, const PartitionLeaderState& st);
  void become_follower(NodeContext& ctx, Replica& r, const PartitionLeaderState& st);
  void truncate(NodeContext& ctx, Replica& r, Offset to, const char* reason);
  void append_as_leader(NodeContext& ctx, Replica& r, const RecordBatch& batch);
  void after_append(NodeContext& ctx, Replica& r);
  void update_follower(NodeContext& ctx, Replica& r, int32_t follower, Offset fetch_offset);
  std::vector<int32_t> maximal_isr(const Replica& r) const;
  void maybe_advance_high_watermark(NodeContext& ctx, Replica& r);
  void maybe_shrink_isr(NodeContext& ctx);
  void request_isr_change(NodeContext& ctx, Replica& r, std::vector<int32_t> new_isr);
  void send_fetches(NodeContext& ctx);
  void fail_delayed_produces(NodeContext& ctx, TopicPartition tp);
  int64_t gather_fetch(const FetchRequest& r, FetchResponse* out);
  void complete_delayed_produces(NodeContext& ctx, bool expire_all_due);
  // Answers the waiting fetches that can be answered now, among those reading a partition changed since.
  void complete_delayed_fetches(NodeContext& ctx);
  // What a fetch of r would answer may have changed; checked at the next complete_delayed_fetches.
  void fetch_state_changed(const Replica& r) { delayed_fetches_.partition_changed(r.tp); }
  void schedule(NodeContext& ctx, SimTime at, uint64_t kind);
  // This broker leads the group's __consumer_offsets partition and has loaded it.
  bool coordinates(const std::string& group_id) const;
  // __consumer_offsets: append a record as its leader; load or unload the groups of a partition.
  Offset append_group_record(NodeContext& ctx, Replica& r, int64_t record_id, int64_t bytes);
  void persist_changed_groups(NodeContext& ctx);
  void load_groups(NodeContext& ctx, Replica& r);
  void unload_groups(NodeContext& ctx, TopicPartition tp);
  void complete_delayed_commits(NodeContext& ctx, bool expire_due);
  // Sends what the group coordinator answered and wakes it at its next deadline.
  void flush_group_outbox(NodeContext& ctx, GroupCoordinator::Outbox& out);

  int32_t id_;
  const Scenario& scenario_;
  const ClusterMetadata& cluster_;  // static facts only: broker id -> node, topic names, coordinators
  bool leader_epoch_truncation_ = true;
  SimTime replica_lag_max_s_ = 30;
  SimTime replica_fetch_wait_s_ = 0.5;
  int64_t replica_fetch_min_bytes_ = 1, replica_fetch_max_bytes_ = 1048576;
  SimTime replica_socket_timeout_s_ = 30;
  SimTime hw_checkpoint_interval_s_ = 5;
  bool up_ = false;
  uint64_t incarnation_ = 0;  // timers from before a crash are ignored
  int32_t controller_node_ = -1;
  int32_t controller_epoch_ = 0;
  std::map<TopicPartition, Replica> replicas_;  // made once, in the constructor
  // replica() without a map search per partition of every fetch: per topic, per partition (null: not here).
  std::vector<std::vector<Replica*>> replica_index_;
  std::map<TopicPartition, PartitionLeaderState> metadata_cache_;
  std::map<uint64_t, PendingAppend> pending_appends_;
  std::map<uint64_t, DelayedProduce> delayed_produces_;
  FetchPurgatory delayed_fetches_;
  std::map<int32_t, FetcherState> fetchers_;  // by leader broker id
  std::map<int64_t, int32_t> truncation_requests_;  // OffsetsForLeaderEpoch request id -> leader
  std::shared_ptr<GroupRecordStore> group_records_ = std::make_shared<GroupRecordStore>();
  std::set<int32_t> loaded_offsets_partitions_;  // __consumer_offsets partitions whose groups are loaded
  std::map<uint64_t, DelayedCommit> delayed_commits_;
  SimTime offsets_commit_timeout_s_ = 5;
  uint64_t next_token_ = 1;
  int64_t next_request_id_ = 1;
  TruncationObserver truncation_observer_;
  std::unique_ptr<GroupCoordinator> group_coordinator_;
  SimTime group_timer_at_ = kNever;  // the earliest group-coordinator wake-up scheduled
};

}  // namespace kafkasim
