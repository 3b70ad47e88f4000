// The one way faults enter the model. Reads the scenario's timeline, resolves role targets ("the leader of
// orders/0", "the active controller", "the broker hosting the most leaders") when each fault fires, and acts
// through a FaultActuator; the model never special-cases a scenario.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cluster/cluster_metadata.h"
#include "faults/network_conditions.h"
#include "scenario/scenario.h"

namespace kafkasim {

class EventLog;

// What the injector can do to the simulated world (implemented over the runtime; faked in tests).
class FaultActuator {
 public:
  virtual ~FaultActuator() = default;
  virtual bool host_exists(const std::string& host) const = 0;
  virtual std::string host_of_node(int32_t node) const = 0;
  virtual void crash(const std::string& host, bool power_loss) = 0;
  virtual void restart(const std::string& host) = 0;
  virtual NetworkConditions& network() = 0;
  virtual void apply_bandwidth(const std::string& host) = 0;
  virtual void set_disk_factor(const std::string& host, double factor) = 0;
  virtual void pause_consumer(const std::string& consumer, SimTime until) = 0;
  virtual void slow_consumer(const std::string& consumer, double factor) = 0;
  // A clean close() of a consumer (LeaveGroup unless static), and a start of a closed one (a new process).
  virtual void stop_consumer(const std::string& consumer, const std::string& reason) = 0;
  virtual void start_consumer(const std::string& consumer) = 0;
};

struct ScheduledFault {
  SimTime at = 0;
  std::function<void(SimTime)> run;
};

class FaultInjector {
 public:
  FaultInjector(const Scenario& scenario, const ClusterMetadata& metadata, FaultActuator& actuator, EventLog& events);

  // Start and heal actions for the whole timeline, in time order.
  std::vector<ScheduledFault> timeline();
  // Heals everything still active (the settle phase).
  void heal_all(SimTime now);

  // Resolves a target to a host name, or nothing (with the reason) if it names nobody right now.
  std::optional<std::string> resolve(const std::string& target, std::string* why) const;

 private:
  struct Active {
    const FaultSpec* spec = nullptr;
    std::string host;            // crash, power_loss, slow_disk, link_degrade, consumer faults
    int network_id = -1;         // partition, link_degrade
    bool healed = false;
  };
  void start(size_t index, SimTime now);
  void heal(size_t index, SimTime now);

  const Scenario& scenario_;
  const ClusterMetadata& metadata_;
  FaultActuator& actuator_;
  EventLog& events_;
  std::map<size_t, Active> active_;
};

const char* fault_kind_name(FaultSpec::Kind kind);

}  // namespace kafkasim
