// events.jsonl in memory: a closed set of event types (results/README.md), each with its own fields, held as a
// std::variant so code that handles events is checked for exhaustiveness by std::visit. Types this viewer does not
// know yet are kept as UnknownEvent with their raw JSON so they still show in the event list.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <variant>
#include <vector>

#include "results/load_problem.h"

namespace kafkasim::viewer {

using BrokerId = int;  // kafkasim broker ids are 0 .. brokers-1; host names are "broker-<id>"

struct PartitionAssignment {
  int partition = 0;
  QList<BrokerId> replicas;
  BrokerId leader = -1;
};

struct RunStarted { QString scenario; qint64 seed = 0; double durationS = 0; int brokers = 0; };
struct TopicCreated { QString topic; QList<PartitionAssignment> partitions; };
struct BrokerStarted { BrokerId broker = -1; int replicas = 0; int leaders = 0; };
struct ProducerStarted { QString producer, topic, acks; bool idempotence = false; };
struct ProducerFinished { QString producer; qint64 records = 0; };
struct ConsumerStarted { QString consumer, group; int partitions = -1; };
struct BatchFailed {
  QString producer, topic;
  int partition = -1;
  qint64 records = 0, firstSequence = -1;
  int attempts = 0;
  QString error;
};
struct CommitFailed { QString consumer, error; };
struct RunFinished {};
// fault_started / fault_healed
struct FaultEvent { QString fault, target, description; };
// broker_crashed / broker_power_lost / broker_restarted / broker_fenced / broker_unfenced
struct BrokerEvent { BrokerId broker = -1; };
struct ControllerElected { QString controller; int epoch = -1; };
struct LeaderElected {
  QString topic;
  int partition = -1;
  BrokerId leader = -1;  // -1: no leader, the partition is offline
  int leaderEpoch = -1;
  QList<BrokerId> isr;
  bool unclean = false;
};
struct IsrChanged { QString topic; int partition = -1; QList<BrokerId> isr; };
struct LogTruncated { BrokerId broker = -1; QString topic; int partition = -1; qint64 toOffset = 0, records = 0; };
struct RebalanceStarted { QString group; int generation = -1; QString reason; };
struct GroupMemberAssignment {
  QString member;
  QStringList assignment;  // "topic/partition"
  friend bool operator==(const GroupMemberAssignment&, const GroupMemberAssignment&) = default;
};
struct RebalanceCompleted { QString group; int generation = -1; QString protocol; QList<GroupMemberAssignment> members; };
// member_joined / member_left
struct MemberEvent { QString group, member, reason; };
// settle_started: load stops and faults are healed until `until`, so that liveness can be checked (kafkasim
// writes it after the scenario's duration when the scenario has a "settle" period).
struct SettleStarted { double untilS = 0; };
struct UnknownEvent { QByteArray json; };

enum class EventType {
  run_started, topic_created, broker_started, producer_started, producer_finished, consumer_started,
  batch_failed, commit_failed, run_finished,
  fault_started, fault_healed,
  broker_crashed, broker_power_lost, broker_restarted, broker_fenced, broker_unfenced,
  controller_elected, leader_elected, isr_changed, log_truncated,
  rebalance_started, rebalance_completed, member_joined, member_left,
  settle_started,
  unknown,
};

// The type's name as written in events.jsonl ("leader_elected"); "unknown" for EventType::unknown.
QString eventTypeName(EventType type);
// EventType::unknown when the name is not one of the types above.
EventType eventTypeFromName(QStringView name);
QList<EventType> allKnownEventTypes();

using EventPayload =
    std::variant<RunStarted, TopicCreated, BrokerStarted, ProducerStarted, ProducerFinished, ConsumerStarted,
                 BatchFailed, CommitFailed, RunFinished, FaultEvent, BrokerEvent, ControllerElected, LeaderElected,
                 IsrChanged, LogTruncated, RebalanceStarted, RebalanceCompleted, MemberEvent, SettleStarted,
                 UnknownEvent>;

struct Event {
  double timeS = 0;
  EventType type = EventType::unknown;
  QString typeName;  // as written in the file, kept only for EventType::unknown
  EventPayload payload;

  // The type as written in the file: "leader_elected".
  QString name() const { return type == EventType::unknown ? typeName : eventTypeName(type); }
};

// One line of text for the event list and tooltips: "broker-1 crashed", "orders/3: leader broker-2 (epoch 4),
// ISR [2, 0]".
QString describeEvent(const Event& event);
// "broker-3"
QString brokerName(BrokerId broker);

class EventLog {
 public:
  const std::vector<Event>& events() const { return events_; }
  int size() const { return static_cast<int>(events_.size()); }
  bool isEmpty() const { return events_.empty(); }
  const Event& at(int index) const { return events_.at(index); }
  // Index of the first event with time > t (so [0, result) happened at or before t).
  int countAtOrBefore(double t) const;
  double lastTime() const { return events_.empty() ? 0.0 : events_.back().timeS; }

  void append(Event event) { events_.push_back(std::move(event)); }
  void reserve(size_t n) { events_.reserve(n); }
  void sortByTime();  // stable: events at the same time keep their order

 private:
  std::vector<Event> events_;
};

struct EventReadResult {
  EventLog log;
  LoadProblems problems;
};

// Reads events.jsonl. A line that is not a JSON object, has no numeric "t" and string "type", or lacks a field
// its type requires is skipped with a warning naming its line; unknown types are kept.
class EventReader {
 public:
  static EventReadResult readFile(const QString& path);
  // `path` is only used in problem messages.
  static EventReadResult parse(const QByteArray& text, const QString& path);
};

}  // namespace kafkasim::viewer
