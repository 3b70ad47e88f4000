#include "charts/chart_catalog.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace kafkasim::viewer {

namespace {

using Values = std::shared_ptr<const std::vector<double>>;

SeriesSpec columnSeries(const RunData& run, const QString& column, const QString& name, int color) {
  const auto& table = run.metrics;
  const int c = table->column(column);
  SeriesSpec s;
  s.name = name;
  s.source = column;
  s.colorIndex = color;
  // Aliasing shared_ptrs: the series share the table's columns, no copy.
  s.x = Values(table, &table->times());
  s.y = Values(table, &table->values(c));
  return s;
}

// A count that changes at event times, drawn as steps from 0 to the end of the run.
SeriesSpec stepSeries(const QString& name, const QString& source, const std::vector<std::pair<double, double>>& changes,
                      double endS, int color) {
  auto x = std::make_shared<std::vector<double>>();
  auto y = std::make_shared<std::vector<double>>();
  double value = 0;
  x->push_back(0);
  y->push_back(0);
  for (const auto& [t, v] : changes) {
    if (v == value) continue;
    x->push_back(t);
    y->push_back(value);
    x->push_back(t);
    y->push_back(v);
    value = v;
  }
  x->push_back(std::max(endS, x->back()));
  y->push_back(value);
  SeriesSpec s;
  s.name = name;
  s.source = source;
  s.x = std::move(x);
  s.y = std::move(y);
  s.colorIndex = color;
  s.step = true;
  return s;
}

QString number(double v) { return QString::number(v, 'g', 6); }

ChartSpec throughput(const RunData& run) {
  ChartSpec chart{QString::fromLatin1(ChartCatalog::kThroughput), QStringLiteral("Throughput"),
                  QStringLiteral("records/s"), {}, {}, false};
  const struct {
    const char* column;
    const char* name;
  } columns[] = {{"produced_per_s", "produced"},
                 {"acknowledged_per_s", "acknowledged"},
                 {"consumed_per_s", "consumed"},
                 {"failed_per_s", "failed"}};
  int color = 0;
  for (const auto& c : columns) {
    if (run.metrics->hasColumn(QLatin1String(c.column)))
      chart.series.append(columnSeries(run, QLatin1String(c.column), QLatin1String(c.name), color));
    ++color;
  }
  if (chart.series.isEmpty())
    chart.note = QStringLiteral("metrics.csv has no produced_per_s, acknowledged_per_s or consumed_per_s column.");
  return chart;
}

// consumer -> group, from the event log and the summary.
QHash<QString, QString> consumerGroups(const RunData& run) {
  QHash<QString, QString> groupOf;
  for (const Event& e : run.events->events())
    if (const auto* c = std::get_if<ConsumerStarted>(&e.payload)) groupOf.insert(c->consumer, c->group);
  for (const QJsonValue& c : run.summary.root().value(QLatin1String("consumers")).toArray()) {
    const QJsonObject o = c.toObject();
    groupOf.insert(o.value(QLatin1String("name")).toString(), o.value(QLatin1String("group")).toString());
  }
  return groupOf;
}

struct LagColumns {
  QStringList groups;     // lag:<group>
  QStringList consumers;  // consumer_lag:<consumer>, or lag:<consumer> in results of earlier versions
};

// The name after the column's prefix (lag: or consumer_lag:).
QString lagSubject(const QString& column) { return column.mid(column.indexOf(QLatin1Char(':')) + 1); }

// kafkasim writes lag:<group> and consumer_lag:<consumer>. Earlier versions wrote lag:<consumer> only, so
// without consumer_lag: columns, lag:<name> is a group total only when <name> is a group and not a consumer.
LagColumns lagColumns(const RunData& run) {
  const QHash<QString, QString> groupOf = consumerGroups(run);
  QSet<QString> groups;
  for (const QString& g : groupOf) groups.insert(g);
  LagColumns out;
  out.consumers = run.metrics->columnsWithPrefix(QStringLiteral("consumer_lag:"));
  const bool current = !out.consumers.isEmpty();
  for (const QString& column : run.metrics->columnsWithPrefix(QStringLiteral("lag:"))) {
    const QString who = lagSubject(column);
    if (who.contains(QLatin1Char(':'))) continue;  // per partition
    if (current || (groups.contains(who) && !groupOf.contains(who))) out.groups.append(column);
    else out.consumers.append(column);
  }
  return out;
}

ChartSpec lag(const RunData& run, const ChartOptions& options) {
  ChartSpec chart{QString::fromLatin1(ChartCatalog::kLag), QStringLiteral("Consumer lag"), QStringLiteral("records"),
                  {}, {}, true};
  const QHash<QString, QString> groupOf = consumerGroups(run);
  const LagColumns columns = lagColumns(run);
  auto consumerName = [&](const QString& column) {
    const QString who = lagSubject(column);
    const QString group = groupOf.value(who);
    return group.isEmpty() || group == who ? who : QStringLiteral("%1 (group %2)").arg(who, group);
  };
  int color = 0;
  if (!columns.groups.isEmpty()) {
    for (const QString& column : columns.groups)
      chart.series.append(columnSeries(run, column, QStringLiteral("group ") + lagSubject(column), color++));
    if (options.lagDetail == QLatin1String(ChartOptions::kPerConsumer)) {
      int detail = 0;
      for (const QString& column : columns.consumers) {
        SeriesSpec s = columnSeries(run, column, consumerName(column), 100 + detail++);
        s.thin = true;
        chart.series.append(s);
      }
    }
  } else {
    for (const QString& column : columns.consumers)
      chart.series.append(columnSeries(run, column, consumerName(column), color++));
  }
  if (options.lagDetail.startsWith(QLatin1String(ChartOptions::kPartitionsOf))) {
    const QString group = options.lagDetail.mid(int(qstrlen(ChartOptions::kPartitionsOf)));
    const QString prefix = QStringLiteral("lag:%1:").arg(group);
    int detail = 0;
    for (const QString& column : run.metrics->columnsWithPrefix(prefix)) {
      SeriesSpec s = columnSeries(run, column, column.mid(prefix.size()), 100 + detail++);
      s.thin = true;
      chart.series.append(s);
    }
  }
  if (chart.series.isEmpty())
    chart.note = QStringLiteral("metrics.csv has no lag:<group> or consumer_lag:<consumer> columns: no consumer in this run.");
  return chart;
}

ChartSpec loss(const RunData& run) {
  ChartSpec chart{QString::fromLatin1(ChartCatalog::kLoss), QStringLiteral("Records lost and duplicated (cumulative)"),
                  QStringLiteral("records"), {}, {}, true};
  if (run.metrics->hasColumn(QStringLiteral("lost_total")))
    chart.series.append(columnSeries(run, QStringLiteral("lost_total"), QStringLiteral("lost"), 3));
  if (run.metrics->hasColumn(QStringLiteral("duplicated_total")))
    chart.series.append(columnSeries(run, QStringLiteral("duplicated_total"), QStringLiteral("duplicated"), 4));
  if (chart.series.isEmpty()) {
    const double lost = run.summary.number({"records", "lost"});
    const double duplicated = run.summary.number({"records", "duplicated"});
    chart.note = QStringLiteral("Over time: not in this run's metrics.csv (no lost_total / duplicated_total "
                                "columns).");
    if (std::isnan(lost) && std::isnan(duplicated))
      chart.note += QStringLiteral(" The whole-run totals are missing too (summary.json has no records.lost).");
    else
      chart.note += QStringLiteral(" Whole run, from summary.json: lost %1, duplicated %2.")
                        .arg(std::isnan(lost) ? QStringLiteral("?") : number(lost),
                             std::isnan(duplicated) ? QStringLiteral("?") : number(duplicated));
  }
  return chart;
}

ChartSpec latency(const RunData& run) {
  ChartSpec chart{QString::fromLatin1(ChartCatalog::kLatency), QStringLiteral("End-to-end latency"),
                  QStringLiteral("ms"), {}, {}, false};
  int color = 0;
  for (const QString& column : run.metrics->columnNames()) {
    if (!column.contains(QStringLiteral("latency"))) continue;
    QString name = column;
    name.remove(QStringLiteral("latency_ms_")).remove(QStringLiteral("_latency_ms")).remove(QStringLiteral("latency_"));
    chart.series.append(columnSeries(run, column, name, color++));
  }
  if (chart.series.isEmpty()) {
    const double p50 = run.summary.number({"latency_ms", "p50"});
    const double p99 = run.summary.number({"latency_ms", "p99"});
    const double max = run.summary.number({"latency_ms", "max"});
    chart.note = QStringLiteral("Over time: not in this run's metrics.csv (no latency columns).");
    const double count = run.summary.number({"latency_ms", "count"});
    if (count == 0)
      chart.note += QStringLiteral(" No record reached a consumer in this run, so there is no latency to show.");
    else if (!std::isnan(p50))
      chart.note += QStringLiteral(" Whole run, from summary.json: p50 %1 ms, p99 %2 ms, max %3 ms.")
                        .arg(number(p50), number(p99), number(max));
  }
  return chart;
}

// Under-replicated and offline partition counts after each leader_elected / isr_changed event.
void replicationFromEvents(const EventLog& log, std::vector<std::pair<double, double>>& underReplicated,
                           std::vector<std::pair<double, double>>& offline, bool& any) {
  struct P {
    int replicas = 0, isr = 0;
    bool offline = false;
  };
  QHash<QString, P> partitions;
  int under = 0, off = 0;
  any = false;
  auto update = [&](const QString& key, const P& next, double t) {
    P& p = partitions[key];
    under += int(next.isr < next.replicas) - int(p.isr < p.replicas);
    off += int(next.offline) - int(p.offline);
    p = next;
    underReplicated.emplace_back(t, under);
    offline.emplace_back(t, off);
  };
  auto key = [](const QString& topic, int partition) { return topic + QLatin1Char('/') + QString::number(partition); };
  for (const Event& e : log.events()) {
    if (const auto* tc = std::get_if<TopicCreated>(&e.payload)) {
      for (const auto& a : tc->partitions)
        update(key(tc->topic, a.partition), P{int(a.replicas.size()), int(a.replicas.size()), a.leader < 0}, e.timeS);
    } else if (const auto* le = std::get_if<LeaderElected>(&e.payload)) {
      any = true;
      P p = partitions.value(key(le->topic, le->partition));
      p.isr = int(le->isr.size());
      p.offline = le->leader < 0;
      update(key(le->topic, le->partition), p, e.timeS);
    } else if (const auto* ic = std::get_if<IsrChanged>(&e.payload)) {
      any = true;
      P p = partitions.value(key(ic->topic, ic->partition));
      p.isr = int(ic->isr.size());
      update(key(ic->topic, ic->partition), p, e.timeS);
    }
  }
}

ChartSpec replication(const RunData& run) {
  ChartSpec chart{QString::fromLatin1(ChartCatalog::kReplication),
                  QStringLiteral("Partitions under-replicated / offline, rebalances"), QStringLiteral("count"),
                  {}, {}, true};
  const QString under = run.metrics->hasColumn(QStringLiteral("under_replicated"))
                            ? QStringLiteral("under_replicated")
                            : QStringLiteral("under_replicated_partitions");
  const QString offline = run.metrics->hasColumn(QStringLiteral("offline")) ? QStringLiteral("offline")
                                                                              : QStringLiteral("offline_partitions");
  const bool metricsHaveThem = run.metrics->hasColumn(under) || run.metrics->hasColumn(offline);
  if (run.metrics->hasColumn(under))
    chart.series.append(columnSeries(run, under, QStringLiteral("under-replicated"), 2));
  if (run.metrics->hasColumn(offline))
    chart.series.append(columnSeries(run, offline, QStringLiteral("offline"), 3));
  if (!metricsHaveThem) {
    std::vector<std::pair<double, double>> u, o;
    bool any = false;
    replicationFromEvents(*run.events, u, o, any);
    if (any) {
      chart.series.append(stepSeries(QStringLiteral("under-replicated"), QStringLiteral("events:under_replicated"), u,
                                     run.endS(), 2));
      chart.series.append(stepSeries(QStringLiteral("offline"), QStringLiteral("events:offline"), o, run.endS(), 3));
    }
  }
  std::vector<std::pair<double, double>> rebalances;
  std::vector<std::pair<double, double>> rebalancing;
  QSet<QString> inProgress;
  int completed = 0;
  for (const Event& e : run.events->events()) {
    if (const auto* rs = std::get_if<RebalanceStarted>(&e.payload)) {
      inProgress.insert(rs->group);
      rebalancing.emplace_back(e.timeS, inProgress.size());
    } else if (const auto* rc = std::get_if<RebalanceCompleted>(&e.payload)) {
      inProgress.remove(rc->group);
      rebalancing.emplace_back(e.timeS, inProgress.size());
      rebalances.emplace_back(e.timeS, ++completed);
    }
  }
  if (!rebalances.empty() || !rebalancing.empty()) {
    chart.series.append(stepSeries(QStringLiteral("rebalances completed"), QStringLiteral("events:rebalances"),
                                   rebalances, run.endS(), 0));
    chart.series.append(stepSeries(QStringLiteral("groups rebalancing"), QStringLiteral("events:rebalancing"),
                                   rebalancing, run.endS(), 5));
  }
  if (chart.series.isEmpty())
    chart.note = QStringLiteral("Nothing to plot: metrics.csv has no under_replicated / offline columns and the "
                                "event log has no leader, ISR or rebalance events (no faults in this run).");
  return chart;
}

}  // namespace

QStringList ChartCatalog::chartIds() {
  return {QLatin1String(kThroughput), QLatin1String(kLag), QLatin1String(kLoss), QLatin1String(kLatency),
          QLatin1String(kReplication)};
}

ChartSpec ChartCatalog::build(const QString& id, const RunData& run, const ChartOptions& options) {
  if (id == QLatin1String(kThroughput)) return throughput(run);
  if (id == QLatin1String(kLag)) return lag(run, options);
  if (id == QLatin1String(kLoss)) return loss(run);
  if (id == QLatin1String(kLatency)) return latency(run);
  if (id == QLatin1String(kReplication)) return replication(run);
  return {};
}

QList<ChartSpec> ChartCatalog::build(const RunData& run, const ChartOptions& options) {
  QList<ChartSpec> out;
  for (const QString& id : chartIds()) out.append(build(id, run, options));
  return out;
}

QList<std::pair<QString, QString>> ChartCatalog::lagDetailChoices(const RunData& run) {
  QList<std::pair<QString, QString>> choices;
  const LagColumns columns = lagColumns(run);
  if (!columns.groups.isEmpty() && !columns.consumers.isEmpty())
    choices.append({QStringLiteral("per consumer"), QLatin1String(ChartOptions::kPerConsumer)});
  QStringList groups;
  for (const QString& column : run.metrics->columnsWithPrefix(QStringLiteral("lag:"))) {
    const QString rest = column.mid(4);
    const int colon = rest.indexOf(QLatin1Char(':'));
    if (colon > 0 && !groups.contains(rest.left(colon))) groups.append(rest.left(colon));
  }
  for (const QString& g : groups)
    choices.append({QStringLiteral("per partition of group %1").arg(g), QLatin1String(ChartOptions::kPartitionsOf) + g});
  return choices;
}

}  // namespace kafkasim::viewer
