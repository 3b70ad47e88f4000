// Reads a running cluster's state into a ClusterSnapshot: the view `kafkasim describe` prints.
#pragma once

#include <memory>
#include <vector>

#include "run/cluster_snapshot.h"
#include "scenario/scenario.h"

namespace kafkasim {

class Broker;
class ClusterMetadata;
class Consumer;

struct SnapshotSources {
  const Scenario& scenario;
  const ClusterMetadata& metadata;
  const std::vector<std::unique_ptr<Broker>>& brokers;
  const std::vector<std::unique_ptr<Consumer>>& consumers;
};

ClusterSnapshot build_snapshot(SimTime at, const SnapshotSources& sources);

}  // namespace kafkasim
