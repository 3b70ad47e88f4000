// The viewer's window: opens a results folder or runs a scenario, shows one run or two side by side on one
// shared time axis, plays the run back, and exports the charts. Every problem (a bad results file, an invalid
// scenario, kafkasim failing) is shown in the window, never only on the terminal.
#pragma once

#include <QMainWindow>

#include <memory>

#include "charts/chart_export.h"
#include "widgets/scenario_runner.h"

QT_BEGIN_NAMESPACE
class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSlider;
class QSplitter;
class QStackedWidget;
class QTimer;
class QToolButton;
class QVBoxLayout;
QT_END_NAMESPACE

namespace kafkasim::viewer {

class RunDocument;
class RunView;
class SummaryModel;
class TimeCursor;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  enum class Page { welcome, busy, message, run };

  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // A results folder (or a file in one) is opened; a scenario file is run first. Anything else is reported.
  void openPath(const QString& path);
  void openResults(const QString& folder);
  // Opens a second run beside the first.
  void compareWith(const QString& folder);
  void closeComparison();
  void runScenario(const QString& scenarioPath);
  void cancelRun();

  // Loads on the calling thread (for --screenshot and tests); returns once the window shows the run or a message.
  void openResultsNow(const QString& folder, const QString& compareFolder = {});

  // Writes the charts of the open run(s) as PNG or SVG (by extension). Returns an error message or "".
  QString exportCharts(const QString& path);
  QList<ExportColumn> exportColumns() const;

  Page page() const;
  QString messageTitle() const;
  QString messageText() const;
  RunView* runView(int index) const;  // 0: A, 1: B (nullptr when not comparing)
  TimeCursor* timeCursor() const { return cursor_; }
  SummaryModel* summaryModel() const { return summary_; }
  ScenarioRunner* runner() const { return runner_; }
  QStringList recentFiles() const;
  void setFontScale(double scale);

 Q_SIGNALS:
  // The window finished opening something: a run shown, or a message page.
  void settled();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void buildMenus();
  void buildToolbar();
  QWidget* buildWelcomePage();
  QWidget* buildBusyPage();
  QWidget* buildMessagePage();
  void showPage(Page page);
  void showMessage(const QString& title, const QString& text, bool monospace = false);
  void showBusy(const QString& title, const QString& detail, bool cancellable);
  void onDocumentLoaded(int slot);
  void onRunnerDone(ScenarioRunner::Outcome outcome);
  void updateRunPage();
  void updateTimeWidgets();
  void updateSpeedChoice();
  void addRecent(const QString& path);
  void rebuildRecentMenu();
  void chooseAndOpen();
  void chooseResultsFolder(bool compare);
  void chooseScenario();
  void chooseExport(const QString& format);

  TimeCursor* cursor_;
  RunDocument* documents_[2];
  SummaryModel* summary_;
  ScenarioRunner* runner_;
  bool comparing_ = false;
  QObject* yLinks_ = nullptr;  // owns the YRangeLinks of a comparison
  int pendingSlot_ = 0;  // where a run started from the window goes
  QString runScenarioName_;
  double runScenarioDurationS_ = 0;

  QStackedWidget* pages_;
  QWidget* runPage_;
  QSplitter* runSplitter_;
  RunView* runViews_[2];
  QLabel* busyTitle_;
  QLabel* busyDetail_;
  QProgressBar* busyBar_;
  QPushButton* cancelButton_;
  QTimer* busyTimer_;
  QLabel* messageTitle_;
  QPlainTextEdit* messageText_;
  QVBoxLayout* recentList_;
  QWidget* welcomeRecent_;

  QMenu* recentMenu_;
  QAction* closeComparisonAction_;
  QAction* exportPngAction_;
  QAction* exportSvgAction_;
  QToolButton* playButton_;
  QSlider* timeSlider_;
  QLabel* timeLabel_;
  QComboBox* speedChoice_;
  QWidget* playback_;
};

}  // namespace kafkasim::viewer
