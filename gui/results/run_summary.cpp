#include "results/run_summary.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <limits>

namespace kafkasim::viewer {

namespace {

struct KnownKey {
  const char* key;
  const char* label;
  bool higherIsWorse;
};

// Reading order and plain-language labels of the fields results/README.md lists; fields it does not list are
// shown after these under their own names.
const KnownKey kRecordKeys[] = {
    {"produced", "produced", false},
    {"acknowledged", "acknowledged", false},
    {"failed", "failed (producer gave up)", true},
    {"unresolved", "unresolved (no answer by the end)", false},
    {"in_log", "in the final log", false},
    {"consumed", "consumed (first deliveries)", false},
    {"lost", "LOST (acknowledged, not in the final log)", true},
    {"duplicated", "duplicated (extra copies in the log)", true},
    {"above_high_watermark", "acknowledged, above the final high watermark", true},
    {"divergent_offsets", "offsets where replicas hold different records", true},
    {"delivered_twice", "delivered twice", true},
    {"reordered", "reordered", true},
    {"present_unacknowledged", "in the log but never acknowledged", false},
    {"unseen", "in the log, never delivered", true},
};
const KnownKey kLatencyKeys[] = {
    {"p50", "p50", true},   {"p99", "p99", true},   {"p999", "p99.9", true},
    {"max", "max", true},   {"mean", "mean", true}, {"count", "count", false},
};
const KnownKey kThroughputKeys[] = {
    {"produced_records_per_s", "produced (records/s)", false},
    {"acknowledged_records_per_s", "acknowledged (records/s)", false},
    {"consumed_records_per_s", "consumed (records/s)", false},
    {"log_MB_per_s", "log written (MB/s)", false},
};
const KnownKey kProducerKeys[] = {
    {"requests", "requests", false}, {"batches", "batches", false}, {"retries", "retries", true},
    {"records_failed", "records failed", true},
};
const KnownKey kConsumerKeys[] = {
    {"records", "records", false},       {"polls", "polls", false},
    {"commits", "commits", false},       {"commits_failed", "commits failed", true},
    {"lag_at_end", "lag at end", true},  {"busy_s", "busy (s)", false},
};

QVariant scalar(const QJsonValue& v) {
  if (v.isDouble()) {
    const double d = v.toDouble();
    if (d == std::floor(d) && std::abs(d) < 9e15) return QVariant::fromValue<qint64>(static_cast<qint64>(d));
    return d;
  }
  if (v.isBool()) return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
  if (v.isString()) return v.toString();
  return {};
}

template <size_t N>
void addSection(QList<SummaryRow>& rows, const QJsonObject& object, const QString& keyPrefix, const QString& section,
                const QString& labelPrefix, const KnownKey (&known)[N]) {
  QStringList seen;
  for (const KnownKey& k : known) {
    const QString key = QLatin1String(k.key);
    if (!object.contains(key)) continue;
    seen.append(key);
    const QVariant v = scalar(object.value(key));
    if (v.isValid())
      rows.append({keyPrefix + key, section, labelPrefix + QLatin1String(k.label), v, k.higherIsWorse});
  }
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (seen.contains(it.key())) continue;
    const QVariant v = scalar(it.value());
    if (v.isValid()) rows.append({keyPrefix + it.key(), section, labelPrefix + it.key(), v, false});
  }
}

QList<SummaryRow> buildRows(const QJsonObject& root) {
  QList<SummaryRow> rows;
  const QString run = QStringLiteral("Run");
  for (const char* key : {"scenario", "seed", "duration_s", "kafkasim_version"}) {
    const QVariant v = scalar(root.value(QLatin1String(key)));
    if (v.isValid())
      rows.append({QStringLiteral("run/") + QLatin1String(key), run,
                   QString::fromLatin1(key) == QStringLiteral("duration_s") ? QStringLiteral("duration (s)")
                                                                             : QString::fromLatin1(key),
                   v, false});
  }
  addSection(rows, root.value(QLatin1String("records")).toObject(), QStringLiteral("records/"),
             QStringLiteral("Records"), QString(), kRecordKeys);
  addSection(rows, root.value(QLatin1String("latency_ms")).toObject(), QStringLiteral("latency_ms/"),
             QStringLiteral("End-to-end latency (ms)"), QString(), kLatencyKeys);
  addSection(rows, root.value(QLatin1String("throughput")).toObject(), QStringLiteral("throughput/"),
             QStringLiteral("Throughput"), QString(), kThroughputKeys);
  const QVariant rebalances = scalar(root.value(QLatin1String("rebalances")));
  if (rebalances.isValid())
    rows.append({QStringLiteral("rebalances"), QStringLiteral("Consumer groups"),
                 QStringLiteral("rebalances completed"), rebalances, false});

  for (const QJsonValue& pv : root.value(QLatin1String("producers")).toArray()) {
    const QJsonObject p = pv.toObject();
    const QString name = p.value(QLatin1String("name")).toString();
    QJsonObject fields = p;
    fields.remove(QStringLiteral("name"));
    const QJsonObject errors = fields.take(QStringLiteral("errors")).toObject();
    addSection(rows, fields, QStringLiteral("producer/%1/").arg(name), QStringLiteral("Producers"),
               name + QStringLiteral(": "), kProducerKeys);
    for (auto it = errors.begin(); it != errors.end(); ++it)
      rows.append({QStringLiteral("producer/%1/errors/%2").arg(name, it.key()), QStringLiteral("Producers"),
                   QStringLiteral("%1: error %2").arg(name, it.key()), scalar(it.value()), true});
  }
  for (const QJsonValue& cv : root.value(QLatin1String("consumers")).toArray()) {
    QJsonObject c = cv.toObject();
    const QString name = c.take(QStringLiteral("name")).toString();
    const QString group = c.take(QStringLiteral("group")).toString();
    const QString prefix = group.isEmpty() || group == name ? name : QStringLiteral("%1 (%2)").arg(name, group);
    addSection(rows, c, QStringLiteral("consumer/%1/").arg(name), QStringLiteral("Consumers"),
               prefix + QStringLiteral(": "), kConsumerKeys);
  }
  const QJsonObject events = root.value(QLatin1String("events")).toObject();
  if (events.contains(QLatin1String("count")))
    rows.append({QStringLiteral("events/count"), QStringLiteral("Events"), QStringLiteral("events logged"),
                 scalar(events.value(QLatin1String("count"))), false});
  const QJsonObject byType = events.value(QLatin1String("by_type")).toObject();
  for (auto it = byType.begin(); it != byType.end(); ++it)
    rows.append({QStringLiteral("events/by_type/") + it.key(), QStringLiteral("Events"), it.key(),
                 scalar(it.value()), false});
  if (events.contains(QLatin1String("fnv1a64")))
    rows.append({QStringLiteral("events/fnv1a64"), QStringLiteral("Events"),
                 QStringLiteral("event log hash (fnv1a64)"), scalar(events.value(QLatin1String("fnv1a64"))), false});
  return rows;
}

}  // namespace

RunSummary::RunSummary(QJsonObject root) : root_(std::move(root)), rows_(buildRows(root_)) {}

QString RunSummary::scenario() const { return root_.value(QLatin1String("scenario")).toString(); }
qint64 RunSummary::seed() const { return root_.value(QLatin1String("seed")).toInteger(); }
double RunSummary::durationS() const { return root_.value(QLatin1String("duration_s")).toDouble(); }

double RunSummary::number(std::initializer_list<const char*> path) const {
  QJsonValue v = root_;
  for (const char* key : path) v = v.toObject().value(QLatin1String(key));
  return v.isDouble() ? v.toDouble() : std::numeric_limits<double>::quiet_NaN();
}

SummaryReadResult SummaryReader::readFile(const QString& path) {
  QFile file(path);
  ProblemCollector problems(path);
  if (!file.exists()) {
    problems.error(QStringLiteral("file not found"));
    return {{}, problems.take()};
  }
  if (!file.open(QIODevice::ReadOnly)) {
    problems.error(QStringLiteral("cannot be read: %1").arg(file.errorString()));
    return {{}, problems.take()};
  }
  return parse(file.readAll(), path);
}

SummaryReadResult SummaryReader::parse(const QByteArray& text, const QString& path) {
  ProblemCollector problems(path);
  QJsonParseError error;
  const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
  if (error.error != QJsonParseError::NoError) {
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + std::min<qsizetype>(error.offset, text.size()), '\n'));
    problems.error(QStringLiteral("not valid JSON: %1").arg(error.errorString()), line);
    return {{}, problems.take()};
  }
  if (!doc.isObject()) {
    problems.error(QStringLiteral("expected a JSON object with records, latency_ms, throughput, ..."));
    return {{}, problems.take()};
  }
  const QJsonObject root = doc.object();
  for (const char* key : {"records", "latency_ms", "throughput"}) {
    if (!root.value(QLatin1String(key)).isObject())
      problems.warning(QStringLiteral("\"%1\" is missing or not an object").arg(QLatin1String(key)));
  }
  return {RunSummary(root), problems.take()};
}

}  // namespace kafkasim::viewer
