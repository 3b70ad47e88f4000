#include "results/event_log.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace kafkasim::viewer {

namespace {

constexpr std::array<std::pair<EventType, const char*>, 24> kTypeNames{{
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
}};

QString brokerList(const QList<BrokerId>& brokers) {
  QStringList parts;
  for (BrokerId b : brokers) parts.append(QString::number(b));
  return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QString partitionName(const QString& topic, int partition) {
  return topic + QLatin1Char('/') + QString::number(partition);
}

// Reads the fields of one event object, remembering the first field that is missing or of the wrong type.
class FieldReader {
 public:
  FieldReader(const QJsonObject& object, QSet<QString>& strings) : object_(object), strings_(strings) {}

  QString string(const char* key) {
    const QJsonValue v = object_.value(QLatin1String(key));
    if (!v.isString()) return fail(key, "a string"), QString();
    return intern(v.toString());
  }
  QString optionalString(const char* key) {
    const QJsonValue v = object_.value(QLatin1String(key));
    return v.isString() ? intern(v.toString()) : QString();
  }
  qint64 integer(const char* key) {
    const QJsonValue v = object_.value(QLatin1String(key));
    if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble())) return fail(key, "an integer"), 0;
    return static_cast<qint64>(v.toDouble());
  }
  double number(const char* key) {
    const QJsonValue v = object_.value(QLatin1String(key));
    if (!v.isDouble()) return fail(key, "a number"), 0.0;
    return v.toDouble();
  }
  bool boolean(const char* key) {
    const QJsonValue v = object_.value(QLatin1String(key));
    if (!v.isBool()) return fail(key, "true or false"), false;
    return v.toBool();
  }
  QList<BrokerId> brokers(const char* key) { return brokersFrom(object_.value(QLatin1String(key)), key); }
  QList<BrokerId> brokersFrom(const QJsonValue& value, const char* key) {
    QList<BrokerId> out;
    if (!value.isArray()) return fail(key, "an array of broker ids"), out;
    for (const QJsonValue& b : value.toArray()) {
      if (!b.isDouble()) return fail(key, "an array of broker ids"), out;
      out.append(b.toInt());
    }
    return out;
  }
  QJsonArray array(const char* key) {
    const QJsonValue v = object_.value(QLatin1String(key));
    if (!v.isArray()) return fail(key, "an array"), QJsonArray();
    return v.toArray();
  }
  QString intern(const QString& s) {
    auto it = strings_.constFind(s);
    if (it != strings_.constEnd()) return *it;
    strings_.insert(s);
    return s;
  }
  void fail(const char* key, const char* expected) {
    if (error_.isEmpty()) {
      error_ = object_.contains(QLatin1String(key))
                   ? QStringLiteral("field \"%1\" should be %2").arg(QLatin1String(key), QLatin1String(expected))
                   : QStringLiteral("field \"%1\" is missing").arg(QLatin1String(key));
    }
  }
  const QString& error() const { return error_; }

 private:
  const QJsonObject& object_;
  QSet<QString>& strings_;
  QString error_;
};

EventPayload readPayload(EventType type, const QJsonObject& object, FieldReader& r, QSet<QString>& strings,
                         const QByteArray& line) {
  auto brokerEvent = [&] { return BrokerEvent{BrokerId(r.integer("broker"))}; };
  auto faultEvent = [&] { return FaultEvent{r.string("fault"), r.string("target"), r.optionalString("description")}; };
  auto memberEvent = [&] { return MemberEvent{r.string("group"), r.string("member"), r.optionalString("reason")}; };
  switch (type) {
    case EventType::run_started:
      return RunStarted{r.optionalString("scenario"), r.integer("seed"), r.number("duration_s"),
                        int(r.integer("brokers"))};
    case EventType::topic_created: {
      TopicCreated e{r.string("topic"), {}};
      for (const QJsonValue& p : r.array("partitions")) {
        const QJsonObject po = p.toObject();
        FieldReader pr(po, strings);
        PartitionAssignment a{int(pr.integer("partition")), pr.brokers("replicas"), BrokerId(pr.integer("leader"))};
        if (!pr.error().isEmpty()) {
          r.fail("partitions", "an array of {partition, replicas, leader}");
          break;
        }
        e.partitions.append(std::move(a));
      }
      return e;
    }
    case EventType::broker_started:
      return BrokerStarted{BrokerId(r.integer("broker")), int(object.value(QLatin1String("replicas")).toInt()),
                           int(object.value(QLatin1String("leaders")).toInt())};
    case EventType::producer_started: {
      // acks is written as a string ("1", "all") but accept a number too.
      const QJsonValue acks = object.value(QLatin1String("acks"));
      return ProducerStarted{r.string("producer"), r.optionalString("topic"),
                             acks.isDouble() ? QString::number(acks.toInt()) : r.optionalString("acks"),
                             object.value(QLatin1String("idempotence")).toBool()};
    }
    case EventType::producer_finished:
      return ProducerFinished{r.string("producer"), object.value(QLatin1String("records")).toInteger()};
    case EventType::consumer_started: {
      // partitions: a count today; a list of "topic/partition" would be counted.
      const QJsonValue p = object.value(QLatin1String("partitions"));
      const int count = p.isDouble() ? p.toInt() : p.isArray() ? int(p.toArray().size()) : -1;
      return ConsumerStarted{r.string("consumer"), r.optionalString("group"), count};
    }
    case EventType::batch_failed:
      return BatchFailed{r.string("producer"),
                         r.string("topic"),
                         int(r.integer("partition")),
                         object.value(QLatin1String("records")).toInteger(),
                         object.value(QLatin1String("first_sequence")).toInteger(-1),
                         object.value(QLatin1String("attempts")).toInt(),
                         r.string("error")};
    case EventType::commit_failed: return CommitFailed{r.string("consumer"), r.string("error")};
    case EventType::run_finished: return RunFinished{};
    case EventType::fault_started:
    case EventType::fault_healed: return faultEvent();
    case EventType::broker_crashed:
    case EventType::broker_power_lost:
    case EventType::broker_restarted:
    case EventType::broker_fenced:
    case EventType::broker_unfenced: return brokerEvent();
    case EventType::controller_elected:
      return ControllerElected{r.string("controller"), int(object.value(QLatin1String("epoch")).toInt(-1))};
    case EventType::leader_elected:
      return LeaderElected{r.string("topic"),
                           int(r.integer("partition")),
                           BrokerId(r.integer("leader")),
                           int(object.value(QLatin1String("leader_epoch")).toInt(-1)),
                           r.brokers("isr"),
                           object.value(QLatin1String("unclean")).toBool()};
    case EventType::isr_changed:
      return IsrChanged{r.string("topic"), int(r.integer("partition")), r.brokers("isr")};
    case EventType::log_truncated:
      return LogTruncated{BrokerId(r.integer("broker")), r.string("topic"), int(r.integer("partition")),
                          object.value(QLatin1String("to_offset")).toInteger(),
                          object.value(QLatin1String("records")).toInteger()};
    case EventType::rebalance_started:
      return RebalanceStarted{r.string("group"), int(object.value(QLatin1String("generation")).toInt(-1)),
                              r.optionalString("reason")};
    case EventType::rebalance_completed: {
      RebalanceCompleted e{r.string("group"), int(object.value(QLatin1String("generation")).toInt(-1)),
                           r.optionalString("protocol"), {}};
      for (const QJsonValue& m : r.array("members")) {
        const QJsonObject mo = m.toObject();
        FieldReader mr(mo, strings);
        GroupMemberAssignment a{mr.string("member"), {}};
        for (const QJsonValue& tp : mr.array("assignment")) a.assignment.append(mr.intern(tp.toString()));
        if (!mr.error().isEmpty()) {
          r.fail("members", "an array of {member, assignment}");
          break;
        }
        e.members.append(std::move(a));
      }
      return e;
    }
    case EventType::member_joined:
    case EventType::member_left: return memberEvent();
    case EventType::unknown: break;
  }
  return UnknownEvent{line};
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

EventReadResult EventReader::readFile(const QString& path) {
  QFile file(path);
  if (!file.exists()) {
    ProblemCollector problems(path);
    problems.error(QStringLiteral("file not found"));
    return {{}, problems.take()};
  }
  if (!file.open(QIODevice::ReadOnly)) {
    ProblemCollector problems(path);
    problems.error(QStringLiteral("cannot be read: %1").arg(file.errorString()));
    return {{}, problems.take()};
  }
  return parse(file.readAll(), path);
}

EventReadResult EventReader::parse(const QByteArray& text, const QString& path) {
  ProblemCollector problems(path);
  EventLog log;
  QSet<QString> strings;
  const char* p = text.constData();
  const char* const end = p + text.size();
  log.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '\n') + 1));
  int lineNumber = 0;
  bool outOfOrder = false;
  double previous = -std::numeric_limits<double>::infinity();
  while (p < end) {
    const char* nl = static_cast<const char*>(memchr(p, '\n', end - p));
    const char* lineEnd = nl ? nl : end;
    const QByteArray line = QByteArray::fromRawData(p, lineEnd - p).trimmed();
    p = nl ? nl + 1 : end;
    ++lineNumber;
    if (line.isEmpty()) continue;

    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError) {
      problems.warning(QStringLiteral("not valid JSON (%1 at character %2); line skipped")
                           .arg(error.errorString())
                           .arg(error.offset + 1),
                       lineNumber);
      continue;
    }
    if (!doc.isObject()) {
      problems.warning(QStringLiteral("expected a JSON object like {\"t\": 1.5, \"type\": \"...\"}; line skipped"),
                       lineNumber);
      continue;
    }
    const QJsonObject object = doc.object();
    const QJsonValue t = object.value(QLatin1String("t"));
    const QJsonValue typeValue = object.value(QLatin1String("type"));
    if (!t.isDouble() || !std::isfinite(t.toDouble()) || t.toDouble() < 0) {
      problems.warning(QStringLiteral("field \"t\" (simulated seconds) is missing or not a number >= 0; line skipped"),
                       lineNumber);
      continue;
    }
    if (!typeValue.isString()) {
      problems.warning(QStringLiteral("field \"type\" is missing or not a string; line skipped"), lineNumber);
      continue;
    }
    Event event;
    event.timeS = t.toDouble();
    event.typeName = typeValue.toString();
    event.type = eventTypeFromName(event.typeName);
    FieldReader reader(object, strings);
    event.payload = readPayload(event.type, object, reader, strings, QByteArray(line.constData(), line.size()));
    if (!reader.error().isEmpty()) {
      problems.warning(QStringLiteral("%1 event: %2; line skipped").arg(event.typeName, reader.error()), lineNumber);
      continue;
    }
    if (event.type != EventType::unknown) event.typeName = QString();  // eventTypeName() gives it; saves memory
    if (event.timeS < previous) outOfOrder = true;
    previous = std::max(previous, event.timeS);
    log.append(std::move(event));
  }
  if (outOfOrder) {
    problems.warning(QStringLiteral("events are not in time order; they were sorted"));
    log.sortByTime();
  }
  return {std::move(log), problems.take()};
}

}  // namespace kafkasim::viewer
