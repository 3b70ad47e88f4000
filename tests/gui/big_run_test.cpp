// A large run (a million-line event log, ten hours of 1 s metrics) opens in seconds, and its charts are
// downsampled for display, not truncated. Written into a temporary folder by the test itself.
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLineSeries>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include "charts/chart_stack.h"
#include "charts/timeline_chart_view.h"
#include "model/run_document.h"
#include "model/time_cursor.h"
#include "widgets/main_window.h"
#include "widgets/run_view.h"

using namespace kafkasim::viewer;

namespace {

constexpr int kRows = 36'000;      // 10 h at 1 s
constexpr int kEvents = 1'000'000;

void writeBigRun(const QString& folder) {
  QFile metrics(QDir(folder).filePath(QStringLiteral("metrics.csv")));
  ASSERT_TRUE(metrics.open(QIODevice::WriteOnly));
  QByteArray text = "time_s,produced_per_s,acknowledged_per_s,failed_per_s,consumed_per_s,lag:c0\n";
  for (int i = 1; i <= kRows; ++i) {
    const int produced = i == 33'333 ? 99'999 : 5000 + i % 17;  // one spike
    text += QByteArray::number(i) + ',' + QByteArray::number(produced) + ",5000,0,5000," +
            QByteArray::number(i % 100) + '\n';
  }
  metrics.write(text);
  metrics.close();

  QFile events(QDir(folder).filePath(QStringLiteral("events.jsonl")));
  ASSERT_TRUE(events.open(QIODevice::WriteOnly));
  QByteArray lines;
  lines.reserve(kEvents * 110);
  lines += "{\"t\":0.0,\"type\":\"run_started\",\"scenario\":\"big\",\"seed\":1,\"duration_s\":36000.0,\"brokers\":6}\n";
  lines += "{\"t\":0.0,\"type\":\"topic_created\",\"topic\":\"t\",\"partitions\":[";
  for (int p = 0; p < 60; ++p)
    lines += (p ? "," : "") + QByteArray("{\"partition\":") + QByteArray::number(p) + ",\"replicas\":[" +
             QByteArray::number(p % 6) + ',' + QByteArray::number((p + 1) % 6) + ',' + QByteArray::number((p + 2) % 6) +
             "],\"leader\":" + QByteArray::number(p % 6) + '}';
  lines += "]}\n";
  for (int i = 2; i < kEvents; ++i) {
    const double t = i * (36'000.0 / kEvents);
    const int p = i % 60;
    if (i % 3 == 0)
      lines += "{\"t\":" + QByteArray::number(t, 'f', 6) + ",\"type\":\"isr_changed\",\"topic\":\"t\",\"partition\":" +
               QByteArray::number(p) + ",\"isr\":[" + QByteArray::number(p % 6) + "]}\n";
    else
      lines += "{\"t\":" + QByteArray::number(t, 'f', 6) +
               ",\"type\":\"batch_failed\",\"producer\":\"p0\",\"topic\":\"t\",\"partition\":" + QByteArray::number(p) +
               ",\"records\":10,\"first_sequence\":-1,\"attempts\":3,\"error\":\"REQUEST_TIMED_OUT\"}\n";
  }
  events.write(lines);
}

}  // namespace

TEST(BigRun, OpensInSecondsAndIsDownsampledNotTruncated) {
  QTemporaryDir dir;
  writeBigRun(dir.path());
  if (HasFatalFailure()) return;

  QElapsedTimer timer;
  timer.start();
  const auto run = loadRun(dir.path());
  const qint64 loadMs = timer.elapsed();
  std::printf("loaded %d events and %d metrics rows in %lld ms\n", run->events->size(), run->metrics->rowCount(),
              static_cast<long long>(loadMs));
  EXPECT_EQ(run->events->size(), kEvents);
  EXPECT_EQ(run->metrics->rowCount(), kRows);
  EXPECT_LT(loadMs, 20'000);  // a few seconds on a laptop; generous for a loaded CI machine

  // The state at a time is a short replay from a checkpoint.
  timer.restart();
  for (int i = 0; i < 100; ++i) run->cluster.stateAt(i * 360.0);
  EXPECT_LT(timer.elapsed(), 2'000);

  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  RunDocument* document = window.runView(0)->document();
  document->setRun(run);
  QApplication::processEvents();
  TimelineChartView* throughput = window.runView(0)->charts()->chartView(QStringLiteral("throughput"));
  ASSERT_NE(throughput, nullptr);
  const QList<QPointF> points = throughput->lineSeries()[0]->points();
  EXPECT_LE(points.size(), 4 * throughput->buckets() + 2);
  EXPECT_GT(points.size(), 100);
  double maxY = 0;
  for (const QPointF& p : points) maxY = std::max(maxY, p.y());
  EXPECT_EQ(maxY, 99'999.0);                   // the spike survives
  EXPECT_EQ(points.back().x(), double(kRows));  // the end is there

  // Zoomed into the spike, the chart shows the raw rows around it.
  window.timeCursor()->setView(33'300, 33'400);
  const QList<QPointF> zoomed = throughput->lineSeries()[0]->points();
  EXPECT_EQ(zoomed.size(), 103);  // 101 rows in the window plus one neighbour on each side
  timer.restart();
  for (int i = 0; i < 30; ++i) window.timeCursor()->setTime(i * 1000.0);
  QApplication::processEvents();
  EXPECT_LT(timer.elapsed(), 3'000);
}
