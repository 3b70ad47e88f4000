// What the network does to a message right now: active cuts (partitions, one-way or for one kind of
// traffic only) and degraded hosts (extra latency, lower bandwidth, dropped messages). The fault injector
// changes it; the runtime consults it for every message.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "protocol/messages.h"

namespace kafkasim {

class NetworkConditions {
 public:
  // Hosts in different groups cannot reach each other (one_way: only groups[0] -> groups[1] is cut).
  // Hosts in no group are unaffected. `traffic`: cut only that kind of message.
  int add_cut(const std::vector<std::vector<std::string>>& groups, bool one_way, std::optional<TrafficClass> traffic);
  void remove_cut(int id);
  int add_degradation(const std::string& host, double extra_latency_s, double bandwidth_factor,
                      double drop_probability);
  void remove_degradation(int id);

  bool is_cut(const std::string& from, const std::string& to, TrafficClass traffic) const;
  double extra_latency_s(const std::string& from, const std::string& to) const;
  double drop_probability(const std::string& from, const std::string& to) const;
  double bandwidth_factor(const std::string& host) const;  // product of active degradations, 1 when none
  bool empty() const { return cuts_.empty() && degradations_.empty(); }

 private:
  struct Cut {
    std::map<std::string, size_t> group_of;
    bool one_way = false;
    std::optional<TrafficClass> traffic;
  };
  struct Degradation {
    std::string host;
    double extra_latency_s = 0, bandwidth_factor = 1, drop_probability = 0;
  };
  std::map<int, Cut> cuts_;
  std::map<int, Degradation> degradations_;
  int next_id_ = 1;
};

}  // namespace kafkasim
