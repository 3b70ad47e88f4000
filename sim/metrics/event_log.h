// The ordered log of significant events (elections, faults, failures, ...), written as JSON lines in
// simulated-time order. Its hash goes into the summary so two runs can be compared at a glance.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace kafkasim {

class EventLog {
 public:
  explicit EventLog(std::ostream* out = nullptr) : out_(out) {}

  // Writes {"t": time, "type": type, ...fields}. Fields keep the order they were given in.
  void emit(SimTime t, const std::string& type, nlohmann::ordered_json fields = nlohmann::ordered_json::object());

  // Called with every event as written (summaries computed from the log while it is written).
  using Observer = std::function<void(const nlohmann::ordered_json& event)>;
  void add_observer(Observer observer) { observers_.push_back(std::move(observer)); }

  uint64_t hash() const { return hash_; }
  uint64_t count() const { return count_; }
  const std::map<std::string, uint64_t>& counts_by_type() const { return counts_; }

 private:
  std::ostream* out_;
  uint64_t hash_ = 0xcbf29ce484222325ULL;
  uint64_t count_ = 0;
  std::map<std::string, uint64_t> counts_;
  std::vector<Observer> observers_;
};

// Fixed formatting for simulated times in outputs: microsecond resolution, no platform-dependent digits.
double round_time(SimTime t);

}  // namespace kafkasim
