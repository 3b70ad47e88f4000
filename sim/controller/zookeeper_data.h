// What ZooKeeper holds for a Kafka cluster here: sessions, the ephemeral znodes /brokers/ids/<id> and
// /controller (with Kafka's controller epoch), and the partition-state znodes the controller wrote since the
// start (partitions never written keep the state they were created with). Every ZooKeeper server applies the
// committed transactions to its own copy, so a new ZooKeeper leader takes over the same data.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/ids.h"
#include "protocol/messages.h"

namespace kafkasim {

inline constexpr const char* kControllerPath = "/controller";
std::string broker_path(int32_t broker_id);
// The broker id of a /brokers/ids/<id> path, -1 for another path.
int32_t broker_of_path(const std::string& path);

// A session id: the client's node id in the low 32 bits, its count of sessions so far above them, so a
// client that restarts or lost its session opens a different one (ZooKeeper's session ids are unique).
inline int64_t make_session(NodeId client, int32_t count) {
  return (static_cast<int64_t>(count) << 32) | static_cast<int64_t>(static_cast<uint32_t>(client.value));
}
inline NodeId session_client(int64_t session) { return NodeId{static_cast<int32_t>(session & 0xffffffff)}; }

struct ZkData {
  std::set<int64_t> sessions;
  std::map<std::string, int64_t> ephemerals;  // path -> owning session
  int32_t controller_epoch = 0;                // Kafka's /controller_epoch
  std::map<TopicPartition, PartitionLeaderState> partitions;

  // Applies a committed transaction; returns the watch events it fires (creations and deletions).
  std::vector<ZkWatchEvent> apply(const ZkTxn& txn);
  int64_t owner(const std::string& path) const;  // -1: no such znode
  std::vector<int32_t> registered_brokers() const;
};

}  // namespace kafkasim
