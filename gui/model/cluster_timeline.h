// The cluster at any simulated time, rebuilt from events.jsonl: brokers (up, down, fenced), the active controller,
// each partition's leader, replicas and ISR, each consumer group's members and assignment, and the faults in force.
// stateAt(t) starts from the nearest checkpoint at or before t and replays the few events after it, so moving a
// time slider over a million-event run stays cheap.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "results/event_log.h"

namespace kafkasim::viewer {

struct BrokerState {
  BrokerId id = -1;
  bool started = false;  // broker_started seen
  bool alive = false;    // started and not crashed (or restarted since)
  bool fenced = false;   // fenced by the controller (can be true while down)

  enum class Status { not_started, up, down, fenced };
  Status status() const {
    if (!started) return Status::not_started;
    if (!alive) return Status::down;
    return fenced ? Status::fenced : Status::up;
  }
  friend bool operator==(const BrokerState&, const BrokerState&) = default;
};

struct PartitionState {
  QString topic;
  int partition = -1;
  QList<BrokerId> replicas;
  BrokerId leader = -1;  // -1: offline
  int leaderEpoch = 0;
  QList<BrokerId> isr;

  bool offline() const { return leader < 0; }
  bool underReplicated() const { return isr.size() < replicas.size(); }
  QString name() const { return topic + QLatin1Char('/') + QString::number(partition); }
  friend bool operator==(const PartitionState&, const PartitionState&) = default;
};

struct GroupState {
  QString group;
  int generation = -1;  // -1: no rebalance completed yet
  bool rebalancing = false;
  QString protocol;
  QString lastRebalanceReason;
  QList<GroupMemberAssignment> members;  // from rebalance_completed, member_joined / member_left
  QStringList consumers;                 // consumer_started in this group
  QList<int> consumerPartitions;         // partition count each consumer started with (-1: unknown)
  friend bool operator==(const GroupState&, const GroupState&) = default;
};

struct ActiveFault {
  QString fault, target, description;
  double sinceS = 0;
  friend bool operator==(const ActiveFault&, const ActiveFault&) = default;
};

struct ClusterState {
  int eventsApplied = 0;  // how many events of the log this state includes
  QList<BrokerState> brokers;  // indexed by broker id
  QString controller;          // host name of the active controller; empty until one is elected
  int controllerEpoch = -1;
  QList<PartitionState> partitions;  // sorted by topic, then partition
  QList<GroupState> groups;          // sorted by group
  QList<ActiveFault> faults;         // in the order they started

  const PartitionState* partition(const QString& topic, int partition) const;
  const GroupState* group(const QString& name) const;
  const BrokerState* broker(BrokerId id) const;
  int offlineCount() const;
  int underReplicatedCount() const;
  int leaderCount(BrokerId broker) const;

  // Applies one event (events that do not change the cluster picture are ignored).
  void apply(const Event& event);

  friend bool operator==(const ClusterState&, const ClusterState&) = default;

 private:
  PartitionState& partitionForUpdate(const QString& topic, int partition);
  GroupState& groupForUpdate(const QString& name);
  BrokerState& brokerForUpdate(BrokerId id);
};

class ClusterTimeline {
 public:
  ClusterTimeline() : ClusterTimeline(nullptr) {}
  // `checkpointSpacing`: events between checkpoints; 0 picks one that keeps about 256 checkpoints.
  explicit ClusterTimeline(std::shared_ptr<const EventLog> log, int checkpointSpacing = 0);

  // The cluster after every event with time <= t.
  ClusterState stateAt(double timeS) const;
  // The cluster after the first `count` events.
  ClusterState stateAfterEvents(int count) const;

  int checkpointCount() const { return static_cast<int>(checkpoints_.size()); }
  int checkpointSpacing() const { return spacing_; }
  const EventLog* log() const { return log_.get(); }

 private:
  std::shared_ptr<const EventLog> log_;
  int spacing_ = 1;
  std::vector<ClusterState> checkpoints_;  // checkpoints_[k] = state after k * spacing_ events
};

}  // namespace kafkasim::viewer
