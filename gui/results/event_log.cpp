#include "results/event_log.h"


#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace kafkasim::viewer {

namespace {

constexpr std::array<std::pair<EventType, const char*>, 25> kTypeNames{{
    {EventType::run_started, "run_started"},
    {EventType::topic_created, "topic_created"},
    {EventType::broker_started, "broker_started"},
    {EventType::producer_started, "producer_started"},
    {EventType::producer_finished, "producer_finished"},
    {EventType::consumer_started, "consumer_started"},
    {EventType::batch_failed, "batch_failed"},
    {EventType::commit_failed, "commit_failed"},
    {EventType::run_finished, "run_finished"},
    {EventType::fault_started, "fault_started"},
    {EventType::fault_healed, "fault_healed"},
    {EventType::broker_crashed, "broker_crashed"},
    {EventType::broker_power_lost, "broker_power_lost"},
    {EventType::broker_restarted, "broker_restarted"},
    {EventType::broker_fenced, "broker_fenced"},
    {EventType::broker_unfenced, "broker_unfenced"},
    {EventType::controller_elected, "controller_elected"},
    {EventType::leader_elected, "leader_elected"},
    {EventType::isr_changed, "isr_changed"},
    {EventType::log_truncated, "log_truncated"},
    {EventType::rebalance_started, "rebalance_started"},
    {EventType::rebalance_completed, "rebalance_completed"},
    {EventType::member_joined, "member_joined"},
    {EventType::member_left, "member_left"},
    {EventType::settle_started, "settle_started"},
}};

QString brokerList(const QList<BrokerId>& brokers) {
  QStringList parts;
  for (BrokerId b : brokers) parts.append(QString::number(b));
  return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QString partitionName(const QString& topic, int partition) {
  return topic + QLatin1Char('/') + QString::number(partition);
}

}  // namespace

QString eventTypeName(EventType type) {
  for (const auto& [t, name] : kTypeNames)
    if (t == type) return QLatin1String(name);
  return QStringLiteral("unknown");
}

EventType eventTypeFromName(QStringView name) {
  for (const auto& [t, n] : kTypeNames)
    if (name == QLatin1String(n)) return t;
  return EventType::unknown;
}

QList<EventType> allKnownEventTypes() {
  QList<EventType> out;
  for (const auto& [t, name] : kTypeNames) out.append(t);
  return out;
}

QString brokerName(BrokerId broker) { return QStringLiteral("broker-%1").arg(broker); }

namespace {
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;
}  // namespace

QString describeEvent(const Event& event) {
  const EventType type = event.type;
  return std::visit(
      Overloaded{
          [](const RunStarted& e) {
            return QStringLiteral("run of %1 started: seed %2, %3 s, %4 brokers")
                .arg(e.scenario)
                .arg(e.seed)
                .arg(e.durationS)
                .arg(e.brokers);
          },
          [](const TopicCreated& e) {
            return QStringLiteral("topic %1 created with %2 partitions").arg(e.topic).arg(e.partitions.size());
          },
          [](const BrokerStarted& e) {
            return QStringLiteral("%1 started: %2 replicas, %3 leaders")
                .arg(brokerName(e.broker))
                .arg(e.replicas)
                .arg(e.leaders);
          },
          [](const ProducerStarted& e) {
            return QStringLiteral("producer %1 started on %2 (acks=%3, idempotence %4)")
                .arg(e.producer, e.topic, e.acks, e.idempotence ? QStringLiteral("on") : QStringLiteral("off"));
          },
          [](const ProducerFinished& e) {
            return QStringLiteral("producer %1 finished after %2 records").arg(e.producer).arg(e.records);
          },
          [](const ConsumerStarted& e) {
            QString s = QStringLiteral("consumer %1 started").arg(e.consumer);
            if (!e.group.isEmpty()) s += QStringLiteral(" in group %1").arg(e.group);
            if (e.partitions >= 0) s += QStringLiteral(" (%1 partitions)").arg(e.partitions);
            return s;
          },
          [](const BatchFailed& e) {
            return QStringLiteral("producer %1: batch of %2 records to %3 failed after %4 attempts: %5")
                .arg(e.producer)
                .arg(e.records)
                .arg(partitionName(e.topic, e.partition))
                .arg(e.attempts)
                .arg(e.error);
          },
          [](const CommitFailed& e) { return QStringLiteral("consumer %1: commit failed: %2").arg(e.consumer, e.error); },
          [](const RunFinished&) { return QStringLiteral("run finished"); },
          [type](const FaultEvent& e) {
            QString s = QStringLiteral("%1 %2 on %3")
                            .arg(type == EventType::fault_healed ? QStringLiteral("healed:") : QStringLiteral("fault:"),
                                 e.fault, e.target);
            if (!e.description.isEmpty()) s += QStringLiteral(" — ") + e.description;
            return s;
          },
          [type](const BrokerEvent& e) {
            const char* what = type == EventType::broker_crashed      ? "crashed"
                               : type == EventType::broker_power_lost ? "lost power (unflushed writes lost)"
                               : type == EventType::broker_restarted  ? "restarted"
                               : type == EventType::broker_fenced     ? "fenced by the controller"
                                                                      : "unfenced";
            return brokerName(e.broker) + QLatin1Char(' ') + QLatin1String(what);
          },
          [](const ControllerElected& e) {
            return QStringLiteral("%1 elected active controller (epoch %2)").arg(e.controller).arg(e.epoch);
          },
          [](const LeaderElected& e) {
            const QString p = partitionName(e.topic, e.partition);
            if (e.leader < 0) return QStringLiteral("%1 offline: no eligible leader, ISR %2").arg(p, brokerList(e.isr));
            return QStringLiteral("%1: %2leader %3 (epoch %4), ISR %5")
                .arg(p, e.unclean ? QStringLiteral("UNCLEAN ") : QString(), brokerName(e.leader))
                .arg(e.leaderEpoch)
                .arg(brokerList(e.isr));
          },
          [](const IsrChanged& e) {
            return QStringLiteral("%1: ISR %2").arg(partitionName(e.topic, e.partition), brokerList(e.isr));
          },
          [](const LogTruncated& e) {
            return QStringLiteral("%1 truncated %2 to offset %3 (%4 records removed)")
                .arg(brokerName(e.broker), partitionName(e.topic, e.partition))
                .arg(e.toOffset)
                .arg(e.records);
          },
          [](const RebalanceStarted& e) {
            QString s = QStringLiteral("group %1: rebalance started (generation %2)").arg(e.group).arg(e.generation);
            if (!e.reason.isEmpty()) s += QStringLiteral(": ") + e.reason;
            return s;
          },
          [](const RebalanceCompleted& e) {
            return QStringLiteral("group %1: rebalance completed, generation %2, %3 members")
                .arg(e.group)
                .arg(e.generation)
                .arg(e.members.size());
          },
          [type](const MemberEvent& e) {
            QString s = QStringLiteral("group %1: %2 %3")
                            .arg(e.group, e.member,
                                 type == EventType::member_joined ? QStringLiteral("joined") : QStringLiteral("left"));
            if (!e.reason.isEmpty()) s += QStringLiteral(" (") + e.reason + QLatin1Char(')');
            return s;
          },
          [](const SettleStarted& e) {
            return QStringLiteral("settling until %1 s: no new records, faults healed").arg(e.untilS);
          },
          [](const UnknownEvent& e) { return QString::fromUtf8(e.json); },
      },
      event.payload);
}

int EventLog::countAtOrBefore(double t) const {
  auto it = std::upper_bound(events_.begin(), events_.end(), t,
                             [](double time, const Event& e) { return time < e.timeS; });
  return static_cast<int>(it - events_.begin());
}

void EventLog::sortByTime() {
  std::stable_sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) { return a.timeS < b.timeS; });
}

}  // namespace kafkasim::viewer
