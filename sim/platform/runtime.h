// The one layer that owns SimGrid: builds the platform (a host per process on a star network, a disk host
// per broker) and runs the Nodes from one event loop: timers, small messages and the timeline are its own
// events; transfers of more than a few kilobytes and disk writes are SimGrid activities it waits on. Messages
// travel through the network's current conditions (faults). Nothing outside platform/ includes SimGrid.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/ids.h"
#include "faults/network_conditions.h"
#include "protocol/node.h"
#include "scenario/scenario.h"

namespace kafkasim {

class EventLog;

struct NodeSpec {
  std::string name;  // unique; the host's name unless the node shares another node's host
  Node* node = nullptr;
  bool has_disk = false;
  double disk_bandwidth_Bps = 0;
  int32_t host_of = -1;  // index of the node whose host this one runs on (a second process on a machine)
  double dirty_limit_bytes = 0;  // page cache for appends not yet written back (0: every append waits for the disk)
};

// Something to do at a simulated time, from the timeline (fault injection, metrics).
struct TimelineAction {
  SimTime at = 0;
  std::function<void(SimTime)> run;
};

class Runtime {
 public:
  // Creates the SimGrid engine; SimGrid's own --cfg/--log arguments are consumed from argv.
  Runtime(int* argc, char** argv, uint64_t seed);
  ~Runtime();

  static const char* network_model_description();

  NodeId add_node(NodeSpec spec);  // before build()
  void build(const NetworkSpec& network, EventLog& events);

  // Runs until `end`. `actions` run at their times (ties in the given order), before the nodes' events then.
  void run(SimTime end, std::vector<TimelineAction> actions);

  // Fault hooks, called from timeline actions (never from a node's handler); they take effect at once. A host
  // is a node name that owns a host. A crash resets the process's connections: messages on their way to it are
  // not read, even by a restarted process; a power loss also stops its transfers and disk write.
  std::vector<std::string> host_names() const;
  const std::string& host_of_node(NodeId node) const;
  bool host_exists(const std::string& host) const;
  void crash_host(const std::string& host, bool power_loss);
  void restart_host(const std::string& host);
  void poke(NodeId node);  // Node::on_poke, now
  bool host_up(const std::string& host) const;
  void set_disk_factor(const std::string& host, double factor);  // 1 = nominal bandwidth
  NetworkConditions& network() { return network_; }
  void apply_bandwidth(const std::string& host);  // after changing a host's bandwidth factor

  static SimTime now();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  NetworkConditions network_;
};

}  // namespace kafkasim
