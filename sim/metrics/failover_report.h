// Unavailability after each crash or power loss, read off the event log as it is written: how long until
// every partition the failed node led has a leader again, and, when it was the active controller, until a
// new controller is elected and ready to act. Plain logic, fed one event at a time.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace kafkasim {

class FailoverReport {
 public:
  // Events as EventLog writes them: {"t": ..., "type": ..., fields...}. Reads topic_created, leader_elected,
  // controller_elected, controller_ready and fault_started (kinds crash and power_loss).
  void on_event(const nlohmann::ordered_json& event);

  // One entry per crash or power loss, in fault order; times in seconds after the fault, null if it never
  // happened by the end of the run.
  nlohmann::ordered_json to_json() const;

 private:
  using PartitionKey = std::pair<std::string, int32_t>;  // topic, partition
  struct Entry {
    int64_t fault = -1;
    std::string kind, target, role;
    SimTime at = 0;
    int64_t partitions_led = 0;
    std::map<PartitionKey, bool> led;  // partition -> has a leader again
    int64_t reelected = 0;
    SimTime first_election = -1, last_election = -1;
    bool controller = false;
    SimTime controller_elected = -1, controller_ready = -1;
  };

  std::map<PartitionKey, int32_t> leaders_;  // current leader, -1 offline
  std::string active_controller_;            // host name
  std::vector<Entry> entries_;
};

}  // namespace kafkasim
