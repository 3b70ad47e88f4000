// The charts of one run, stacked on the shared time axis. Observes the run's MetricsTableModel: when it is reset
// (a run loaded) every chart is rebuilt from the ChartCatalog. Charts this run has no data for collapse to a
// one-line note that says why.
#pragma once

#include <QPointer>
#include <QSet>
#include <QWidget>

#include <functional>
#include <memory>

#include "charts/chart_catalog.h"

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QVBoxLayout;
QT_END_NAMESPACE

namespace kafkasim::viewer {

class MetricsTableModel;
class TimeCursor;
class TimelineChartView;
class YRangeLink;

class ChartStack : public QWidget {
  Q_OBJECT
 public:
  ChartStack(TimeCursor* cursor, QWidget* parent = nullptr);

  // `metrics` is observed; `run` gives the events and summary the charts also use.
  void setSource(MetricsTableModel* metrics, std::function<std::shared_ptr<const RunData>()> run);
  // Links each chart's y range with the same chart of another stack (comparison); nullptr unlinks.
  void linkYRanges(const QHash<QString, YRangeLink*>& links);

  // The charts with data, in display order.
  QList<TimelineChartView*> chartViews() const;
  TimelineChartView* chartView(const QString& id) const;
  // The note shown instead of the chart `id` ("" when the chart has data).
  QString note(const QString& id) const;
  QComboBox* lagPartitionChoice() const { return lagChoice_; }
  void applyTheme();
  // Whether chart `id` has series for this run.
  bool hasData(const QString& id) const;
  // Charts shown even without data (drawn empty, with the note inside), so that two runs side by side show the
  // same charts at the same heights.
  void setForcedCharts(const QSet<QString>& ids);

 public Q_SLOTS:
  void rebuild();
  // Lines up the plot areas of the charts (and of `peer`'s, in a comparison) so one time reads straight down.
  void alignPlotAreas();

 public:
  void setAlignmentPeer(ChartStack* peer) { peer_ = peer; }

 private:
  struct Panel {
    QString id;
    QWidget* box = nullptr;
    TimelineChartView* view = nullptr;
    QLabel* note = nullptr;
  };
  void rebuildChart(Panel& panel, const RunData& run);

  TimeCursor* cursor_;
  QPointer<MetricsTableModel> metrics_;
  std::function<std::shared_ptr<const RunData>()> run_;
  QVBoxLayout* layout_;
  QList<Panel> panels_;
  QWidget* lagRow_ = nullptr;
  QComboBox* lagChoice_ = nullptr;
  QHash<QString, YRangeLink*> links_;
  QSet<QString> forced_;
  QPointer<ChartStack> peer_;
  bool alignQueued_ = false;
};

}  // namespace kafkasim::viewer
