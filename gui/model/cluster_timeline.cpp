#include "model/cluster_timeline.h"

#include <algorithm>

namespace kafkasim::viewer {

namespace {
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

bool partitionLess(const PartitionState& p, const std::pair<const QString&, int>& key) {
  const int c = QString::compare(p.topic, key.first);
  return c < 0 || (c == 0 && p.partition < key.second);
}
}  // namespace

const PartitionState* ClusterState::partition(const QString& topic, int partition) const {
  const std::pair<const QString&, int> key{topic, partition};
  auto it = std::lower_bound(partitions.cbegin(), partitions.cend(), key, partitionLess);
  if (it == partitions.cend() || it->topic != topic || it->partition != partition) return nullptr;
  return &*it;
}

PartitionState& ClusterState::partitionForUpdate(const QString& topic, int partition) {
  const std::pair<const QString&, int> key{topic, partition};
  auto it = std::lower_bound(partitions.begin(), partitions.end(), key, partitionLess);
  if (it == partitions.end() || it->topic != topic || it->partition != partition) {
    PartitionState p;
    p.topic = topic;
    p.partition = partition;
    it = partitions.insert(it, std::move(p));
  }
  return *it;
}

const GroupState* ClusterState::group(const QString& name) const {
  auto it = std::lower_bound(groups.cbegin(), groups.cend(), name,
                             [](const GroupState& g, const QString& n) { return g.group < n; });
  return it != groups.cend() && it->group == name ? &*it : nullptr;
}

GroupState& ClusterState::groupForUpdate(const QString& name) {
  auto it = std::lower_bound(groups.begin(), groups.end(), name,
                             [](const GroupState& g, const QString& n) { return g.group < n; });
  if (it == groups.end() || it->group != name) {
    GroupState g;
    g.group = name;
    it = groups.insert(it, std::move(g));
  }
  return *it;
}

const BrokerState* ClusterState::broker(BrokerId id) const {
  return id >= 0 && id < brokers.size() ? &brokers[id] : nullptr;
}

BrokerState& ClusterState::brokerForUpdate(BrokerId id) {
  while (brokers.size() <= id) {
    BrokerState b;
    b.id = BrokerId(brokers.size());
    brokers.append(b);
  }
  return brokers[id];
}

int ClusterState::offlineCount() const {
  return int(std::count_if(partitions.begin(), partitions.end(), [](const PartitionState& p) { return p.offline(); }));
}

int ClusterState::underReplicatedCount() const {
  return int(std::count_if(partitions.begin(), partitions.end(),
                           [](const PartitionState& p) { return p.underReplicated(); }));
}

int ClusterState::leaderCount(BrokerId broker) const {
  return int(std::count_if(partitions.begin(), partitions.end(),
                           [broker](const PartitionState& p) { return p.leader == broker; }));
}

void ClusterState::apply(const Event& event) {
  ++eventsApplied;
  const EventType type = event.type;
  std::visit(
      Overloaded{
          [&](const RunStarted& e) {
            for (BrokerId b = 0; b < e.brokers; ++b) brokerForUpdate(b);
          },
          [&](const TopicCreated& e) {
            for (const PartitionAssignment& a : e.partitions) {
              PartitionState& p = partitionForUpdate(e.topic, a.partition);
              p.replicas = a.replicas;
              p.leader = a.leader;
              p.isr = a.replicas;  // a new partition starts with every replica in sync
              p.leaderEpoch = 0;
            }
          },
          [&](const BrokerStarted& e) {
            if (e.broker < 0) return;
            BrokerState& b = brokerForUpdate(e.broker);
            b.started = true;
            b.alive = true;
          },
          [&](const ConsumerStarted& e) {
            GroupState& g = groupForUpdate(e.group.isEmpty() ? e.consumer : e.group);
            if (!g.consumers.contains(e.consumer)) {
              g.consumers.append(e.consumer);
              g.consumerPartitions.append(e.partitions);
            }
          },
          [&](const FaultEvent& e) {
            if (type == EventType::fault_started) {
              faults.append(ActiveFault{e.fault, e.target, e.description, event.timeS});
              return;
            }
            // fault_healed: the oldest fault of that kind on that target ends.
            for (int i = 0; i < faults.size(); ++i) {
              if (faults[i].fault == e.fault && faults[i].target == e.target) {
                faults.removeAt(i);
                return;
              }
            }
          },
          [&](const BrokerEvent& e) {
            if (e.broker < 0) return;
            BrokerState& b = brokerForUpdate(e.broker);
            switch (type) {
              case EventType::broker_crashed:
              case EventType::broker_power_lost: b.alive = false; break;
              case EventType::broker_restarted:
                b.started = true;
                b.alive = true;
                break;
              case EventType::broker_fenced: b.fenced = true; break;
              case EventType::broker_unfenced: b.fenced = false; break;
              default: break;
            }
          },
          [&](const ControllerElected& e) {
            controller = e.controller;
            controllerEpoch = e.epoch;
          },
          [&](const LeaderElected& e) {
            PartitionState& p = partitionForUpdate(e.topic, e.partition);
            p.leader = e.leader;
            if (e.leaderEpoch >= 0) p.leaderEpoch = e.leaderEpoch;
            p.isr = e.isr;
          },
          [&](const IsrChanged& e) { partitionForUpdate(e.topic, e.partition).isr = e.isr; },
          [&](const RebalanceStarted& e) {
            GroupState& g = groupForUpdate(e.group);
            g.rebalancing = true;
            g.lastRebalanceReason = e.reason;
          },
          [&](const RebalanceCompleted& e) {
            GroupState& g = groupForUpdate(e.group);
            g.rebalancing = false;
            g.generation = e.generation;
            g.protocol = e.protocol;
            g.members = e.members;
          },
          [&](const MemberEvent& e) {
            GroupState& g = groupForUpdate(e.group);
            auto it = std::find_if(g.members.begin(), g.members.end(),
                                   [&](const GroupMemberAssignment& m) { return m.member == e.member; });
            if (type == EventType::member_joined) {
              if (it == g.members.end()) g.members.append(GroupMemberAssignment{e.member, {}});
            } else if (it != g.members.end()) {
              g.members.erase(it);
            }
          },
          // Events that do not change the picture.
          [](const ProducerStarted&) {}, [](const ProducerFinished&) {}, [](const BatchFailed&) {},
          [](const CommitFailed&) {}, [](const RunFinished&) {}, [](const LogTruncated&) {},
          [](const SettleStarted&) {},
          [](const UnknownEvent&) {},
      },
      event.payload);
}

ClusterTimeline::ClusterTimeline(std::shared_ptr<const EventLog> log, int checkpointSpacing) : log_(std::move(log)) {
  const int n = log_ ? log_->size() : 0;
  spacing_ = checkpointSpacing > 0 ? checkpointSpacing : std::max(64, n / 256 + 1);
  ClusterState state;
  checkpoints_.push_back(state);
  for (int i = 0; i < n; ++i) {
    state.apply(log_->at(i));
    if ((i + 1) % spacing_ == 0) checkpoints_.push_back(state);  // Qt containers share data until written
  }
}

ClusterState ClusterTimeline::stateAfterEvents(int count) const {
  const int n = log_ ? log_->size() : 0;
  count = std::clamp(count, 0, n);
  const size_t k = std::min(checkpoints_.size() - 1, static_cast<size_t>(count / spacing_));
  ClusterState state = checkpoints_[k];
  for (int i = int(k) * spacing_; i < count; ++i) state.apply(log_->at(i));
  return state;
}

ClusterState ClusterTimeline::stateAt(double timeS) const {
  return stateAfterEvents(log_ ? log_->countAtOrBefore(timeS) : 0);
}

}  // namespace kafkasim::viewer
