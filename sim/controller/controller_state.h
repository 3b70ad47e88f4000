// The controller's table of desired state (every partition's leader, ISR and epochs, and which brokers are
// live) and the decisions Kafka's controller takes on it: leader election, ISR changes when a broker dies or
// comes back, and AlterPartition validation. Plain logic shared by the KRaft and the ZooKeeper-mode
// controllers. Decisions return new partition states without applying them: the caller writes them (Raft
// log, ZooKeeper) and applies them once committed.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "cluster/cluster_metadata.h"
#include "protocol/messages.h"
#include "scenario/scenario.h"

namespace kafkasim {

// Where the two controllers' rules differ.
enum class ControllerFlavor {
  kraft,      // ReplicationControlManager / PartitionChangeBuilder (metadata version >= 3.6)
  zookeeper,  // KafkaController: an ISR shrink the controller makes also bumps the leader epoch
};

struct ElectionResult {
  int32_t leader = -1;  // -1: no acceptable leader, the partition goes offline
  bool unclean = false;  // the leader comes from outside the ISR
};

// Kafka's leader election (PartitionChangeBuilder.electAnyLeader): keep `current` if it is still in the ISR and
// acceptable; else the first replica in replica order (preferred first) in the ISR and acceptable; else, with
// unclean election allowed, the first acceptable replica at all.
ElectionResult elect_leader(int32_t current, const std::vector<int32_t>& replicas, const std::vector<int32_t>& isr,
                            const std::function<bool(int32_t)>& acceptable, bool unclean_allowed);

struct AlterPartitionDecision {
  ErrorCode error = ErrorCode::none;
  // The state to write; none when the request fails or asks for the ISR the partition already has.
  std::optional<PartitionLeaderState> change;
};

class ControllerState {
 public:
  ControllerState() = default;
  // The warm-start state: every partition as `metadata` holds it, every broker registered and unfenced.
  // Unclean election follows each topic's unclean.leader.election.enable.
  ControllerState(const ClusterMetadata& metadata, const Scenario& scenario, ControllerFlavor flavor);

  ControllerFlavor flavor() const { return flavor_; }
  int32_t broker_count() const { return static_cast<int32_t>(live_.size()); }
  bool broker_live(int32_t broker) const;
  std::vector<int32_t> live_brokers() const;
  int64_t partition_count() const { return static_cast<int64_t>(partitions_.size()); }
  const std::vector<PartitionLeaderState>& partitions() const { return partitions_; }
  const PartitionLeaderState& partition(TopicPartition tp) const { return partitions_[index(tp)]; }
  // Partitions with a replica on `broker`, in topic/partition order.
  const std::vector<TopicPartition>& replicas_on(int32_t broker) const;
  bool unclean_allowed(int32_t topic) const;

  // ---- Decisions (nothing is applied) ----
  // `broker` is fenced (KRaft) or its ZooKeeper session expired: it leaves every ISR it is in (except as the
  // last member: Kafka keeps the last ISR member and sets leader -1), and partitions it led get new leaders.
  std::vector<PartitionLeaderState> broker_failed(int32_t broker) const;
  // The same for several brokers one after the other (a new ZooKeeper-mode controller finding brokers gone);
  // one final state per changed partition.
  std::vector<PartitionLeaderState> brokers_failed(const std::vector<int32_t>& brokers) const;
  // `broker` is unfenced / registered again: leaderless partitions elect again with it acceptable (it leads
  // those whose ISR holds it, or, with unclean election allowed, those it merely replicates).
  std::vector<PartitionLeaderState> broker_started(int32_t broker) const;
  // A partition leader asks for a new ISR (ReplicationControlManager.validateAlterPartitionData, in order):
  // a newer epoch than ours -> not_controller; an older leader epoch -> fenced_leader_epoch; not the leader ->
  // not_leader_or_follower (Kafka: INVALID_REQUEST); an older partition epoch -> invalid_update_version; an ISR
  // that is not a subset of the replicas or lacks the leader -> ineligible_replica (Kafka: INVALID_REQUEST); a
  // member that is not live -> ineligible_replica.
  AlterPartitionDecision alter_partition(int32_t broker, const AlterPartitionRequest::Item& item) const;

  // ---- Changes ----
  void apply(const PartitionLeaderState& state);
  void set_broker_live(int32_t broker, bool live);
  // KRaft: applies a committed metadata record (leader_change records change nothing here).
  void apply(const MetadataRecord& record);

  bool has_partition(TopicPartition tp) const;

 private:
  size_t index(TopicPartition tp) const;
  // PartitionChangeBuilder.build(): elect if needed, set the ISR (never to empty), bump epochs.
  std::optional<PartitionLeaderState> build_change(const PartitionLeaderState& current, std::vector<int32_t> target_isr,
                                                   const std::function<bool(int32_t)>& acceptable,
                                                   bool controller_initiated) const;

  ControllerFlavor flavor_ = ControllerFlavor::kraft;
  std::vector<PartitionLeaderState> partitions_;  // by topic, then partition
  std::vector<size_t> topic_offset_;              // index of each topic's partition 0
  std::vector<bool> unclean_;                     // per topic
  std::vector<bool> live_;                        // per broker id
  std::vector<std::vector<TopicPartition>> replicas_on_;  // per broker id
};

}  // namespace kafkasim
