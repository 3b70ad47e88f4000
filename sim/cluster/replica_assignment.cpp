#include "cluster/replica_assignment.h"

#include "core/check.h"

namespace kafkasim {
namespace {

int32_t replica_index(int32_t first, int32_t second_replica_shift, int32_t replica, int32_t brokers) {
  int32_t shift = 1 + (second_replica_shift + replica) % (brokers - 1);
  return (first + shift) % brokers;
}

}  // namespace

std::vector<std::vector<int32_t>> assign_replicas(int32_t brokers, int32_t partitions, int32_t replication_factor,
                                                  Rng& rng) {
  KSIM_ASSERT(replication_factor >= 1 && replication_factor <= brokers, "replication factor out of range");
  std::vector<std::vector<int32_t>> out(static_cast<size_t>(partitions));
  auto start_index = static_cast<int32_t>(rng.uniform_below(static_cast<uint64_t>(brokers)));
  auto next_replica_shift = static_cast<int32_t>(rng.uniform_below(static_cast<uint64_t>(brokers)));
  for (int32_t p = 0; p < partitions; ++p) {
    if (p > 0 && p % brokers == 0) ++next_replica_shift;
    int32_t first = (p + start_index) % brokers;
    auto& replicas = out[static_cast<size_t>(p)];
    replicas.push_back(first);
    for (int32_t j = 0; j < replication_factor - 1; ++j)
      replicas.push_back(replica_index(first, next_replica_shift, j, brokers));
  }
  return out;
}

}  // namespace kafkasim
