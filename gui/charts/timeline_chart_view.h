// One chart on the shared simulated-time axis. It draws a ChartSpec's series downsampled to its width (resampled
// whenever the shared view or its size changes), the fault bands and event markers of its run, and the time
// cursor. Drag to zoom every chart to a time window, click to move the cursor, double-click (or right-click) to
// see the whole run again; hovering a marker or band names the event.
#pragma once

#include <QChartView>
#include <QPointer>

#include <memory>

#include "charts/chart_catalog.h"
#include "model/event_marks.h"
#include "model/time_cursor.h"

QT_BEGIN_NAMESPACE
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace kafkasim::viewer {

// Gives the same y range to the charts of the same kind in a comparison, so that two runs read on one scale.
class YRangeLink : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  void report(const QObject* chart, double maxY);
  void forget(const QObject* chart);
  double maxY() const { return max_; }
 Q_SIGNALS:
  void changed(double maxY);

 private:
  QHash<const QObject*, double> reported_;
  double max_ = 0;
};

class TimelineChartView : public QChartView {
  Q_OBJECT
 public:
  TimelineChartView(TimeCursor* cursor, QWidget* parent = nullptr);

  // Replaces every series (one replace() call per series); bands and markers come from run->marks.
  void setSpec(ChartSpec spec, std::shared_ptr<const RunData> run);
  const ChartSpec& spec() const { return spec_; }
  void setYRangeLink(YRangeLink* link);
  void applyTheme();

  // The series as shown (downsampled), in the spec's order.
  QList<QLineSeries*> lineSeries() const { return lines_; }
  QValueAxis* timeAxis() const { return xAxis_; }
  QValueAxis* valueAxis() const { return yAxis_; }
  // Pixel x of a simulated time inside the plot area (view coordinates).
  double timeToX(double timeS) const;
  double xToTime(double x) const;
  // The tooltip text for the view position x ("" when nothing is there); public for tests.
  QString tooltipAt(double x) const;

  // Left edge of the plot area without the extra margin that lines it up with the other charts.
  double naturalPlotLeft() const;
  // Extra left margin so that every chart's plot area starts at the same x (one time axis, read straight down).
  void setExtraLeftMargin(double pixels);

  // Downsampling buckets: about one per pixel of the plot area.
  int buckets() const;
  // Redraws the series for the current view window.
  void resample();

 protected:
  void drawForeground(QPainter* painter, const QRectF& rect) override;
  void resizeEvent(QResizeEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void leaveEvent(QEvent* event) override;

 private:
  void applyYRange(double maxY);
  void drawBandLabel(QPainter* painter, const QRectF& band, const QStringList& labels, const QColor& color) const;
  void setTimeRange(double start, double end);

  TimeCursor* cursor_;
  ChartSpec spec_;
  std::shared_ptr<const RunData> run_;
  QList<QLineSeries*> lines_;
  QValueAxis* xAxis_;
  QValueAxis* yAxis_;
  QPointer<YRangeLink> link_;
  double localMaxY_ = 0;
  double extraLeft_ = 0;
  bool dragging_ = false;
  double dragStartX_ = 0, dragX_ = 0;
};

}  // namespace kafkasim::viewer
