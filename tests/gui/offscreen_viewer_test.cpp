// The whole viewer, rendered offscreen (QT_QPA_PLATFORM=offscreen) on a real run of scenarios/quickstart.json
// (made by the CTest fixture before these tests) and on the synthetic fixtures: what the charts hold, what the
// cluster picture says, what the window shows for bad input, and running kafkasim from the window.
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QSlider>
#include <QTest>
#include <QFile>
#include <QLabel>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QValueAxis>
#include <gtest/gtest.h>

#include <cmath>

#include "charts/chart_stack.h"
#include "charts/timeline_chart_view.h"
#include "model/run_document.h"
#include "model/summary_model.h"
#include "model/time_cursor.h"
#include "test_support.h"
#include "widgets/cluster_view.h"
#include "widgets/main_window.h"
#include "widgets/run_view.h"
#include "widgets/scenario_runner.h"

using namespace kafkasim::viewer;
using namespace kafkasim::viewer::test;

namespace {

QString quickstartResults() { return QStringLiteral(QUICKSTART_RESULTS); }
QString outputPath(const QString& name) { return QDir(QStringLiteral(VIEWER_TEST_OUTPUT)).filePath(name); }

// metrics.csv read the simplest way, independently of MetricsReader: column name -> values.
QHash<QString, QList<double>> readCsv(const QString& path) {
  QFile f(path);
  EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
  const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
  const QStringList header = lines.value(0).split(QLatin1Char(','));
  QHash<QString, QList<double>> out;
  for (int i = 1; i < lines.size(); ++i) {
    const QStringList cells = lines[i].split(QLatin1Char(','));
    for (int c = 0; c < header.size(); ++c) out[header[c]].append(cells.value(c).toDouble());
  }
  return out;
}

QStringList seriesNames(TimelineChartView* view) {
  QStringList out;
  for (QLineSeries* s : view->lineSeries()) out.append(s->name());
  return out;
}

// Pixels of `image` within `tolerance` of `color`.
int countColor(const QImage& image, const QColor& color, int tolerance = 40) {
  int n = 0;
  for (int y = 0; y < image.height(); ++y) {
    const QRgb* line = reinterpret_cast<const QRgb*>(image.constScanLine(y));
    for (int x = 0; x < image.width(); ++x) {
      const QColor c = QColor::fromRgb(line[x]);
      if (std::abs(c.red() - color.red()) + std::abs(c.green() - color.green()) + std::abs(c.blue() - color.blue()) <
          tolerance)
        ++n;
    }
  }
  return n;
}

std::unique_ptr<MainWindow> openWindow(const QString& folder, const QString& compare = {}) {
  auto window = std::make_unique<MainWindow>();
  window->resize(1600, 1000);
  window->show();
  window->openResultsNow(folder, compare);
  QApplication::processEvents();
  QApplication::processEvents();
  return window;
}

bool waitFor(const std::function<bool()>& condition, int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (!condition() && timer.elapsed() < timeoutMs) QTest::qWait(20);
  return condition();
}

}  // namespace

TEST(OffscreenViewer, QuickstartChartsHoldTheRunsSeriesAndPoints) {
  const auto window = openWindow(quickstartResults());
  ASSERT_EQ(window->page(), MainWindow::Page::run) << window->messageText().toStdString();
  RunView* view = window->runView(0);
  ASSERT_NE(view, nullptr);
  EXPECT_EQ(window->runView(1), nullptr);
  EXPECT_TRUE(view->problemsBanner()->isHidden());
  EXPECT_TRUE(window->windowTitle().startsWith(QStringLiteral("quickstart")));

  const auto csv = readCsv(quickstartResults() + QStringLiteral("/metrics.csv"));
  const QList<double>& times = csv[QStringLiteral("time_s")];
  ASSERT_GT(times.size(), 10);

  TimelineChartView* throughput = view->charts()->chartView(QStringLiteral("throughput"));
  ASSERT_NE(throughput, nullptr);
  EXPECT_TRUE(throughput->isVisible());
  EXPECT_EQ(throughput->chart()->title(), QStringLiteral("Throughput"));
  EXPECT_EQ(seriesNames(throughput), (QStringList{"produced", "acknowledged", "consumed", "failed"}));
  const struct {
    int series;
    const char* column;
  } checks[] = {{0, "produced_per_s"}, {1, "acknowledged_per_s"}, {2, "consumed_per_s"}, {3, "failed_per_s"}};
  for (const auto& check : checks) {
    const QList<QPointF> points = throughput->lineSeries()[check.series]->points();
    const QList<double>& values = csv[QLatin1String(check.column)];
    ASSERT_EQ(points.size(), times.size()) << check.column;  // 30 rows: fewer than the pixels, shown as is
    for (int i = 0; i < points.size(); ++i) {
      ASSERT_DOUBLE_EQ(points[i].x(), times[i]) << check.column << " row " << i;
      ASSERT_DOUBLE_EQ(points[i].y(), values[i]) << check.column << " row " << i;
    }
  }
  // Quickstart produces 5,000 records/s: the y axis must show that, and start at zero.
  EXPECT_EQ(throughput->valueAxis()->min(), 0.0);
  EXPECT_GE(throughput->valueAxis()->max(), 5000.0);
  EXPECT_DOUBLE_EQ(throughput->timeAxis()->min(), 0.0);
  EXPECT_DOUBLE_EQ(throughput->timeAxis()->max(), 30.0);

  TimelineChartView* lag = view->charts()->chartView(QStringLiteral("lag"));
  ASSERT_TRUE(lag->isVisible());
  EXPECT_EQ(seriesNames(lag), QStringList{"group billing"});
  EXPECT_EQ(lag->lineSeries()[0]->count(), times.size());
  EXPECT_DOUBLE_EQ(lag->lineSeries()[0]->at(0).y(), csv[QStringLiteral("lag:billing")][0]);

  // Loss, latency and replication: a chart when metrics.csv has their columns (later kafkasim versions add them),
  // else a note with the summary's totals instead of an invented curve.
  int expectedCharts = 2;
  if (csv.contains(QStringLiteral("lost_total"))) {
    ++expectedCharts;
    EXPECT_EQ(seriesNames(view->charts()->chartView(QStringLiteral("loss"))).value(0), QStringLiteral("lost"));
  } else {
    EXPECT_FALSE(view->charts()->chartView(QStringLiteral("loss"))->isVisible());
    EXPECT_TRUE(view->charts()->note(QStringLiteral("loss")).contains(QStringLiteral("lost 0, duplicated 0")));
  }
  bool latencyColumns = false;
  for (auto it = csv.begin(); it != csv.end(); ++it) latencyColumns = latencyColumns || it.key().contains(QStringLiteral("latency"));
  if (latencyColumns) ++expectedCharts;
  else EXPECT_TRUE(view->charts()->note(QStringLiteral("latency")).contains(QStringLiteral("p50")));
  TimelineChartView* replication = view->charts()->chartView(QStringLiteral("replication"));
  if (csv.contains(QStringLiteral("under_replicated"))) {
    ++expectedCharts;
    ASSERT_TRUE(replication->isVisible());
    EXPECT_EQ(seriesNames(replication).mid(0, 2), (QStringList{"under-replicated", "offline"}));
    const QList<QPointF> points = replication->lineSeries()[0]->points();
    ASSERT_EQ(points.size(), times.size());
    for (int i = 0; i < points.size(); ++i)
      ASSERT_DOUBLE_EQ(points[i].y(), csv[QStringLiteral("under_replicated")][i]) << "row " << i;
  } else {
    EXPECT_FALSE(view->charts()->note(QStringLiteral("replication")).isEmpty());
  }
  EXPECT_EQ(view->charts()->chartViews().size(), expectedCharts);

  // Every chart's plot area starts at the same x: one time reads straight down.
  EXPECT_NEAR(throughput->chart()->plotArea().left(), lag->chart()->plotArea().left(), 1.0);
  EXPECT_NEAR(throughput->timeToX(15), lag->timeToX(15), 1.0);

  // The summary table.
  SummaryModel* summary = window->summaryModel();
  const int lost = summary->rowOf(QStringLiteral("records/lost"));
  ASSERT_GE(lost, 0);
  EXPECT_EQ(summary->index(lost, 1).data().toString(), QStringLiteral("0"));
  EXPECT_GE(summary->rowOf(QStringLiteral("latency_ms/p99")), 0);

  // Render the window and the charts to PNG.
  const QImage image = window->grab().toImage();
  EXPECT_EQ(image.size(), QSize(1600, 1000));
  ASSERT_TRUE(image.save(outputPath(QStringLiteral("quickstart-window.png"))));
  const QImage chartImage = throughput->grab().toImage();
  ASSERT_TRUE(chartImage.save(outputPath(QStringLiteral("quickstart-throughput.png"))));
  EXPECT_GT(countColor(chartImage, QColor(0xE6, 0x9F, 0x00)), 300);  // the consumed line, drawn on top
  EXPECT_GT(countColor(lag->grab().toImage(), QColor(0x00, 0x72, 0xB2)), 300);  // the lag line

  // Export for slides.
  const QString png = outputPath(QStringLiteral("quickstart-charts.png"));
  const QString svg = outputPath(QStringLiteral("quickstart-charts.svg"));
  EXPECT_EQ(window->exportCharts(png), QString());
  EXPECT_EQ(window->exportCharts(svg), QString());
  QImage exported(png);
  EXPECT_GE(exported.width(), throughput->width() * 2 - 2);  // twice the pixels
  QFile svgFile(svg);
  ASSERT_TRUE(svgFile.open(QIODevice::ReadOnly));
  const QByteArray svgText = svgFile.readAll();
  EXPECT_TRUE(svgText.contains("<svg"));
  EXPECT_TRUE(svgText.contains("<polyline") || svgText.contains("<path"));  // vector lines, not a bitmap
  EXPECT_TRUE(svgText.contains("Throughput"));
  EXPECT_TRUE(window->exportCharts(outputPath(QStringLiteral("charts.gif"))).contains(QStringLiteral(".png or .svg")));
}

TEST(OffscreenViewer, ClusterPictureAndCursorFollowTheTime) {
  const auto window = openWindow(quickstartResults());
  RunView* view = window->runView(0);
  window->timeCursor()->setTime(12.5);
  QApplication::processEvents();
  const ClusterState& state = view->document()->clusterModel()->state();
  ASSERT_EQ(state.brokers.size(), 3);
  for (const BrokerState& b : state.brokers) EXPECT_EQ(b.status(), BrokerState::Status::up);
  // Leaders as summary.json reports them at the end (no faults: they never move).
  const QJsonArray partitions = view->document()->run()->summary.root().value(QStringLiteral("partitions")).toArray();
  ASSERT_EQ(state.partitions.size(), partitions.size());
  for (const QJsonValue& p : partitions) {
    const QJsonObject o = p.toObject();
    const PartitionState* ps = state.partition(o.value(QStringLiteral("topic")).toString(), o.value(QStringLiteral("partition")).toInt());
    ASSERT_NE(ps, nullptr);
    EXPECT_EQ(ps->leader, o.value(QStringLiteral("leader")).toInt());
  }
  ASSERT_EQ(state.groups.size(), 1);
  EXPECT_EQ(state.groups[0].consumers, QStringList{QStringLiteral("billing")});
  EXPECT_EQ(view->document()->clusterModel()->time(), 12.5);

  view->tabs()->setCurrentIndex(0);
  QApplication::processEvents();
  const QImage picture = view->clusterView()->grab().toImage();
  ASSERT_TRUE(picture.save(outputPath(QStringLiteral("quickstart-cluster.png"))));
  EXPECT_GT(countColor(picture, QColor(0x00, 0x4C, 0x80), 20), 6 * 40);  // six leader cells

  // The cursor on the charts and the slider.
  TimelineChartView* throughput = view->charts()->chartView(QStringLiteral("throughput"));
  const QImage chart = throughput->grab().toImage();
  const int x = int(std::round(throughput->timeToX(12.5)));
  const int y = int(throughput->chart()->plotArea().center().y());
  EXPECT_LT(QColor(chart.pixel(x, y)).lightness(), 80);  // the dark cursor line
  EXPECT_EQ(window->findChild<QSlider*>(QStringLiteral("timeSlider"))->value(), std::lround(12.5 / 30 * 10000));
}

TEST(OffscreenViewer, FaultEventsAppearAsBandsMarkersTooltipsAndClusterChanges) {
  const auto window = openWindow(faultsRun());
  ASSERT_EQ(window->page(), MainWindow::Page::run);
  RunView* view = window->runView(0);
  ChartStack* charts = view->charts();
  EXPECT_EQ(charts->chartViews().size(), 5);

  TimelineChartView* replication = charts->chartView(QStringLiteral("replication"));
  EXPECT_EQ(seriesNames(replication),
            (QStringList{"under-replicated", "offline", "rebalances completed", "groups rebalancing"}));
  TimelineChartView* lag = charts->chartView(QStringLiteral("lag"));
  EXPECT_EQ(seriesNames(lag), QStringList{"group billing"});
  QComboBox* detail = charts->lagPartitionChoice();
  ASSERT_EQ(detail->count(), 3);
  EXPECT_TRUE(detail->isEnabled());
  detail->setCurrentIndex(2);
  Q_EMIT detail->activated(2);
  EXPECT_EQ(seriesNames(lag), (QStringList{"group billing", "orders/0", "orders/1"}));

  // Tooltips name the events under the pointer on every chart.
  for (TimelineChartView* chart : charts->chartViews()) {
    const QString tip = chart->tooltipAt(chart->timeToX(5.0));
    EXPECT_TRUE(tip.contains(QStringLiteral("broker-0 crashed"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("Fault: crash on broker-0"))) << tip.toStdString();
  }
  const QString unclean = lag->tooltipAt(lag->timeToX(14.5));
  EXPECT_TRUE(unclean.contains(QStringLiteral("UNCLEAN leader broker-2"))) << unclean.toStdString();
  EXPECT_TRUE(lag->tooltipAt(lag->timeToX(2.0)).isEmpty());

  // The fault band is drawn: the plot background inside it is tinted, outside it is white.
  const QImage image = lag->grab().toImage();
  ASSERT_TRUE(window->grab().save(outputPath(QStringLiteral("faults-window.png"))));
  const QRectF plot = lag->chart()->plotArea();
  const QColor inside = image.pixelColor(int(lag->timeToX(7.5)), int(plot.top() + plot.height() * 0.3));
  const QColor outside = image.pixelColor(int(lag->timeToX(2.5)), int(plot.top() + plot.height() * 0.3));
  EXPECT_EQ(outside, QColor(Qt::white));
  EXPECT_GT(inside.red(), inside.blue() + 10) << inside.name().toStdString();

  // Zooming one chart zooms them all; the series are resampled for the window.
  window->timeCursor()->setView(5, 10);
  for (TimelineChartView* chart : charts->chartViews()) {
    EXPECT_DOUBLE_EQ(chart->timeAxis()->min(), 5.0);
    EXPECT_DOUBLE_EQ(chart->timeAxis()->max(), 10.0);
  }
  window->timeCursor()->resetView();

  window->timeCursor()->setTime(9.5);
  const ClusterState& state = view->document()->clusterModel()->state();
  EXPECT_EQ(state.broker(0)->status(), BrokerState::Status::down);
  EXPECT_TRUE(state.broker(0)->fenced);
  EXPECT_EQ(state.partition(QStringLiteral("orders"), 0)->leader, 1);
  EXPECT_EQ(state.faults.size(), 2);
  view->tabs()->setCurrentIndex(0);
  QApplication::processEvents();
  ASSERT_TRUE(view->clusterView()->grab().save(outputPath(QStringLiteral("faults-cluster-9.5s.png"))));
}

TEST(OffscreenViewer, TwoRunsSideBySideShareTheTimeAxisAndScales) {
  const auto window = openWindow(quickstartResults(), faultsRun());
  ASSERT_EQ(window->page(), MainWindow::Page::run);
  RunView* a = window->runView(0);
  RunView* b = window->runView(1);
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->isVisible());
  EXPECT_EQ(a->title(), QStringLiteral("A: quickstart"));
  EXPECT_EQ(b->title(), QStringLiteral("B: faults"));
  EXPECT_EQ(window->summaryModel()->columnCount(), 3);
  const int lost = window->summaryModel()->rowOf(QStringLiteral("records/lost"));
  EXPECT_EQ(window->summaryModel()->index(lost, 2).data().toString(), QStringLiteral("5"));
  // One time axis (the longer run's), one y scale per chart kind.
  TimelineChartView* ta = a->charts()->chartView(QStringLiteral("throughput"));
  TimelineChartView* tb = b->charts()->chartView(QStringLiteral("throughput"));
  EXPECT_DOUBLE_EQ(ta->timeAxis()->max(), 30.0);
  EXPECT_DOUBLE_EQ(tb->timeAxis()->max(), 30.0);
  EXPECT_DOUBLE_EQ(ta->valueAxis()->max(), tb->valueAxis()->max());
  EXPECT_GE(tb->valueAxis()->max(), 5000.0);  // B's own data peaks near 1,000
  // The same charts on both sides, at the same heights: A's loss chart is shown empty, saying why.
  ASSERT_EQ(a->charts()->chartViews().size(), 5);
  ASSERT_EQ(b->charts()->chartViews().size(), 5);
  TimelineChartView* lossA = a->charts()->chartView(QStringLiteral("loss"));
  EXPECT_TRUE(lossA->isVisible());
  EXPECT_TRUE(lossA->lineSeries().isEmpty());
  EXPECT_EQ(lossA->height(), b->charts()->chartView(QStringLiteral("loss"))->height());
  ASSERT_TRUE(window->grab().save(outputPath(QStringLiteral("compare-window.png"))));
  const QList<ExportColumn> columns = window->exportColumns();
  ASSERT_EQ(columns.size(), 2);
  EXPECT_EQ(columns[1].title, QStringLiteral("B: faults"));
  EXPECT_EQ(window->exportCharts(outputPath(QStringLiteral("compare-charts.png"))), QString());

  window->closeComparison();
  EXPECT_EQ(window->runView(1), nullptr);
  EXPECT_EQ(window->summaryModel()->columnCount(), 2);
}

TEST(OffscreenViewer, BadInputIsShownInTheWindowNamingTheFile) {
  // Partly readable: the run is shown with a banner listing each problem.
  auto window = openWindow(badRun());
  ASSERT_EQ(window->page(), MainWindow::Page::run);
  QLabel* banner = window->runView(0)->problemsBanner();
  EXPECT_TRUE(banner->isVisible());
  EXPECT_TRUE(banner->text().contains(QStringLiteral("summary.json, line 5: not valid JSON")));
  EXPECT_TRUE(banner->text().contains(QStringLiteral("metrics.csv, line 3")));
  EXPECT_TRUE(banner->text().contains(QStringLiteral("events.jsonl, line 2")));
  EXPECT_TRUE(banner->text().contains(QStringLiteral("scenario.resolved.json: file not found")));
  ASSERT_TRUE(window->grab().save(outputPath(QStringLiteral("bad-run-window.png"))));

  // Not a results folder.
  QTemporaryDir empty;
  window->openResultsNow(empty.path());
  EXPECT_EQ(window->page(), MainWindow::Page::message);
  EXPECT_TRUE(window->messageTitle().contains(empty.path()));
  EXPECT_TRUE(window->messageText().contains(QStringLiteral("not a kafkasim results folder")));

  window->openPath(QStringLiteral("/no/such/place"));
  EXPECT_EQ(window->page(), MainWindow::Page::message);
  EXPECT_EQ(window->messageText(), QStringLiteral("/no/such/place: no such file or folder."));

  // A file that is neither.
  window->openPath(dataPath(QStringLiteral("make_fixtures.py")));
  EXPECT_TRUE(window->messageText().contains(QStringLiteral("neither a kafkasim results folder")));
}

TEST(OffscreenViewer, OpensAsynchronouslyAndRemembersRecentFiles) {
  MainWindow window;
  window.show();
  QSignalSpy settled(&window, &MainWindow::settled);
  window.openPath(faultsRun() + QStringLiteral("/summary.json"));
  EXPECT_EQ(window.page(), MainWindow::Page::busy);
  ASSERT_TRUE(settled.wait(10000));
  EXPECT_EQ(window.page(), MainWindow::Page::run);
  EXPECT_EQ(window.recentFiles().value(0), QDir(faultsRun()).absolutePath());
  window.openPath(quickstartResults());
  ASSERT_TRUE(settled.wait(10000));
  EXPECT_EQ(window.recentFiles().value(0), QDir(quickstartResults()).absolutePath());
  EXPECT_EQ(window.recentFiles().value(1), QDir(faultsRun()).absolutePath());
}

TEST(ScenarioRunner, InvalidScenarioReportsEveryProblemWithItsPointer) {
  ScenarioRunner runner;
  runner.setKafkasim(QStringLiteral(KAFKASIM_BINARY));
  QSignalSpy done(&runner, &ScenarioRunner::done);
  QTemporaryDir out;
  runner.start(dataPath(QStringLiteral("invalid_scenario.json")), out.filePath(QStringLiteral("broken")));
  ASSERT_TRUE(done.wait(30000));
  EXPECT_EQ(done[0][0].value<ScenarioRunner::Outcome>(), ScenarioRunner::Outcome::invalid);
  for (const char* pointer : {"/duration", "/cluster/brokers", "/topics/0/partitions", "/producers/0/topic"})
    EXPECT_TRUE(runner.errorText().contains(QLatin1String(pointer))) << runner.errorText().toStdString();
  EXPECT_FALSE(QFileInfo::exists(out.filePath(QStringLiteral("broken"))));
}

TEST(ScenarioRunner, RunsAndCancels) {
  QTemporaryDir out;
  ScenarioRunner runner;
  runner.setKafkasim(QStringLiteral(KAFKASIM_BINARY));
  QSignalSpy done(&runner, &ScenarioRunner::done);
  const QString scenario = QStringLiteral(KAFKASIM_SCENARIOS) + QStringLiteral("/quickstart.json");

  runner.start(scenario, out.filePath(QStringLiteral("cancelled")));
  EXPECT_TRUE(runner.isRunning());
  runner.cancel();
  ASSERT_TRUE(done.wait(30000));
  EXPECT_EQ(done[0][0].value<ScenarioRunner::Outcome>(), ScenarioRunner::Outcome::cancelled);
  EXPECT_FALSE(QFileInfo::exists(out.filePath(QStringLiteral("cancelled"))));

  runner.start(scenario, out.filePath(QStringLiteral("done")));
  ASSERT_TRUE(done.wait(120000));
  EXPECT_EQ(done[1][0].value<ScenarioRunner::Outcome>(), ScenarioRunner::Outcome::finished) << runner.errorText().toStdString();
  EXPECT_TRUE(QFileInfo::exists(out.filePath(QStringLiteral("done/summary.json"))));

  ScenarioRunner missing;
  missing.setKafkasim(QString());
  QSignalSpy notStarted(&missing, &ScenarioRunner::done);
  missing.start(scenario, out.filePath(QStringLiteral("never")));
  ASSERT_EQ(notStarted.count(), 1);
  EXPECT_EQ(notStarted[0][0].value<ScenarioRunner::Outcome>(), ScenarioRunner::Outcome::not_started);
  EXPECT_TRUE(missing.errorText().contains(QStringLiteral("kafkasim binary was not found")));
}

TEST(OffscreenViewer, RunsAScenarioFromTheWindow) {
  qputenv("KAFKASIM_BINARY", KAFKASIM_BINARY);
  MainWindow window;
  window.show();
  window.runner()->setKafkasim(QStringLiteral(KAFKASIM_BINARY));

  // Invalid: the stderr of kafkasim, with pointers, in the window.
  window.runScenario(dataPath(QStringLiteral("invalid_scenario.json")));
  EXPECT_EQ(window.page(), MainWindow::Page::busy);
  ASSERT_TRUE(waitFor([&] { return window.page() == MainWindow::Page::message; }, 30000));
  EXPECT_TRUE(window.messageTitle().contains(QStringLiteral("invalid")));
  EXPECT_TRUE(window.messageText().contains(QStringLiteral("/cluster/brokers: must be between 1 and 1000")))
      << window.messageText().toStdString();

  // Valid: a copy of quickstart outside the repository runs into the cache folder and opens.
  QTemporaryDir dir;
  const QString scenario = dir.filePath(QStringLiteral("quickstart-copy.json"));
  ASSERT_TRUE(QFile::copy(QStringLiteral(KAFKASIM_SCENARIOS) + QStringLiteral("/quickstart.json"), scenario));
  window.openPath(scenario);
  EXPECT_EQ(window.page(), MainWindow::Page::busy);
  waitFor([&] { return window.page() != MainWindow::Page::busy; }, 120000);
  ASSERT_EQ(window.page(), MainWindow::Page::run) << window.messageText().toStdString();
  EXPECT_TRUE(window.runView(0)->document()->folder().endsWith(QStringLiteral("runs/quickstart")));
  EXPECT_EQ(window.runView(0)->charts()->chartView(QStringLiteral("throughput"))->lineSeries().size(), 4);
}

TEST(ScenarioRunner, OutputFolderFollowsTheRepositoryLayout) {
  QTemporaryDir dir;
  QDir root(dir.path());
  root.mkpath(QStringLiteral("repo/scenarios"));
  root.mkpath(QStringLiteral("repo/results"));
  root.mkpath(QStringLiteral("elsewhere"));
  root.mkpath(QStringLiteral("results"));  // a results/ beside a folder that is not scenarios/ does not count
  EXPECT_EQ(ScenarioRunner::defaultOutputFolder(root.filePath(QStringLiteral("repo/scenarios/a.json")), QStringLiteral("a")),
            QDir::cleanPath(root.filePath(QStringLiteral("repo/results/a"))));
  const QString other = ScenarioRunner::defaultOutputFolder(root.filePath(QStringLiteral("elsewhere/b.json")), QString());
  EXPECT_TRUE(other.endsWith(QStringLiteral("runs/b"))) << other.toStdString();
  EXPECT_FALSE(other.startsWith(dir.path()));
}
