#include "cluster/cluster_metadata.h"

#include <algorithm>

#include "client/partitioner.h"
#include "cluster/replica_assignment.h"
#include "core/random.h"

namespace kafkasim {

ClusterMetadata::ClusterMetadata(const Scenario& scenario, const std::vector<NodeId>& broker_nodes)
    : broker_alive(broker_nodes.size(), true), broker_nodes_(broker_nodes) {
  const int32_t brokers = scenario.cluster.brokers;
  for (const auto& topic : scenario.topics) {
    Rng rng(scenario.seed, "topic-creation:" + topic.name);
    auto assignment = assign_replicas(brokers, topic.partitions, topic.replication_factor, rng);
    std::vector<PartitionState> parts;
    for (auto& replicas : assignment) {
      PartitionState st;
      st.replicas = replicas;
      st.isr = replicas;
      st.leader = replicas.front();
      parts.push_back(std::move(st));
    }
    names_.push_back(topic.name);
    topics_.push_back(std::move(parts));
  }
  user_topics_ = static_cast<int32_t>(topics_.size());
  if (scenario.group_ids().empty()) return;
  Rng rng(scenario.seed, "topic-creation:__consumer_offsets");
  const auto& cfg = scenario.cluster.broker_config;
  int32_t offsets_partitions = cfg.has("offsets.topic.num.partitions")
                                   ? static_cast<int32_t>(cfg.get_int("offsets.topic.num.partitions"))
                                   : 50;
  int32_t offsets_rf = cfg.has("offsets.topic.replication.factor")
                           ? static_cast<int32_t>(cfg.get_int("offsets.topic.replication.factor"))
                           : 3;
  std::vector<PartitionState> parts;
  for (auto& replicas : assign_replicas(brokers, offsets_partitions, std::min(offsets_rf, brokers), rng)) {
    PartitionState st;
    st.replicas = replicas;
    st.isr = replicas;
    st.leader = replicas.front();
    parts.push_back(std::move(st));
  }
  offsets_topic_ = static_cast<int32_t>(topics_.size());
  names_.push_back("__consumer_offsets");
  topics_.push_back(std::move(parts));
}

std::vector<TopicPartition> ClusterMetadata::all_partitions() const {
  std::vector<TopicPartition> out;
  for (int32_t t = 0; t < topic_count(); ++t)
    for (int32_t p = 0; p < partition_count(t); ++p) out.push_back({t, p});
  return out;
}

std::vector<TopicPartition> ClusterMetadata::every_partition() const {
  std::vector<TopicPartition> out;
  for (int32_t t = 0; t < topic_count_with_internal(); ++t)
    for (int32_t p = 0; p < partition_count(t); ++p) out.push_back({t, p});
  return out;
}

TopicPartition ClusterMetadata::offsets_partition(const std::string& group_id) const {
  if (offsets_topic_ < 0) return {-1, -1};
  return {offsets_topic_, coordinator_partition(group_id, partition_count(offsets_topic_))};
}

int32_t ClusterMetadata::group_coordinator(const std::string& group_id) const {
  if (offsets_topic_ < 0) return -1;
  return partition(offsets_partition(group_id)).leader;
}

}  // namespace kafkasim
