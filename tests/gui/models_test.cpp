// The Qt models the views observe, and the loader that fills them.
#include <QDir>
#include <QSignalSpy>
#include <QTest>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include "model/cluster_state_model.h"
#include "model/event_table_model.h"
#include "model/metrics_table_model.h"
#include "model/run_document.h"
#include "model/summary_model.h"
#include "model/time_cursor.h"
#include "test_support.h"

using namespace kafkasim::viewer;
using namespace kafkasim::viewer::test;

TEST(RunLoader, ReadsAGoodRunWithoutProblems) {
  const auto run = loadRun(faultsRun());
  EXPECT_TRUE(run->problems.isEmpty()) << run->problems.value(0).toString().toStdString();
  EXPECT_FALSE(run->isUnusable());
  EXPECT_EQ(run->displayName(), QStringLiteral("faults"));
  EXPECT_EQ(run->endS(), 20.0);
  EXPECT_EQ(run->metrics->rowCount(), 20);
  EXPECT_EQ(run->events->size(), 37);
  EXPECT_EQ(run->cluster.stateAt(9.05).partition(QStringLiteral("orders"), 0)->leader, 1);
}

TEST(RunLoader, ReportsEveryProblemNamingItsFile) {
  const auto run = loadRun(badRun());
  EXPECT_FALSE(run->isUnusable());  // metrics and events partly readable
  EXPECT_TRUE(run->hasErrors());
  EXPECT_TRUE(problemsOf(run->problems, QStringLiteral("summary.json")).contains(QStringLiteral("line 5: not valid JSON")));
  EXPECT_TRUE(problemsOf(run->problems, QStringLiteral("metrics.csv")).contains(QStringLiteral("line 3:")));
  EXPECT_TRUE(problemsOf(run->problems, QStringLiteral("events.jsonl")).contains(QStringLiteral("line 4:")));
  EXPECT_EQ(problemsOf(run->problems, QStringLiteral("scenario.resolved.json")),
            QDir(badRun()).filePath(QStringLiteral("scenario.resolved.json")) + QStringLiteral(": file not found"));
  EXPECT_EQ(run->displayName(), QStringLiteral("bad_run"));
}

TEST(RunLoader, UnusableFolders) {
  const auto missing = loadRun(QStringLiteral("/no/such/folder"));
  EXPECT_TRUE(missing->isUnusable());
  ASSERT_EQ(missing->problems.size(), 1);
  EXPECT_EQ(missing->problems[0].toString(), QStringLiteral("/no/such/folder: folder not found"));

  QTemporaryDir empty;
  const auto notResults = loadRun(empty.path());
  EXPECT_TRUE(notResults->isUnusable());
  EXPECT_TRUE(notResults->problems[0].message.startsWith(QStringLiteral("not a kafkasim results folder")));

  EXPECT_EQ(resultsFolderFor(faultsRun() + QStringLiteral("/summary.json")), QDir(faultsRun()).absolutePath());
  EXPECT_EQ(resultsFolderFor(faultsRun()), QDir(faultsRun()).absolutePath());
  EXPECT_TRUE(resultsFolderFor(badRun() + QStringLiteral("/scenario.resolved.json")).isEmpty());
}

TEST(RunLoader, SurvivesGarbage) {
  QTemporaryDir dir;
  QByteArray garbage;
  for (int i = 0; i < 5000; ++i) garbage.append(char((i * 7919) % 256));
  for (const char* name : {"summary.json", "metrics.csv", "events.jsonl", "scenario.resolved.json"}) {
    QFile f(QDir(dir.path()).filePath(QLatin1String(name)));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(garbage);
  }
  const auto run = loadRun(dir.path());
  EXPECT_TRUE(run->isUnusable());
  EXPECT_GE(run->problems.size(), 4);
}

TEST(MetricsTableModel, ExposesTheTable) {
  MetricsTableModel model;
  QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
  model.setTable(loadRun(faultsRun())->metrics);
  EXPECT_EQ(reset.count(), 1);
  EXPECT_EQ(model.rowCount(), 20);
  EXPECT_EQ(model.columnCount(), 20);
  EXPECT_EQ(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("produced_per_s"));
  EXPECT_EQ(model.index(6, 1).data().toString(), QStringLiteral("1007"));
  EXPECT_EQ(model.index(0, 18).data().toString(), QStringLiteral("2.500"));
  EXPECT_EQ(model.index(6, 1).data(MetricsTableModel::ValueRole).toDouble(), 1007.0);
  model.setTable(nullptr);
  EXPECT_EQ(model.rowCount(), 0);
}

TEST(EventTableModel, RowsAndFilters) {
  EventTableModel model;
  model.setLog(loadRun(faultsRun())->events);
  EXPECT_EQ(model.rowCount(), 37);
  EXPECT_EQ(model.index(13, EventTableModel::TypeColumn).data().toString(), QStringLiteral("broker_crashed"));
  EXPECT_EQ(model.index(13, EventTableModel::DescriptionColumn).data().toString(), QStringLiteral("broker-0 crashed"));
  EXPECT_EQ(model.index(13, 0).data(EventTableModel::TimeRole).toDouble(), 5.0);

  EventFilterModel filter;
  filter.setSourceModel(&model);
  filter.setTypeFilter(QStringLiteral("leader_elected"));
  EXPECT_EQ(filter.rowCount(), 3);
  filter.setTypeFilter(QStringLiteral("key"));
  EXPECT_EQ(filter.rowCount(), 23);
  filter.setTypeFilter(QString());
  filter.setTextFilter(QStringLiteral("broker-0"));
  EXPECT_EQ(filter.rowCount(), 8);
}

TEST(SummaryModel, TwoRunsSideBySide) {
  const auto a = loadRun(faultsRun());
  auto b = std::make_shared<RunData>(*a);
  QJsonObject root = a->summary.root();
  QJsonObject records = root.value(QStringLiteral("records")).toObject();
  records.insert(QStringLiteral("lost"), 0);
  root.insert(QStringLiteral("records"), records);
  root.insert(QStringLiteral("scenario"), QStringLiteral("faults-acks-all"));
  b->summary = RunSummary(root);
  b->scenario.name = QStringLiteral("faults-acks-all");

  SummaryModel model;
  model.setRuns({a});
  EXPECT_EQ(model.columnCount(), 2);
  EXPECT_EQ(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("faults"));
  model.setRuns({a, b});
  EXPECT_EQ(model.columnCount(), 3);
  EXPECT_EQ(model.headerData(2, Qt::Horizontal).toString(), QStringLiteral("B: faults-acks-all"));
  const int lost = model.rowOf(QStringLiteral("records/lost"));
  ASSERT_GE(lost, 0);
  EXPECT_EQ(model.index(lost, 1).data().toString(), QStringLiteral("5"));
  EXPECT_EQ(model.index(lost, 2).data().toString(), QStringLiteral("0"));
  EXPECT_TRUE(model.index(lost, 1).data(Qt::ForegroundRole).isValid());   // worse than B
  EXPECT_FALSE(model.index(lost, 2).data(Qt::ForegroundRole).isValid());
  EXPECT_TRUE(model.index(0, 0).data(SummaryModel::HeadingRole).toBool());
  EXPECT_EQ(model.index(0, 0).data().toString(), QStringLiteral("Run"));
  const int produced = model.rowOf(QStringLiteral("throughput/produced_records_per_s"));
  EXPECT_EQ(model.index(produced, 1).data().toString(), QStringLiteral("1,010.5"));
}

TEST(ClusterStateModel, FollowsTheTime) {
  ClusterStateModel model;
  QSignalSpy changed(&model, &ClusterStateModel::stateChanged);
  model.setRun(loadRun(faultsRun()));
  model.setTime(6.0);
  EXPECT_EQ(model.state().broker(0)->status(), BrokerState::Status::down);
  model.setTime(12.0);
  EXPECT_EQ(model.state().broker(0)->status(), BrokerState::Status::up);
  EXPECT_EQ(model.time(), 12.0);
  EXPECT_GE(changed.count(), 3);
}

TEST(TimeCursor, ClampsZoomsAndPlays) {
  TimeCursor cursor;
  QSignalSpy view(&cursor, &TimeCursor::viewChanged);
  cursor.setExtent(20);
  cursor.setTime(25);
  EXPECT_EQ(cursor.time(), 20.0);
  cursor.setTime(-3);
  EXPECT_EQ(cursor.time(), 0.0);
  cursor.setView(15, 5);
  EXPECT_EQ(cursor.viewStart(), 5.0);
  EXPECT_EQ(cursor.viewEnd(), 15.0);
  EXPECT_TRUE(cursor.isZoomed());
  cursor.setView(-10, 100);
  EXPECT_EQ(cursor.viewStart(), 0.0);
  EXPECT_EQ(cursor.viewEnd(), 20.0);
  EXPECT_GE(view.count(), 3);

  cursor.setSpeed(100);  // 20 s of run in 0.2 s
  QSignalSpy playing(&cursor, &TimeCursor::playingChanged);
  cursor.play();
  EXPECT_TRUE(cursor.isPlaying());
  for (int i = 0; i < 100 && cursor.isPlaying(); ++i) QTest::qWait(20);
  EXPECT_FALSE(cursor.isPlaying());
  EXPECT_EQ(cursor.time(), 20.0);
  EXPECT_EQ(playing.count(), 2);
}

TEST(RunDocument, LoadsOnAWorkerThread) {
  RunDocument document;
  QSignalSpy loaded(&document, &RunDocument::loaded);
  QSignalSpy reset(document.metricsModel(), &QAbstractItemModel::modelReset);
  document.load(faultsRun());
  ASSERT_TRUE(loaded.wait(10000));
  ASSERT_TRUE(document.run());
  EXPECT_EQ(document.eventModel()->rowCount(), 37);
  EXPECT_EQ(document.metricsModel()->rowCount(), 20);
  EXPECT_EQ(reset.count(), 1);
}
