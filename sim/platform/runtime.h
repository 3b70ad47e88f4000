// The one layer that owns SimGrid: builds the platform (a host per process on a star network, a disk host
// per broker), runs each Node as an actor whose loop turns SimGrid activities into Node callbacks, and
// carries messages between mailboxes. Nothing outside platform/ includes SimGrid.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/ids.h"
#include "protocol/node.h"
#include "scenario/scenario.h"

namespace kafkasim {

class EventLog;

struct NodeSpec {
  std::string name;   // host name, e.g. "broker-0", "producer:p0"
  Node* node = nullptr;
  bool has_disk = false;
  double disk_bandwidth_Bps = 0;
};

class Runtime {
 public:
  // Creates the SimGrid engine; SimGrid's own --cfg/--log arguments are consumed from argv.
  Runtime(int* argc, char** argv);
  ~Runtime();

  // Which network model is used, for the results.
  static const char* network_model_description();

  NodeId add_node(NodeSpec spec);  // before build()
  void build(const NetworkSpec& network, EventLog& events);

  // Runs the simulation until `end`; `on_tick(now)` is called from a timeline actor every `tick` of
  // simulated time (for metrics and progress), and at `end`.
  void run(SimTime end, SimTime tick, const std::function<void(SimTime)>& on_tick);

  static SimTime now();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kafkasim
