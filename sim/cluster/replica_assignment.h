// Kafka's replica placement when a topic is created without explicit assignment
// (AdminUtils.assignReplicasToBrokersRackUnaware): round-robin from a random start, followers shifted.
#pragma once

#include <cstdint>
#include <vector>

#include "core/random.h"

namespace kafkasim {

// replicas[p] lists the broker ids of partition p, preferred leader first.
// REQUIRES 1 <= replication_factor <= brokers
std::vector<std::vector<int32_t>> assign_replicas(int32_t brokers, int32_t partitions, int32_t replication_factor,
                                                  Rng& rng);

}  // namespace kafkasim
