// Everything about one run: a header (name, story, problems found while reading), the charts on the shared time
// axis, and tabs with the cluster picture, the summary table, the event list and the raw metrics. In a
// comparison two RunViews stand side by side, each with its charts above its tabs.
#pragma once

#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QSplitter;
class QTabWidget;
class QTableView;
class QScrollArea;
QT_END_NAMESPACE

namespace kafkasim::viewer {

class ChartStack;
class ClusterView;
class RunDocument;
class SummaryModel;
class TimeCursor;
class EventFilterModel;

class RunView : public QWidget {
  Q_OBJECT
 public:
  RunView(RunDocument* document, TimeCursor* cursor, SummaryModel* summary, QWidget* parent = nullptr);

  // Side by side with another run: charts above the tabs instead of beside them.
  void setComparisonLayout(bool comparison);
  // "A" / "B" in a comparison, "" alone.
  void setLabel(const QString& label);
  QString title() const;

  RunDocument* document() const { return document_; }
  ChartStack* charts() const { return charts_; }
  ClusterView* clusterView() const { return cluster_; }
  QTabWidget* tabs() const { return tabs_; }
  QTableView* summaryTable() const { return summaryTable_; }
  QTableView* eventTable() const { return eventTable_; }
  QLabel* problemsBanner() const { return problems_; }
  void applyTheme();

 private:
  void onLoaded();

  RunDocument* document_;
  TimeCursor* cursor_;
  QString label_;
  QLabel* header_;
  QLabel* problems_;
  QSplitter* splitter_;
  QScrollArea* chartScroll_;
  ChartStack* charts_;
  QTabWidget* tabs_;
  ClusterView* cluster_;
  QTableView* summaryTable_;
  QTableView* eventTable_;
  EventFilterModel* eventFilter_;
  QTableView* metricsTable_;
};

}  // namespace kafkasim::viewer
