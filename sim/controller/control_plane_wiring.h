// Who is who in the control plane: node ids of brokers, of each broker's co-hosted control-plane agent
// (KRaft: the heartbeater; ZooKeeper mode: the broker's ZooKeeper session and controller candidacy), and of
// the quorum (KRaft controllers or ZooKeeper servers).
#pragma once

#include <vector>

#include "core/ids.h"

namespace kafkasim {

struct ControlPlaneWiring {
  std::vector<NodeId> brokers;  // by broker id
  std::vector<NodeId> agents;   // by broker id, on the broker's host
  std::vector<NodeId> quorum;   // KRaft controllers or ZooKeeper servers, by index
};

}  // namespace kafkasim
