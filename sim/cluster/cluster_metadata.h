// Who hosts and leads each partition, and where each broker lives. The control plane owns the truth
// (set once at topic creation until controllers arrive); brokers answer Metadata requests from it.
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
};

class ClusterMetadata {
 public:
  ClusterMetadata(const Scenario& scenario, const std::vector<NodeId>& broker_nodes);

  int32_t topic_count() const { return static_cast<int32_t>(topics_.size()); }
  int32_t partition_count(int32_t topic) const { return static_cast<int32_t>(topics_[topic].size()); }
  const std::string& topic_name(int32_t topic) const { return names_[topic]; }
  PartitionState& partition(TopicPartition tp) { return topics_[tp.topic][tp.partition]; }
  const PartitionState& partition(TopicPartition tp) const { return topics_[tp.topic][tp.partition]; }
  std::vector<TopicPartition> all_partitions() const;

  int32_t broker_count() const { return static_cast<int32_t>(broker_nodes_.size()); }
  NodeId broker_node(int32_t broker_id) const { return broker_nodes_[broker_id]; }

  // The group coordinator: leader of partition abs(hash(group.id)) % offsets.topic.num.partitions of
  // __consumer_offsets, placed like any topic.
  int32_t group_coordinator(const std::string& group_id) const;

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<PartitionState>> topics_;
  std::vector<NodeId> broker_nodes_;
  std::vector<std::vector<int32_t>> offsets_topic_replicas_;
};

}  // namespace kafkasim
