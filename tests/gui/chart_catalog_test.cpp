// Which charts and series a run gets, from the fault fixture (every column later issues add) and variants of it.
#include "charts/chart_catalog.h"

#include <gtest/gtest.h>

#include "model/event_marks.h"
#include "test_support.h"

using namespace kafkasim::viewer;
using namespace kafkasim::viewer::test;

namespace {
QStringList names(const ChartSpec& chart) {
  QStringList out;
  for (const SeriesSpec& s : chart.series) out.append(s.name);
  return out;
}

// The fixture run with metrics.csv replaced by `csv`.
std::shared_ptr<RunData> withMetrics(const QByteArray& csv) {
  auto run = std::make_shared<RunData>(*loadRun(faultsRun()));
  run->metrics = std::make_shared<const MetricsTable>(MetricsReader::parse(csv, QStringLiteral("metrics.csv")).table);
  return run;
}

double yAt(const SeriesSpec& s, double t) {
  // The last point at or before t (steps are drawn as two points at the same time).
  double y = std::nan("");
  for (size_t i = 0; i < s.x->size(); ++i)
    if ((*s.x)[i] <= t) y = (*s.y)[i];
  return y;
}
}  // namespace

TEST(ChartCatalog, ThroughputSeriesFromNamedColumns) {
  const auto run = loadRun(faultsRun());
  const ChartSpec chart = ChartCatalog::build(QString::fromLatin1(ChartCatalog::kThroughput), *run);
  EXPECT_EQ(names(chart), (QStringList{"produced", "acknowledged", "consumed", "failed"}));
  ASSERT_EQ(chart.series[0].pointCount(), 20);
  EXPECT_EQ(chart.series[0].source, QStringLiteral("produced_per_s"));
  EXPECT_EQ((*chart.series[0].y)[6], 1007.0);
  EXPECT_EQ((*chart.series[0].x)[6], 7.0);
  EXPECT_EQ((*chart.series[3].y)[5], 100.0);
  EXPECT_TRUE(chart.note.isEmpty());
}

TEST(ChartCatalog, LagPerGroupWithConsumerAndPartitionDetailOnDemand) {
  const auto run = loadRun(faultsRun());
  const QString lag = QString::fromLatin1(ChartCatalog::kLag);
  EXPECT_EQ(names(ChartCatalog::build(lag, *run)), QStringList{"group billing"});
  const auto choices = ChartCatalog::lagDetailChoices(*run);
  ASSERT_EQ(choices.size(), 2);
  EXPECT_EQ(choices[0].second, QStringLiteral("consumers"));
  EXPECT_EQ(choices[1].second, QStringLiteral("partitions:billing"));

  ChartOptions perConsumer;
  perConsumer.lagDetail = choices[0].second;
  const ChartSpec consumers = ChartCatalog::build(lag, *run, perConsumer);
  EXPECT_EQ(names(consumers), (QStringList{"group billing", "c1 (group billing)", "c2 (group billing)"}));
  EXPECT_TRUE(consumers.series[1].thin);

  ChartOptions perPartition;
  perPartition.lagDetail = choices[1].second;
  const ChartSpec partitions = ChartCatalog::build(lag, *run, perPartition);
  EXPECT_EQ(names(partitions), (QStringList{"group billing", "orders/0", "orders/1"}));
  EXPECT_EQ((*partitions.series[0].y)[9], 100.0);  // t = 10
  EXPECT_EQ((*partitions.series[1].y)[9], 50.0);
}

TEST(ChartCatalog, LagColumnsOfAConsumerNamedLikeItsGroup) {
  // kafkasim's columns: consumer_lag:<consumer>, lag:<group>, lag:<group>:<topic>/<p>; here the consumer c1 is
  // alone in a group also called c1, so only the prefix tells the two apart.
  auto run = withMetrics("time_s,consumer_lag:c1,lag:c1,lag:c1:orders/0\n1,5,6,6\n2,7,8,8\n");
  const QString lag = QString::fromLatin1(ChartCatalog::kLag);
  const ChartSpec chart = ChartCatalog::build(lag, *run);
  EXPECT_EQ(names(chart), QStringList{"group c1"});
  EXPECT_EQ((*chart.series[0].y)[1], 8.0);
  const auto choices = ChartCatalog::lagDetailChoices(*run);
  ASSERT_EQ(choices.size(), 2);
  ChartOptions perConsumer;
  perConsumer.lagDetail = choices[0].second;
  const ChartSpec consumers = ChartCatalog::build(lag, *run, perConsumer);
  ASSERT_EQ(consumers.series.size(), 2);
  EXPECT_EQ((*consumers.series[1].y)[1], 7.0);
  ChartOptions perPartition;
  perPartition.lagDetail = choices[1].second;
  EXPECT_EQ(names(ChartCatalog::build(lag, *run, perPartition)), (QStringList{"group c1", "orders/0"}));
}

TEST(ChartCatalog, LagPerConsumerWhenThatIsAllTheMetricsHave) {
  // kafkasim before groups: one lag column per consumer, named like its group.
  const auto run = withMetrics("time_s,lag:c1,lag:c2\n1,5,6\n2,7,8\n");
  const ChartSpec chart = ChartCatalog::build(QString::fromLatin1(ChartCatalog::kLag), *run);
  EXPECT_EQ(names(chart), (QStringList{"c1 (group billing)", "c2 (group billing)"}));
  EXPECT_TRUE(ChartCatalog::lagDetailChoices(*run).isEmpty());
}

TEST(ChartCatalog, LossLatencyAndReplicationFromFutureColumns) {
  const auto run = loadRun(faultsRun());
  const ChartSpec loss = ChartCatalog::build(QString::fromLatin1(ChartCatalog::kLoss), *run);
  EXPECT_EQ(names(loss), (QStringList{"lost", "duplicated"}));
  EXPECT_EQ((*loss.series[0].y)[10], 5.0);  // t = 11
  EXPECT_EQ((*loss.series[1].y)[12], 0.0);  // t = 13
  EXPECT_EQ((*loss.series[1].y)[13], 3.0);  // t = 14

  const ChartSpec latency = ChartCatalog::build(QString::fromLatin1(ChartCatalog::kLatency), *run);
  EXPECT_EQ(names(latency), (QStringList{"p50", "p99"}));
  EXPECT_EQ((*latency.series[1].y)[6], 900.0);

  const ChartSpec replication = ChartCatalog::build(QString::fromLatin1(ChartCatalog::kReplication), *run);
  EXPECT_EQ(names(replication),
            (QStringList{"under-replicated", "offline", "rebalances completed", "groups rebalancing"}));
  EXPECT_EQ(replication.series[0].source, QStringLiteral("under_replicated"));
  EXPECT_EQ((*replication.series[1].y)[13], 1.0);  // offline at t = 14
  const SeriesSpec& rebalances = replication.series[2];
  EXPECT_TRUE(rebalances.step);
  EXPECT_EQ(yAt(rebalances, 3.9), 0.0);
  EXPECT_EQ(yAt(rebalances, 4.0), 1.0);
  EXPECT_EQ(yAt(rebalances, 20.0), 2.0);
  EXPECT_EQ(yAt(replication.series[3], 15.5), 1.0);
  EXPECT_EQ(yAt(replication.series[3], 16.5), 0.0);
}

TEST(ChartCatalog, ReplicationFromEventsWhenMetricsLackIt) {
  const auto run = withMetrics("time_s,produced_per_s\n1,10\n20,10\n");
  const ChartSpec chart = ChartCatalog::build(QString::fromLatin1(ChartCatalog::kReplication), *run);
  ASSERT_GE(chart.series.size(), 2);
  EXPECT_EQ(chart.series[0].source, QStringLiteral("events:under_replicated"));
  EXPECT_EQ(yAt(chart.series[0], 6.9), 0.0);
  EXPECT_EQ(yAt(chart.series[0], 7.0), 1.0);
  EXPECT_EQ(yAt(chart.series[0], 9.1), 2.0);
  EXPECT_EQ(yAt(chart.series[0], 12.6), 1.0);
  EXPECT_EQ(yAt(chart.series[1], 14.2), 1.0);
  EXPECT_EQ(yAt(chart.series[1], 14.6), 0.0);
  EXPECT_EQ(chart.series[0].x->back(), 20.0);  // drawn to the end of the run
}

TEST(ChartCatalog, NotesInsteadOfInventedCurves) {
  auto run = withMetrics("time_s,produced_per_s\n1,10\n2,10\n");
  run->events = std::make_shared<const EventLog>();
  const ChartSpec loss = ChartCatalog::build(QString::fromLatin1(ChartCatalog::kLoss), *run);
  EXPECT_TRUE(loss.series.isEmpty());
  EXPECT_TRUE(loss.note.contains(QStringLiteral("lost 5, duplicated 3"))) << loss.note.toStdString();
  const ChartSpec latency = ChartCatalog::build(QString::fromLatin1(ChartCatalog::kLatency), *run);
  EXPECT_TRUE(latency.series.isEmpty());
  EXPECT_TRUE(latency.note.contains(QStringLiteral("p50 2.5 ms, p99 850 ms, max 1200.5 ms"))) << latency.note.toStdString();
  const ChartSpec replication = ChartCatalog::build(QString::fromLatin1(ChartCatalog::kReplication), *run);
  EXPECT_TRUE(replication.series.isEmpty());
  EXPECT_FALSE(replication.note.isEmpty());
  const ChartSpec lag = ChartCatalog::build(QString::fromLatin1(ChartCatalog::kLag), *run);
  EXPECT_TRUE(lag.series.isEmpty());
  EXPECT_EQ(ChartCatalog::build(*run).size(), 5);
}

TEST(EventMarks, FaultBandsAndKeyEventMarkers) {
  const auto run = loadRun(faultsRun());
  const EventMarks& marks = run->marks;
  ASSERT_EQ(marks.bands().size(), 2);
  EXPECT_EQ(marks.bands()[0].fault, QStringLiteral("crash"));
  EXPECT_EQ(marks.bands()[0].startS, 5.0);
  EXPECT_EQ(marks.bands()[0].endS, 10.0);
  EXPECT_TRUE(marks.bands()[0].healed);
  EXPECT_EQ(marks.bands()[1].target, QStringLiteral("broker-2"));
  EXPECT_EQ(marks.bands()[1].endS, 13.0);
  EXPECT_TRUE(marks.bands()[1].label().startsWith(QStringLiteral("network_partition on broker-2 (8 s – 13 s)")))
      << marks.bands()[1].label().toStdString();
  EXPECT_EQ(marks.markers().size(), 17u);
  const auto [first, last] = marks.markersBetween(9.0, 10.0);
  EXPECT_EQ(last - first, 4);  // fenced, election, heal, restart
  EXPECT_EQ(marks.markers()[first].kind, MarkerKind::fenced);
  EXPECT_EQ(marks.markers()[first + 1].kind, MarkerKind::election);
  EXPECT_EQ(marks.markers()[first + 1].text, QStringLiteral("orders/0: leader broker-1 (epoch 1), ISR [1, 2]"));
}

TEST(EventMarks, SettlePeriodIsAPhaseBand) {
  const auto run = loadRun(faultsRun());
  ASSERT_EQ(run->marks.phases().size(), 1);
  EXPECT_EQ(run->marks.phases()[0].startS, 19.5);
  EXPECT_EQ(run->marks.phases()[0].endS, 20.0);
  EXPECT_EQ(run->marks.phases()[0].label, QStringLiteral("settling until 20 s: no new records, faults healed"));
}

TEST(EventMarks, UnhealedFaultRunsToTheEnd) {
  EventLog log;
  log.append(Event{3, EventType::fault_started, {}, FaultEvent{"disk_slow", "broker-1", ""}});
  const EventMarks marks = EventMarks::fromLog(log, 30);
  ASSERT_EQ(marks.bands().size(), 1);
  EXPECT_EQ(marks.bands()[0].endS, 30.0);
  EXPECT_FALSE(marks.bands()[0].healed);
  EXPECT_TRUE(marks.markers().empty());
}
