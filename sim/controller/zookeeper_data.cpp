#include "controller/zookeeper_data.h"

#include <cstdlib>

namespace kafkasim {
namespace {

const std::string kBrokersPrefix = "/brokers/ids/";

}  // namespace

std::string broker_path(int32_t broker_id) { return kBrokersPrefix + std::to_string(broker_id); }

int32_t broker_of_path(const std::string& path) {
  if (path.compare(0, kBrokersPrefix.size(), kBrokersPrefix) != 0 || path.size() == kBrokersPrefix.size()) return -1;
  for (size_t i = kBrokersPrefix.size(); i < path.size(); ++i)
    if (path[i] < '0' || path[i] > '9') return -1;
  return std::atoi(path.c_str() + kBrokersPrefix.size());
}

std::vector<ZkWatchEvent> ZkData::apply(const ZkTxn& txn) {
  std::vector<ZkWatchEvent> fired;
  switch (txn.kind) {
    case ZkTxn::Kind::new_epoch:
      break;
    case ZkTxn::Kind::create_session:
      sessions.insert(txn.session);
      break;
    case ZkTxn::Kind::close_session:
      sessions.erase(txn.session);
      for (auto it = ephemerals.begin(); it != ephemerals.end();) {
        if (it->second == txn.session) {
          fired.push_back(ZkWatchEvent{it->first, true, txn.session});
          it = ephemerals.erase(it);
        } else {
          ++it;
        }
      }
      break;
    case ZkTxn::Kind::create_ephemeral:
      // The leader checked both when it proposed; a session closed in between loses the create.
      if (sessions.count(txn.session) == 0 || ephemerals.count(txn.path) != 0) break;
      ephemerals[txn.path] = txn.session;
      if (txn.path == kControllerPath) controller_epoch = txn.controller_epoch;
      fired.push_back(ZkWatchEvent{txn.path, false, txn.session});
      break;
    case ZkTxn::Kind::set_partition_states:
      for (const auto& p : txn.partitions) partitions[p.tp] = p;
      break;
  }
  return fired;
}

int64_t ZkData::owner(const std::string& path) const {
  auto it = ephemerals.find(path);
  return it == ephemerals.end() ? -1 : it->second;
}

std::vector<int32_t> ZkData::registered_brokers() const {
  std::vector<int32_t> out;
  for (const auto& [path, session] : ephemerals) {
    int32_t b = broker_of_path(path);
    if (b >= 0) out.push_back(b);
  }
  return out;
}

}  // namespace kafkasim
