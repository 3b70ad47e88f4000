// The state of a run at one simulated time, as Kafka's admin tools would report it: what `kafkasim describe`
// prints. Filled by the simulation when a run is stopped early (a deterministic replay up to that time).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/time.h"

namespace kafkasim {

struct PartitionSnapshot {
  int32_t partition = 0;
  int32_t leader = -1;  // -1: offline
  std::vector<int32_t> replicas, isr;
  Offset log_end_offset = 0;  // the leader's, 0 while offline
  Offset high_watermark = 0;
};

struct TopicSnapshot {
  std::string name;
  int32_t replication_factor = 0;
  std::vector<std::pair<std::string, std::string>> configs;  // topic-level settings that differ from the broker's
  std::vector<PartitionSnapshot> partitions;
};

struct GroupMemberSnapshot {
  std::string member_id;
  std::string client_id;
  std::string host;
  std::string group_instance_id;  // empty for dynamic members
  std::vector<std::pair<std::string, int32_t>> assignment;  // (topic, partition)
};

struct GroupPartitionSnapshot {
  std::string topic;
  int32_t partition = 0;
  Offset committed = -1;  // -1: nothing committed
  Offset log_end_offset = -1;  // the high watermark, as kafka-consumer-groups reports it; -1: leader unreachable
  std::string member_id, client_id, host;  // the owner in the current assignment; empty if none
};

struct GroupSnapshot {
  std::string group;
  std::string state;  // Empty, PreparingRebalance, CompletingRebalance, Stable, Dead
  int32_t coordinator = -1;  // broker id
  bool coordinator_available = true;  // false: its broker is down, nothing can be described
  int32_t generation = 0;
  std::string protocol;  // the assignor in use
  std::vector<GroupMemberSnapshot> members;
  std::vector<GroupPartitionSnapshot> partitions;
};

struct ClusterSnapshot {
  SimTime at = 0;
  std::string controller;  // name of the active controller, empty while there is none
  std::vector<int32_t> brokers_up;
  std::vector<TopicSnapshot> topics;
  std::vector<GroupSnapshot> groups;
  std::filesystem::path events_file;  // the replay's event log up to `at`, to compare with the run's
};

}  // namespace kafkasim
