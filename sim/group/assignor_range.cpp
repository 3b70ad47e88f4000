// RangeAssignor (no racks): per topic, the subscribed members in MemberInfo order; q = n / c partitions each and
// the first n % c members one more, in contiguous blocks of partition numbers.
#include <algorithm>

#include "group/assignor_impl.h"
#include "group/member_order.h"

namespace kafkasim::assignor_detail {

Assignment RangeAssignor::assign(const std::map<std::string, int32_t>& partitions_per_topic,
                                 const std::vector<AssignorMember>& members) const {
  const CleanInput in = clean_input(partitions_per_topic, members);
  Assignment assignment = empty_assignment(in.members);

  // consumersPerTopic: filled in the leader's (HashMap) order, then Collections.sort, which is stable.
  const std::vector<size_t> leader_order = leader_iteration_order(in.members);
  for (const auto& [topic, num_partitions] : in.partitions_per_topic) {
    std::vector<size_t> consumers;
    for (size_t i : leader_order) {
      const auto& topics = in.members[i].topics;
      if (std::find(topics.begin(), topics.end(), topic) != topics.end()) consumers.push_back(i);
    }
    if (consumers.empty()) continue;
    std::stable_sort(consumers.begin(), consumers.end(),
                     [&](size_t a, size_t b) { return member_info_less(in.members[a], in.members[b]); });
    const auto c = static_cast<int32_t>(consumers.size());
    const int32_t per_consumer = num_partitions / c;
    const int32_t with_extra = num_partitions % c;
    int32_t next = 0;
    for (int32_t i = 0; i < c; ++i) {
      const int32_t length = per_consumer + (i < with_extra ? 1 : 0);
      auto& list = assignment[in.members[consumers[static_cast<size_t>(i)]].member_id];
      for (int32_t p = next; p < next + length; ++p) list.emplace_back(topic, p);
      next += length;
    }
  }
  sort_partitions(assignment);
  return assignment;
}

}  // namespace kafkasim::assignor_detail
