// Internal to sim/group: the concrete assignors behind make_assignor() and the input clean-up they share.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "group/assignor.h"

namespace kafkasim::assignor_detail {

// What AbstractPartitionAssignor.assign(Cluster, ...) hands to the algorithms: the metadata of subscribed topics
// with at least one partition, and members with duplicate topics / owned partitions and non-existent owned
// partitions removed (Kafka's subscriptions come from sets, so they never repeat).
struct CleanInput {
  std::map<std::string, int32_t> partitions_per_topic;
  std::vector<AssignorMember> members;
};

// Throws std::invalid_argument if two members share a member id.
CleanInput clean_input(const std::map<std::string, int32_t>& partitions_per_topic,
                       const std::vector<AssignorMember>& members);

// Every member with an empty list.
Assignment empty_assignment(const std::vector<AssignorMember>& members);

// Sorts each member's partitions by topic (Java order) then partition.
void sort_partitions(Assignment& assignment);

class RangeAssignor final : public Assignor {
 public:
  std::string name() const override { return "range"; }
  Assignment assign(const std::map<std::string, int32_t>& partitions_per_topic,
                    const std::vector<AssignorMember>& members) const override;
};

class RoundRobinAssignor final : public Assignor {
 public:
  std::string name() const override { return "roundrobin"; }
  Assignment assign(const std::map<std::string, int32_t>& partitions_per_topic,
                    const std::vector<AssignorMember>& members) const override;
};

class StickyAssignor final : public Assignor {
 public:
  std::string name() const override { return "sticky"; }
  Assignment assign(const std::map<std::string, int32_t>& partitions_per_topic,
                    const std::vector<AssignorMember>& members) const override;
};

class CooperativeStickyAssignor final : public Assignor {
 public:
  std::string name() const override { return "cooperative-sticky"; }
  Assignment assign(const std::map<std::string, int32_t>& partitions_per_topic,
                    const std::vector<AssignorMember>& members) const override;
};

}  // namespace kafkasim::assignor_detail
