// The sticky computation shared by the sticky and cooperative-sticky assignors (Kafka's AbstractStickyAssignor),
// exposed with the bookkeeping Kafka's own tests look at.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "group/assignor.h"

namespace kafkasim {

struct StickyAssignResult {
  // The full sticky assignment (what StickyAssignor returns; cooperative-sticky then holds back moved partitions).
  Assignment assignment;
  // True when every member has the same subscription: Kafka's "constrained" fast path (ConstrainedAssignmentBuilder);
  // otherwise the general path (GeneralAssignmentBuilder).
  bool all_subscriptions_equal = false;
  // partitionsTransferringOwnership, partition -> its new owner: computed by the constrained path (partitions taken
  // from an owner over its quota, or claimed by two members of one generation); nullopt on the general path, where
  // Kafka sets it to null and cooperative-sticky recomputes it from the owned partitions.
  std::optional<std::map<std::pair<std::string, int32_t>, std::string>> partitions_transferring_ownership;
};

// AbstractStickyAssignor.assignPartitions without racks. Same input contract as Assignor::assign.
StickyAssignResult sticky_assign(const std::map<std::string, int32_t>& partitions_per_topic,
                                 const std::vector<AssignorMember>& members);

}  // namespace kafkasim
