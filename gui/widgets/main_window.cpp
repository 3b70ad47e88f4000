#include "widgets/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include "charts/chart_export.h"
#include "charts/chart_stack.h"
#include "charts/timeline_chart_view.h"
#include "model/run_document.h"
#include "model/summary_model.h"
#include "model/time_cursor.h"
#include "results/scenario_info.h"
#include "widgets/run_view.h"
#include "widgets/theme.h"

namespace kafkasim::viewer {

namespace {
constexpr int kMaxRecent = 10;
constexpr int kSliderSteps = 10000;
const QList<double> kSpeeds = {0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800};

QString speedText(double speed) {
  return (speed < 1 ? QString::number(speed) : QString::number(speed, 'f', 0)) + QStringLiteral("×");
}

QLabel* headingLabel(const QString& text, double points, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  label->setFont(theme::font(points, true));
  label->setWordWrap(true);
  return label;
}
}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      cursor_(new TimeCursor(this)),
      documents_{new RunDocument(this), new RunDocument(this)},
      summary_(new SummaryModel(this)),
      runner_(new ScenarioRunner(this)) {
  setWindowTitle(tr("kafkasim viewer"));
  setAcceptDrops(true);
  resize(1600, 1000);

  pages_ = new QStackedWidget(this);
  setCentralWidget(pages_);
  pages_->addWidget(buildWelcomePage());
  pages_->addWidget(buildBusyPage());
  pages_->addWidget(buildMessagePage());

  runPage_ = new QWidget;
  auto* runLayout = new QVBoxLayout(runPage_);
  runLayout->setContentsMargins(0, 0, 0, 0);
  runSplitter_ = new QSplitter(Qt::Horizontal, runPage_);
  runSplitter_->setChildrenCollapsible(false);
  for (int i = 0; i < 2; ++i) {
    runViews_[i] = new RunView(documents_[i], cursor_, summary_, runSplitter_);
    runViews_[i]->setObjectName(i == 0 ? QStringLiteral("runViewA") : QStringLiteral("runViewB"));
  }
  runViews_[1]->hide();
  runLayout->addWidget(runSplitter_);
  pages_->addWidget(runPage_);

  for (int i = 0; i < 2; ++i)
    connect(documents_[i], &RunDocument::loaded, this, [this, i] { onDocumentLoaded(i); });
  connect(runner_, &ScenarioRunner::done, this, &MainWindow::onRunnerDone);
  connect(cursor_, &TimeCursor::timeChanged, this, &MainWindow::updateTimeWidgets);
  connect(cursor_, &TimeCursor::extentChanged, this, &MainWindow::updateTimeWidgets);
  connect(cursor_, &TimeCursor::playingChanged, this, &MainWindow::updateTimeWidgets);

  buildMenus();
  buildToolbar();
  rebuildRecentMenu();
  showPage(Page::welcome);
  statusBar()->showMessage(tr("Open a results folder (Ctrl+O) or run a scenario (Ctrl+R)."));
}

MainWindow::~MainWindow() = default;

// ----------------------------------------------------------------------------------------------- building

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::chooseAndOpen);
  open->setShortcut(QKeySequence::Open);
  open->setToolTip(tr("Open a results folder's summary.json, or a scenario file to run"));
  file->addAction(tr("Open Results &Folder…"), this, [this] { chooseResultsFolder(false); })
      ->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
  file->addAction(tr("&Run Scenario…"), this, &MainWindow::chooseScenario)->setShortcut(QKeySequence(tr("Ctrl+R")));
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  file->addSeparator();
  file->addAction(tr("&Compare With Results Folder…"), this, [this] { chooseResultsFolder(true); })
      ->setShortcut(QKeySequence(tr("Ctrl+K")));
  closeComparisonAction_ = file->addAction(tr("Close Comparison"), this, &MainWindow::closeComparison);
  closeComparisonAction_->setEnabled(false);
  file->addSeparator();
  exportPngAction_ = file->addAction(tr("Export Charts as &PNG…"), this, [this] { chooseExport(QStringLiteral("png")); });
  exportPngAction_->setShortcut(QKeySequence(tr("Ctrl+E")));
  exportSvgAction_ = file->addAction(tr("Export Charts as &SVG…"), this, [this] { chooseExport(QStringLiteral("svg")); });
  exportSvgAction_->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
  file->addSeparator();
  file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  QAction* play = view->addAction(tr("Play / Pause"), cursor_, &TimeCursor::togglePlay);
  play->setShortcut(QKeySequence(Qt::Key_Space));
  play->setShortcutContext(Qt::WindowShortcut);
  view->addAction(tr("Whole Run (Zoom Out)"), cursor_, &TimeCursor::resetView)->setShortcut(QKeySequence(Qt::Key_Home));
  view->addAction(tr("Step Back"), this, [this] {
    cursor_->setTime(cursor_->time() - (cursor_->viewEnd() - cursor_->viewStart()) / 100);
  })->setShortcut(QKeySequence(Qt::Key_Left));
  view->addAction(tr("Step Forward"), this, [this] {
    cursor_->setTime(cursor_->time() + (cursor_->viewEnd() - cursor_->viewStart()) / 100);
  })->setShortcut(QKeySequence(Qt::Key_Right));
  view->addSeparator();
  view->addAction(tr("Larger Text (Projector)"), this, [this] { setFontScale(theme::fontScale() * 1.15); })
      ->setShortcut(QKeySequence::ZoomIn);
  view->addAction(tr("Smaller Text"), this, [this] { setFontScale(theme::fontScale() / 1.15); })
      ->setShortcut(QKeySequence::ZoomOut);
  view->addAction(tr("Normal Text"), this, [this] { setFontScale(1.0); })->setShortcut(QKeySequence(tr("Ctrl+0")));

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("Reading the Charts"), this, [this] {
    showMessage(tr("Reading the charts"),
                tr("All charts share the simulated time axis.\n\n"
                   "• Drag across a chart to zoom every chart to that window; double-click or right-click to see the "
                   "whole run; the mouse wheel zooms around the pointer.\n"
                   "• Click a chart (or an event in the Events tab) to move the time cursor; the Cluster tab shows "
                   "the cluster at that moment. Space plays and pauses.\n"
                   "• Shaded bands are faults, from fault_started to fault_healed. Lines mark key events: "
                   "C crash, R restart, F fenced, E election, H heal, G group rebalance, T log truncation. Hover "
                   "one to see what happened.\n"
                   "• Long runs are drawn from a min/max of each pixel column: every spike is kept.\n"
                   "• Compare two runs with File > Compare (both share one time axis and each chart's y scale)."));
  });
  help->addAction(tr("About"), this, [this] {
    showMessage(tr("kafkasim viewer %1").arg(QStringLiteral(KAFKASIM_VIEWER_VERSION)),
                tr("Views the results of kafkasim, a deterministic simulator of Apache Kafka clusters.\n"
                   "kafkasim binary: %1")
                    .arg(runner_->kafkasim().isEmpty() ? tr("not found") : runner_->kafkasim()));
  });
}

void MainWindow::buildToolbar() {
  QToolBar* bar = addToolBar(tr("Playback"));
  bar->setObjectName(QStringLiteral("playbackToolbar"));
  bar->setMovable(false);
  bar->setToolButtonStyle(Qt::ToolButtonTextOnly);

  auto addButton = [&](const QString& text, const QString& tip, auto slot) {
    auto* b = new QToolButton(bar);
    b->setText(text);
    b->setToolTip(tip);
    connect(b, &QToolButton::clicked, this, slot);
    bar->addWidget(b);
    return b;
  };
  addButton(tr("Open…"), tr("Open a results folder or a scenario (Ctrl+O)"), [this] { chooseAndOpen(); });
  addButton(tr("Run Scenario…"), tr("Run a scenario with kafkasim and open its results (Ctrl+R)"),
            [this] { chooseScenario(); });
  addButton(tr("Compare…"), tr("Open a second results folder beside this one (Ctrl+K)"),
            [this] { chooseResultsFolder(true); });
  addButton(tr("Export PNG"), tr("Save the charts as a PNG image (Ctrl+E)"),
            [this] { chooseExport(QStringLiteral("png")); });
  addButton(tr("Export SVG"), tr("Save the charts as an SVG drawing (Ctrl+Shift+E)"),
            [this] { chooseExport(QStringLiteral("svg")); });
  bar->addSeparator();

  playback_ = new QWidget(bar);
  auto* row = new QHBoxLayout(playback_);
  row->setContentsMargins(4, 0, 4, 0);
  playButton_ = new QToolButton(playback_);
  playButton_->setObjectName(QStringLiteral("playButton"));
  playButton_->setToolTip(tr("Play / pause (Space)"));
  playButton_->setMinimumWidth(80);
  connect(playButton_, &QToolButton::clicked, cursor_, &TimeCursor::togglePlay);
  timeSlider_ = new QSlider(Qt::Horizontal, playback_);
  timeSlider_->setObjectName(QStringLiteral("timeSlider"));
  timeSlider_->setRange(0, kSliderSteps);
  timeSlider_->setMinimumWidth(320);
  connect(timeSlider_, &QSlider::valueChanged, this, [this](int value) {
    cursor_->setTime(cursor_->endS() * value / kSliderSteps);
  });
  timeLabel_ = new QLabel(playback_);
  timeLabel_->setObjectName(QStringLiteral("timeLabel"));
  timeLabel_->setMinimumWidth(QFontMetrics(theme::font(12, true)).horizontalAdvance(QStringLiteral("00000.000 s / 00000 s")));
  speedChoice_ = new QComboBox(playback_);
  speedChoice_->setToolTip(tr("Playback speed: simulated seconds per second"));
  for (double s : kSpeeds) speedChoice_->addItem(speedText(s), s);
  connect(speedChoice_, &QComboBox::activated, this,
          [this] { cursor_->setSpeed(speedChoice_->currentData().toDouble()); });
  auto* whole = new QToolButton(playback_);
  whole->setText(tr("Whole run"));
  whole->setToolTip(tr("Show the whole run on every chart (Home, or double-click a chart)"));
  connect(whole, &QToolButton::clicked, cursor_, &TimeCursor::resetView);
  row->addWidget(playButton_);
  row->addWidget(timeSlider_, 1);
  row->addWidget(timeLabel_);
  row->addWidget(new QLabel(tr("speed"), playback_));
  row->addWidget(speedChoice_);
  row->addWidget(whole);
  bar->addWidget(playback_);
  updateTimeWidgets();
}

QWidget* MainWindow::buildWelcomePage() {
  auto* page = new QWidget;
  page->setObjectName(QStringLiteral("welcomePage"));
  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(60, 40, 60, 40);
  layout->addWidget(headingLabel(tr("kafkasim viewer"), 22, page));
  auto* intro = new QLabel(
      tr("Open a finished run — a results folder written by <code>kafkasim run</code> (summary.json, metrics.csv, "
         "events.jsonl) — or run a scenario file and watch its results.<br>You can also drop a folder or a file on "
         "this window."),
      page);
  intro->setWordWrap(true);
  intro->setFont(theme::font(12));
  layout->addWidget(intro);
  auto* buttons = new QHBoxLayout;
  auto* openButton = new QPushButton(tr("Open Results Folder…"), page);
  auto* runButton = new QPushButton(tr("Run Scenario…"), page);
  for (QPushButton* b : {openButton, runButton}) {
    b->setFont(theme::font(13, true));
    b->setMinimumHeight(48);
    buttons->addWidget(b);
  }
  buttons->addStretch(1);
  connect(openButton, &QPushButton::clicked, this, [this] { chooseResultsFolder(false); });
  connect(runButton, &QPushButton::clicked, this, &MainWindow::chooseScenario);
  layout->addLayout(buttons);
  layout->addSpacing(20);
  welcomeRecent_ = new QWidget(page);
  recentList_ = new QVBoxLayout(welcomeRecent_);
  recentList_->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(welcomeRecent_);
  layout->addStretch(1);
  return page;
}

QWidget* MainWindow::buildBusyPage() {
  auto* page = new QWidget;
  page->setObjectName(QStringLiteral("busyPage"));
  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(60, 60, 60, 60);
  busyTitle_ = headingLabel(QString(), 18, page);
  busyDetail_ = new QLabel(page);
  busyDetail_->setWordWrap(true);
  busyDetail_->setFont(theme::font(12));
  busyDetail_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  busyBar_ = new QProgressBar(page);
  busyBar_->setRange(0, 0);  // busy: kafkasim reports no progress when not on a terminal
  busyBar_->setTextVisible(false);
  busyBar_->setMinimumHeight(24);
  cancelButton_ = new QPushButton(tr("Cancel"), page);
  cancelButton_->setObjectName(QStringLiteral("cancelButton"));
  cancelButton_->setFont(theme::font(13, true));
  cancelButton_->setMinimumHeight(44);
  connect(cancelButton_, &QPushButton::clicked, this, &MainWindow::cancelRun);
  layout->addWidget(busyTitle_);
  layout->addWidget(busyDetail_);
  layout->addWidget(busyBar_);
  auto* row = new QHBoxLayout;
  row->addWidget(cancelButton_);
  row->addStretch(1);
  layout->addLayout(row);
  layout->addStretch(1);
  busyTimer_ = new QTimer(this);
  busyTimer_->setInterval(250);
  connect(busyTimer_, &QTimer::timeout, this, [this] {
    if (!runner_->isRunning()) return;
    busyDetail_->setText(tr("Simulating %1 of simulated time for scenario %2 — %3 s elapsed.\n%4")
                             .arg(runScenarioDurationS_ > 0 ? formatDuration(runScenarioDurationS_) : tr("(unknown)"),
                                  runScenarioName_)
                             .arg(runner_->elapsedMs() / 1000.0, 0, 'f', 1)
                             .arg(runner_->commandLine()));
  });
  return page;
}

QWidget* MainWindow::buildMessagePage() {
  auto* page = new QWidget;
  page->setObjectName(QStringLiteral("messagePage"));
  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(40, 30, 40, 30);
  messageTitle_ = headingLabel(QString(), 18, page);
  messageTitle_->setObjectName(QStringLiteral("messageTitle"));
  messageText_ = new QPlainTextEdit(page);
  messageText_->setObjectName(QStringLiteral("messageText"));
  messageText_->setReadOnly(true);
  messageText_->setFont(theme::font(12));
  auto* row = new QHBoxLayout;
  auto* back = new QPushButton(tr("Back to the Run"), page);
  back->setObjectName(QStringLiteral("backButton"));
  auto* open = new QPushButton(tr("Open…"), page);
  connect(back, &QPushButton::clicked, this, [this] { showPage(documents_[0]->run() ? Page::run : Page::welcome); });
  connect(open, &QPushButton::clicked, this, &MainWindow::chooseAndOpen);
  row->addWidget(back);
  row->addWidget(open);
  row->addStretch(1);
  layout->addWidget(messageTitle_);
  layout->addWidget(messageText_, 1);
  layout->addLayout(row);
  return page;
}

// ----------------------------------------------------------------------------------------------- pages

void MainWindow::showPage(Page page) {
  switch (page) {
    case Page::welcome: pages_->setCurrentIndex(0); break;
    case Page::busy: pages_->setCurrentIndex(1); break;
    case Page::message: pages_->setCurrentIndex(2); break;
    case Page::run: pages_->setCurrentWidget(runPage_); break;
  }
  const bool hasRun = page == Page::run;
  playback_->setEnabled(hasRun);
  exportPngAction_->setEnabled(hasRun);
  exportSvgAction_->setEnabled(hasRun);
  if (!hasRun) cursor_->pause();
}

MainWindow::Page MainWindow::page() const {
  if (pages_->currentWidget() == runPage_) return Page::run;
  switch (pages_->currentIndex()) {
    case 1: return Page::busy;
    case 2: return Page::message;
    default: return Page::welcome;
  }
}

QString MainWindow::messageTitle() const { return messageTitle_->text(); }
QString MainWindow::messageText() const { return messageText_->toPlainText(); }

void MainWindow::showMessage(const QString& title, const QString& text, bool monospace) {
  busyTimer_->stop();
  messageTitle_->setText(title);
  messageText_->setPlainText(text);
  QFont f = monospace ? QFontDatabase::systemFont(QFontDatabase::FixedFont) : theme::font(12);
  if (monospace) f.setPointSizeF(11 * theme::fontScale());
  messageText_->setFont(f);
  messageTitle_->setStyleSheet(QString());
  showPage(Page::message);
  Q_EMIT settled();
}

void MainWindow::showBusy(const QString& title, const QString& detail, bool cancellable) {
  busyTitle_->setText(title);
  busyDetail_->setText(detail);
  cancelButton_->setVisible(cancellable);
  showPage(Page::busy);
}

// ----------------------------------------------------------------------------------------------- opening

void MainWindow::openPath(const QString& path) {
  if (path.isEmpty()) return;
  const QFileInfo info(path);
  if (!info.exists()) {
    showMessage(tr("Cannot open"), tr("%1: no such file or folder.").arg(QDir::toNativeSeparators(path)));
    return;
  }
  const QString folder = resultsFolderFor(path);
  if (!folder.isEmpty()) {
    openResults(folder);
    return;
  }
  if (info.isFile() && info.suffix().compare(QStringLiteral("json"), Qt::CaseInsensitive) == 0) {
    runScenario(info.absoluteFilePath());
    return;
  }
  showMessage(tr("Cannot open"),
              tr("%1: neither a kafkasim results folder (summary.json, metrics.csv, events.jsonl) nor a scenario "
                 "file (.json).")
                  .arg(QDir::toNativeSeparators(path)));
}

void MainWindow::openResults(const QString& folder) {
  comparing_ = false;
  documents_[1]->clear();
  addRecent(folder);
  showBusy(tr("Opening results"), QDir::toNativeSeparators(folder), false);
  documents_[0]->load(folder);
}

void MainWindow::compareWith(const QString& folder) {
  if (!documents_[0]->run()) {
    openResults(folder);
    return;
  }
  addRecent(folder);
  showBusy(tr("Opening results to compare"), QDir::toNativeSeparators(folder), false);
  documents_[1]->load(folder);
}

void MainWindow::openResultsNow(const QString& folder, const QString& compareFolder) {
  comparing_ = false;
  documents_[1]->clear();
  documents_[0]->loadNow(folder);
  if (!compareFolder.isEmpty() && documents_[0]->run() && !documents_[0]->run()->isUnusable())
    documents_[1]->loadNow(compareFolder);
}

void MainWindow::closeComparison() {
  comparing_ = false;
  documents_[1]->clear();
  summary_->setRuns({documents_[0]->run()});
  updateRunPage();
}

void MainWindow::onDocumentLoaded(int slot) {
  const std::shared_ptr<const RunData> run = documents_[slot]->run();  // a copy: clear() below resets the original
  if (!run) return;  // cleared
  if (run->isUnusable()) {
    QStringList lines;
    for (const LoadProblem& p : run->problems) lines.append(p.toString());
    if (slot == 1) {
      comparing_ = false;
      documents_[1]->clear();
    } else {
      documents_[0]->clear();
    }
    showMessage(tr("Cannot open %1").arg(QDir::toNativeSeparators(run->folder)), lines.join(QLatin1Char('\n')));
    return;
  }
  if (slot == 1) comparing_ = true;
  QList<std::shared_ptr<const RunData>> runs{documents_[0]->run()};
  if (comparing_ && documents_[1]->run()) runs.append(documents_[1]->run());
  summary_->setRuns(runs);
  double end = 0;
  for (const auto& r : runs) end = std::max(end, r->endS());
  cursor_->setExtent(end);
  updateSpeedChoice();
  updateRunPage();
  showPage(Page::run);
  QString status = tr("Opened %1: %2 metrics rows, %3 events")
                       .arg(QDir::toNativeSeparators(run->folder))
                       .arg(run->metrics->rowCount())
                       .arg(run->events->size());
  if (!run->problems.isEmpty()) status += tr(" — %n problem(s) found, listed above the charts", nullptr,
                                             int(run->problems.size()));
  statusBar()->showMessage(status);
  Q_EMIT settled();
}

void MainWindow::updateRunPage() {
  runViews_[1]->setVisible(comparing_);
  closeComparisonAction_->setEnabled(comparing_);
  for (int i = 0; i < 2; ++i) {
    runViews_[i]->setComparisonLayout(comparing_);
    runViews_[i]->setLabel(comparing_ ? QString(QChar(u'A' + i)) : QString());
  }
  // In a comparison each chart has one y scale for both runs.
  QSet<QString> shared;
  if (comparing_)
    for (const QString& id : ChartCatalog::chartIds())
      if (runViews_[0]->charts()->hasData(id) || runViews_[1]->charts()->hasData(id)) shared.insert(id);
  for (int i = 0; i < 2; ++i) runViews_[i]->charts()->setForcedCharts(shared);
  QObject* oldLinks = yLinks_;
  yLinks_ = new QObject(this);
  QHash<QString, YRangeLink*> links;
  if (comparing_)
    for (const QString& id : ChartCatalog::chartIds()) links.insert(id, new YRangeLink(yLinks_));
  for (int i = 0; i < 2; ++i) {
    runViews_[i]->charts()->linkYRanges(links);
    runViews_[i]->charts()->setAlignmentPeer(comparing_ ? runViews_[1 - i]->charts() : nullptr);
  }
  delete oldLinks;
  QStringList names;
  for (int i = 0; i < (comparing_ ? 2 : 1); ++i)
    if (documents_[i]->run()) names.append(documents_[i]->run()->displayName());
  setWindowTitle(names.isEmpty() ? tr("kafkasim viewer")
                                 : tr("%1 — kafkasim viewer").arg(names.join(tr(" vs "))));
}

// ----------------------------------------------------------------------------------------------- running

void MainWindow::runScenario(const QString& scenarioPath) {
  if (runner_->isRunning()) {
    statusBar()->showMessage(tr("A scenario is already running; cancel it first."));
    return;
  }
  const ScenarioReadResult scenario = ScenarioReader::readFile(scenarioPath);
  for (const LoadProblem& p : scenario.problems) {
    if (p.severity == LoadProblem::Severity::error && scenario.info.root.isEmpty()) {
      showMessage(tr("Cannot run %1").arg(QFileInfo(scenarioPath).fileName()), p.toString());
      return;
    }
  }
  pendingSlot_ = 0;
  addRecent(scenarioPath);
  runScenarioName_ = scenario.info.name.isEmpty() ? QFileInfo(scenarioPath).completeBaseName() : scenario.info.name;
  runScenarioDurationS_ = scenario.info.durationS;
  const QString output = ScenarioRunner::defaultOutputFolder(scenarioPath, runScenarioName_);
  showBusy(tr("Running %1").arg(runScenarioName_),
           tr("Simulating %1 of simulated time…").arg(runScenarioDurationS_ > 0 ? formatDuration(runScenarioDurationS_)
                                                                                : tr("(unknown)")),
           true);
  busyTimer_->start();
  runner_->start(scenarioPath, output);
}

void MainWindow::cancelRun() { runner_->cancel(); }

void MainWindow::onRunnerDone(ScenarioRunner::Outcome outcome) {
  busyTimer_->stop();
  const QString file = QDir::toNativeSeparators(runner_->scenarioPath());
  switch (outcome) {
    case ScenarioRunner::Outcome::finished:
      if (!runner_->errorText().isEmpty()) statusBar()->showMessage(runner_->errorText().section(QLatin1Char('\n'), 0, 0));
      if (pendingSlot_ == 1) compareWith(runner_->outputFolder());
      else openResults(runner_->outputFolder());
      return;
    case ScenarioRunner::Outcome::invalid:
      showMessage(tr("The scenario is invalid — nothing was run"),
                  tr("kafkasim found these problems in %1 (each with its JSON pointer):\n\n%2").arg(file, runner_->errorText()),
                  true);
      return;
    case ScenarioRunner::Outcome::failed:
      showMessage(tr("kafkasim failed while running %1").arg(QFileInfo(file).fileName()),
                  tr("Command: %1\n\n%2").arg(runner_->commandLine(), runner_->errorText()), true);
      return;
    case ScenarioRunner::Outcome::cancelled:
      showPage(documents_[0]->run() ? Page::run : Page::welcome);
      statusBar()->showMessage(tr("Run of %1 cancelled; no results were written.").arg(file));
      Q_EMIT settled();
      return;
    case ScenarioRunner::Outcome::not_started:
      showMessage(tr("Cannot run %1").arg(QFileInfo(file).fileName()), runner_->errorText());
      return;
  }
}

// ----------------------------------------------------------------------------------------------- time

void MainWindow::updateTimeWidgets() {
  const double end = cursor_->endS();
  const double t = cursor_->time();
  const QSignalBlocker block(timeSlider_);
  timeSlider_->setValue(end > 0 ? int(std::lround(t / end * kSliderSteps)) : 0);
  timeLabel_->setText(QStringLiteral("%1 s / %2 s").arg(t, 0, 'f', end >= 1000 ? 1 : 3).arg(end, 0, 'g', 6));
  timeLabel_->setFont(theme::font(12, true));
  playButton_->setText(cursor_->isPlaying() ? tr("❚❚ Pause") : tr("▶ Play"));
}

void MainWindow::updateSpeedChoice() {
  // About 20 seconds to play the whole run.
  const double wanted = cursor_->endS() / 20;
  int index = int(kSpeeds.size()) - 1;
  for (int i = 0; i < kSpeeds.size(); ++i) {
    if (kSpeeds[i] >= wanted) {
      index = i;
      break;
    }
  }
  speedChoice_->setCurrentIndex(index);
  cursor_->setSpeed(kSpeeds[index]);
}

// ----------------------------------------------------------------------------------------------- export

QList<ExportColumn> MainWindow::exportColumns() const {
  QList<ExportColumn> columns;
  for (int i = 0; i < (comparing_ ? 2 : 1); ++i) {
    if (!documents_[i]->run()) continue;
    ExportColumn column;
    column.title = runViews_[i]->title();
    for (TimelineChartView* view : runViews_[i]->charts()->chartViews()) column.widgets.append(view);
    columns.append(column);
  }
  return columns;
}

QString MainWindow::exportCharts(const QString& path) { return ChartExporter::exportTo(path, exportColumns()); }

void MainWindow::chooseExport(const QString& format) {
  if (!documents_[0]->run()) return;
  QString name = documents_[0]->run()->displayName();
  if (comparing_ && documents_[1]->run()) name += QStringLiteral("-vs-") + documents_[1]->run()->displayName();
  QSettings settings;
  const QString dir = settings.value(QStringLiteral("exportFolder"), QDir::homePath()).toString();
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export charts"), QDir(dir).filePath(name + QStringLiteral("-charts.") + format),
      format == QStringLiteral("svg") ? tr("SVG drawing (*.svg)") : tr("PNG image (*.png)"));
  if (path.isEmpty()) return;
  settings.setValue(QStringLiteral("exportFolder"), QFileInfo(path).absolutePath());
  const QString error = exportCharts(path);
  if (!error.isEmpty()) showMessage(tr("Export failed"), error);
  else statusBar()->showMessage(tr("Charts written to %1").arg(QDir::toNativeSeparators(path)));
}

// ----------------------------------------------------------------------------------------------- choosing files

void MainWindow::chooseAndOpen() {
  QSettings settings;
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open a run's summary.json, or a scenario to run"),
      settings.value(QStringLiteral("openFolder"), QDir::currentPath()).toString(),
      tr("Results or scenario (*.json *.csv *.jsonl);;All files (*)"));
  if (path.isEmpty()) return;
  settings.setValue(QStringLiteral("openFolder"), QFileInfo(path).absolutePath());
  openPath(path);
}

void MainWindow::chooseResultsFolder(bool compare) {
  QSettings settings;
  const QString folder = QFileDialog::getExistingDirectory(
      this, compare ? tr("Results folder to compare with") : tr("Open a results folder"),
      settings.value(QStringLiteral("openFolder"), QDir::currentPath()).toString());
  if (folder.isEmpty()) return;
  settings.setValue(QStringLiteral("openFolder"), QFileInfo(folder).absolutePath());
  if (compare) compareWith(folder);
  else openResults(folder);
}

void MainWindow::chooseScenario() {
  QSettings settings;
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Run a scenario"), settings.value(QStringLiteral("scenarioFolder"), QDir::currentPath()).toString(),
      tr("Scenario (*.json)"));
  if (path.isEmpty()) return;
  settings.setValue(QStringLiteral("scenarioFolder"), QFileInfo(path).absolutePath());
  runScenario(path);
}

// ----------------------------------------------------------------------------------------------- recent files

QStringList MainWindow::recentFiles() const {
  return QSettings().value(QStringLiteral("recentFiles")).toStringList();
}

void MainWindow::addRecent(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  QStringList recent = recentFiles();
  recent.removeAll(absolute);
  recent.prepend(absolute);
  while (recent.size() > kMaxRecent) recent.removeLast();
  QSettings().setValue(QStringLiteral("recentFiles"), recent);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  while (QLayoutItem* item = recentList_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  const QStringList recent = recentFiles();
  recentMenu_->setEnabled(!recent.isEmpty());
  if (!recent.isEmpty()) recentList_->addWidget(headingLabel(tr("Recent"), 14, welcomeRecent_));
  for (const QString& path : recent) {
    const bool folder = QFileInfo(path).isDir();
    const QString text = (folder ? tr("Results: %1") : tr("Scenario: %1")).arg(QDir::toNativeSeparators(path));
    recentMenu_->addAction(text, this, [this, path] { openPath(path); });
    auto* button = new QPushButton(text, welcomeRecent_);
    button->setFlat(true);
    button->setStyleSheet(QStringLiteral("QPushButton { text-align: left; padding: 4px; color: #00568C; }"));
    button->setFont(theme::font(12));
    connect(button, &QPushButton::clicked, this, [this, path] { openPath(path); });
    recentList_->addWidget(button);
  }
  if (!recent.isEmpty()) {
    recentMenu_->addSeparator();
    recentMenu_->addAction(tr("Clear List"), this, [this] {
      QSettings().remove(QStringLiteral("recentFiles"));
      rebuildRecentMenu();
    });
  }
}

// ----------------------------------------------------------------------------------------------- misc

void MainWindow::setFontScale(double scale) {
  theme::setFontScale(scale);
  QFont f = QApplication::font();
  static const double base = f.pointSizeF();
  f.setPointSizeF(base * theme::fontScale());
  QApplication::setFont(f);
  for (RunView* view : runViews_) view->applyTheme();
  updateTimeWidgets();
  QSettings().setValue(QStringLiteral("fontScale"), theme::fontScale());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  runner_->cancel();
  QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.isEmpty()) return;
  if (urls.size() >= 2) {
    openPath(urls[0].toLocalFile());
    // The second folder opens beside the first once it is loaded.
    const QString second = resultsFolderFor(urls[1].toLocalFile());
    if (!second.isEmpty()) {
      auto connection = std::make_shared<QMetaObject::Connection>();
      *connection = connect(this, &MainWindow::settled, this, [this, second, connection] {
        disconnect(*connection);
        if (page() == Page::run) compareWith(second);
      });
    }
  } else {
    openPath(urls[0].toLocalFile());
  }
  event->acceptProposedAction();
}

RunView* MainWindow::runView(int index) const {
  if (index == 0) return runViews_[0];
  return index == 1 && comparing_ ? runViews_[1] : nullptr;
}

}  // namespace kafkasim::viewer
