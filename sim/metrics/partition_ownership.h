// What a rebalance stops, seen from the consumers: for each group, how long each of its partitions had no
// member consuming it (not yet assigned, revoked for a rebalance, or owned by a crashed process the coordinator
// has not yet removed). Eager rebalances idle every partition of the group; cooperative ones only those that
// move (KIP-429's point); a crash idles its partitions until the session times out.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/time.h"

namespace kafkasim {

class PartitionOwnership {
 public:
  // The partitions of the topics a group subscribes to; counting starts at the group's first assignment.
  void register_group(const std::string& group, const std::vector<TopicPartition>& partitions);
  void on_owned(const std::string& group, const std::vector<TopicPartition>& tps, SimTime now);
  void on_released(const std::string& group, const std::vector<TopicPartition>& tps, SimTime now);
  // Partition-seconds without a consumer, from the group's first assignment to `now`.
  double idle_partition_seconds(const std::string& group, SimTime now) const;

 private:
  struct Partition {
    int owners = 0;
    SimTime idle_since = 0;  // while owners == 0
  };
  struct Group {
    bool started = false;
    double idle_s = 0;  // closed idle periods
    std::map<TopicPartition, Partition> partitions;
  };
  std::map<std::string, Group> groups_;
};

}  // namespace kafkasim
