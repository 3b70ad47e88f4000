// Who hosts and leads each partition, and where each broker lives: the state as the control plane last
// committed it. The active controller writes it; observers (metrics, fault targets, the checker) read it.
// Brokers and clients never read it to decide anything: they learn through messages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.h"
#include "scenario/scenario.h"

namespace kafkasim {

struct PartitionState {
  std::vector<int32_t> replicas;  // broker ids, preferred leader first
  std::vector<int32_t> isr;
  int32_t leader = -1;  // -1: offline
  LeaderEpoch leader_epoch = 0;
  int32_t partition_epoch = 0;  // bumped on every leader or ISR change
};

class ClusterMetadata {
 public:
  ClusterMetadata(const Scenario& scenario, const std::vector<NodeId>& broker_nodes);

  // User topics only: the scenario's topics, indexes 0 .. topic_count()-1.
  int32_t topic_count() const { return user_topics_; }
  // With the internal __consumer_offsets topic when the scenario has consumer groups (Kafka creates it on
  // the first FindCoordinator); it comes after the user topics. The control plane and brokers manage it.
  int32_t topic_count_with_internal() const { return static_cast<int32_t>(topics_.size()); }
  int32_t offsets_topic() const { return offsets_topic_; }  // -1 when there is none
  bool is_internal(int32_t topic) const { return topic >= user_topics_; }
  int32_t partition_count(int32_t topic) const { return static_cast<int32_t>(topics_[topic].size()); }
  const std::string& topic_name(int32_t topic) const { return names_[topic]; }
  PartitionState& partition(TopicPartition tp) { return topics_[tp.topic][tp.partition]; }
  const PartitionState& partition(TopicPartition tp) const { return topics_[tp.topic][tp.partition]; }
  std::vector<TopicPartition> all_partitions() const;       // of user topics
  std::vector<TopicPartition> every_partition() const;      // internal ones too

  int32_t broker_count() const { return static_cast<int32_t>(broker_nodes_.size()); }
  NodeId broker_node(int32_t broker_id) const { return broker_nodes_[broker_id]; }

  // The group's __consumer_offsets partition: abs(hash(group.id)) % offsets.topic.num.partitions.
  TopicPartition offsets_partition(const std::string& group_id) const;
  // The group coordinator as the control plane last committed it: the leader of the group's offsets
  // partition, -1 while it is offline or when there are no groups.
  int32_t group_coordinator(const std::string& group_id) const;

  // Observer view of the control plane, kept by the controllers.
  int32_t active_controller = -1;  // node id of the active controller, -1 while there is none
  std::vector<bool> broker_alive;  // per broker id, as the controller sees it (registered and not fenced)

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<PartitionState>> topics_;
  std::vector<NodeId> broker_nodes_;
  int32_t user_topics_ = 0;
  int32_t offsets_topic_ = -1;
};

}  // namespace kafkasim
