// Makes committed control-plane changes known: updates the shared observer view (ClusterMetadata) and the
// event log, and pushes LeaderAndIsr to the replicas of changed partitions and UpdateMetadata to every live
// broker. Used by whichever node is the active controller (KRaft leader or ZooKeeper-mode controller).
#pragma once

#include <cstdint>
#include <vector>

#include "cluster/cluster_metadata.h"
#include "controller/control_plane_wiring.h"
#include "controller/controller_state.h"
#include "protocol/node.h"

namespace kafkasim {

struct PublishBatch {
  std::vector<PartitionLeaderState> partitions;  // committed new states
  std::vector<int32_t> full_state_brokers;       // (re)joining brokers: LeaderAndIsr with all their replicas
  bool announce = false;  // a new active controller: UpdateMetadata to every live broker, so they learn its id
};

class MetadataPublisher {
 public:
  MetadataPublisher(const ControlPlaneWiring& wiring, ClusterMetadata& metadata);

  // `state` is the committed state after the batch. A partition state whose partition_epoch the observer view
  // already has is not sent again (a new KRaft leader re-commits records its predecessor had published).
  // Events: broker_fenced / broker_unfenced, leader_elected (with the ISR) on a leader change, isr_changed on
  // an ISR-only change.
  void publish(NodeContext& ctx, const ControllerState& state, const PublishBatch& batch, int32_t controller_epoch);

 private:
  const ControlPlaneWiring wiring_;  // a copy: the driver's may not outlive the node
  ClusterMetadata& metadata_;
  int64_t next_request_id_ = 1;
};

}  // namespace kafkasim
