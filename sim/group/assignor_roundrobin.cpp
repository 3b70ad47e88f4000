// RoundRobinAssignor: all subscribed topics sorted, partitions ascending; one circular cursor over the members in
// MemberInfo order, never reset between topics; a member not subscribed to the partition's topic is skipped.
#include <algorithm>
#include <set>

#include "group/assignor_impl.h"
#include "group/member_order.h"

namespace kafkasim::assignor_detail {

Assignment RoundRobinAssignor::assign(const std::map<std::string, int32_t>& partitions_per_topic,
                                      const std::vector<AssignorMember>& members) const {
  const CleanInput in = clean_input(partitions_per_topic, members);
  Assignment assignment = empty_assignment(in.members);
  if (in.members.empty()) return assignment;

  std::vector<size_t> sorted = leader_iteration_order(in.members);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](size_t a, size_t b) { return member_info_less(in.members[a], in.members[b]); });
  std::vector<std::set<std::string>> subscribed(in.members.size());
  for (size_t i = 0; i < in.members.size(); ++i)
    subscribed[i].insert(in.members[i].topics.begin(), in.members[i].topics.end());

  // allPartitionsSorted: a TreeSet of every subscribed topic; topics without metadata contribute nothing.
  std::set<std::string, JavaStringLess> topics;
  for (const auto& m : in.members) topics.insert(m.topics.begin(), m.topics.end());

  size_t cursor = 0;  // CircularIterator position in `sorted`
  for (const auto& topic : topics) {
    auto it = in.partitions_per_topic.find(topic);
    if (it == in.partitions_per_topic.end()) continue;
    for (int32_t p = 0; p < it->second; ++p) {
      // The topic comes from some subscription, so this stops within one lap.
      while (!subscribed[sorted[cursor]].count(topic)) cursor = (cursor + 1) % sorted.size();
      assignment[in.members[sorted[cursor]].member_id].emplace_back(topic, p);
      cursor = (cursor + 1) % sorted.size();
    }
  }
  sort_partitions(assignment);
  return assignment;
}

}  // namespace kafkasim::assignor_detail
