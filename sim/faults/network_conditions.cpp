#include "faults/network_conditions.h"

namespace kafkasim {

int NetworkConditions::add_cut(const std::vector<std::vector<std::string>>& groups, bool one_way,
                               std::optional<TrafficClass> traffic) {
  Cut cut;
  for (size_t g = 0; g < groups.size(); ++g)
    for (const auto& host : groups[g]) cut.group_of.emplace(host, g);  // a host named twice stays in its first group
  cut.one_way = one_way;
  cut.traffic = traffic;
  cuts_.emplace(next_id_, std::move(cut));
  return next_id_++;
}

void NetworkConditions::remove_cut(int id) { cuts_.erase(id); }

int NetworkConditions::add_degradation(const std::string& host, double extra_latency_s, double bandwidth_factor,
                                       double drop_probability) {
  degradations_.emplace(next_id_, Degradation{host, extra_latency_s, bandwidth_factor, drop_probability});
  return next_id_++;
}

void NetworkConditions::remove_degradation(int id) { degradations_.erase(id); }

bool NetworkConditions::is_cut(const std::string& from, const std::string& to, TrafficClass traffic) const {
  for (const auto& [id, cut] : cuts_) {
    if (cut.traffic && *cut.traffic != traffic) continue;
    auto f = cut.group_of.find(from);
    auto t = cut.group_of.find(to);
    if (f == cut.group_of.end() || t == cut.group_of.end() || f->second == t->second) continue;
    if (!cut.one_way || (f->second == 0 && t->second == 1)) return true;
  }
  return false;
}

double NetworkConditions::extra_latency_s(const std::string& from, const std::string& to) const {
  double extra = 0;
  for (const auto& [id, d] : degradations_)
    if (d.host == from || d.host == to) extra += d.extra_latency_s;
  return extra;
}

double NetworkConditions::drop_probability(const std::string& from, const std::string& to) const {
  double keep = 1;
  for (const auto& [id, d] : degradations_)
    if (d.host == from || d.host == to) keep *= 1 - d.drop_probability;
  return 1 - keep;
}

double NetworkConditions::bandwidth_factor(const std::string& host) const {
  double f = 1;
  for (const auto& [id, d] : degradations_)
    if (d.host == host) f *= d.bandwidth_factor;
  return f;
}

}  // namespace kafkasim
