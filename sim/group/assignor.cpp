#include "group/assignor.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "group/assignor_impl.h"
#include "group/member_order.h"

namespace kafkasim {

Assignor::~Assignor() = default;

std::unique_ptr<Assignor> make_assignor(std::string_view name) {
  using namespace assignor_detail;
  if (name == "range") return std::make_unique<RangeAssignor>();
  if (name == "roundrobin") return std::make_unique<RoundRobinAssignor>();
  if (name == "sticky") return std::make_unique<StickyAssignor>();
  if (name == "cooperative-sticky") return std::make_unique<CooperativeStickyAssignor>();
  return nullptr;
}

const std::vector<std::string>& assignor_names() {
  static const std::vector<std::string> names = {"range", "roundrobin", "sticky", "cooperative-sticky"};
  return names;
}

const std::vector<std::string>& default_assignment_strategies() {
  static const std::vector<std::string> strategies = {"range", "cooperative-sticky"};
  return strategies;
}

namespace assignor_detail {

CleanInput clean_input(const std::map<std::string, int32_t>& partitions_per_topic,
                       const std::vector<AssignorMember>& members) {
  CleanInput in;
  std::set<std::string> ids;
  std::set<std::string> subscribed;
  for (const auto& m : members) {
    if (!ids.insert(m.member_id).second)
      throw std::invalid_argument("two group members have the member id '" + m.member_id + "'");
    subscribed.insert(m.topics.begin(), m.topics.end());
  }
  for (const auto& [topic, count] : partitions_per_topic)
    if (count > 0 && subscribed.count(topic)) in.partitions_per_topic.emplace(topic, count);

  in.members.reserve(members.size());
  for (const auto& m : members) {
    AssignorMember c = m;
    c.topics.clear();
    std::set<std::string> seen_topics;
    for (const auto& t : m.topics)
      if (seen_topics.insert(t).second) c.topics.push_back(t);
    c.owned_partitions.clear();
    std::set<std::pair<std::string, int32_t>> seen_owned;
    for (const auto& tp : m.owned_partitions) {
      auto it = partitions_per_topic.find(tp.first);
      const bool out_of_range = it != partitions_per_topic.end() && (tp.second < 0 || tp.second >= it->second);
      if (!out_of_range && seen_owned.insert(tp).second) c.owned_partitions.push_back(tp);
    }
    in.members.push_back(std::move(c));
  }
  return in;
}

Assignment empty_assignment(const std::vector<AssignorMember>& members) {
  Assignment assignment;
  for (const auto& m : members) assignment[m.member_id];
  return assignment;
}

void sort_partitions(Assignment& assignment) {
  for (auto& [member, partitions] : assignment) {
    std::sort(partitions.begin(), partitions.end(), [](const auto& a, const auto& b) {
      const int c = java_string_compare(a.first, b.first);
      return c != 0 ? c < 0 : a.second < b.second;
    });
  }
}

}  // namespace assignor_detail
}  // namespace kafkasim
