#include "widgets/run_view.h"

#include <QComboBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "charts/chart_stack.h"
#include "model/run_document.h"
#include "model/summary_model.h"
#include "model/time_cursor.h"
#include "widgets/cluster_view.h"
#include "widgets/theme.h"

namespace kafkasim::viewer {

namespace {
QTableView* makeTable(QWidget* parent) {
  auto* table = new QTableView(parent);
  table->setAlternatingRowColors(true);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->verticalHeader()->setVisible(false);
  table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);  // uniform rows: a million stays fast
  table->setWordWrap(false);
  return table;
}
}  // namespace

RunView::RunView(RunDocument* document, TimeCursor* cursor, SummaryModel* summary, QWidget* parent)
    : QWidget(parent), document_(document), cursor_(cursor) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->setSpacing(4);

  header_ = new QLabel(this);
  header_->setObjectName(QStringLiteral("runHeader"));
  header_->setWordWrap(true);
  header_->setTextFormat(Qt::RichText);
  header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(header_);

  problems_ = new QLabel(this);
  problems_->setObjectName(QStringLiteral("problemsBanner"));
  problems_->setWordWrap(true);
  problems_->setTextFormat(Qt::RichText);
  problems_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  problems_->setContentsMargins(10, 6, 10, 6);
  problems_->hide();
  layout->addWidget(problems_);

  splitter_ = new QSplitter(Qt::Horizontal, this);
  splitter_->setChildrenCollapsible(false);
  layout->addWidget(splitter_, 1);

  charts_ = new ChartStack(cursor_);
  chartScroll_ = new QScrollArea(splitter_);
  chartScroll_->setWidgetResizable(true);
  chartScroll_->setWidget(charts_);
  chartScroll_->setFrameShape(QFrame::NoFrame);
  charts_->setSource(document_->metricsModel(), [this] { return document_->run(); });

  tabs_ = new QTabWidget(splitter_);
  tabs_->setObjectName(QStringLiteral("runTabs"));
  tabs_->setDocumentMode(true);

  cluster_ = new ClusterView;
  cluster_->setModel(document_->clusterModel());
  auto* clusterScroll = new QScrollArea;
  clusterScroll->setWidgetResizable(true);
  clusterScroll->setWidget(cluster_);
  clusterScroll->setFrameShape(QFrame::NoFrame);
  tabs_->addTab(clusterScroll, tr("Cluster"));

  summaryTable_ = makeTable(nullptr);
  summaryTable_->setObjectName(QStringLiteral("summaryTable"));
  summaryTable_->setModel(summary);
  summaryTable_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  summaryTable_->horizontalHeader()->setDefaultSectionSize(150);
  summaryTable_->setAlternatingRowColors(false);
  tabs_->addTab(summaryTable_, tr("Summary"));

  auto* eventsPage = new QWidget;
  auto* eventsLayout = new QVBoxLayout(eventsPage);
  eventsLayout->setContentsMargins(0, 4, 0, 0);
  auto* filterRow = new QHBoxLayout;
  auto* typeChoice = new QComboBox(eventsPage);
  typeChoice->addItem(tr("all events"), QString());
  typeChoice->addItem(tr("key events (faults, crashes, elections, ISR, groups)"), QStringLiteral("key"));
  for (EventType type : allKnownEventTypes()) typeChoice->addItem(eventTypeName(type), eventTypeName(type));
  auto* search = new QLineEdit(eventsPage);
  search->setPlaceholderText(tr("Filter by text, e.g. broker-1 or orders/3"));
  search->setClearButtonEnabled(true);
  filterRow->addWidget(typeChoice);
  filterRow->addWidget(search, 1);
  eventsLayout->addLayout(filterRow);
  eventFilter_ = new EventFilterModel(this);
  eventFilter_->setSourceModel(document_->eventModel());
  eventTable_ = makeTable(eventsPage);
  eventTable_->setObjectName(QStringLiteral("eventTable"));
  eventTable_->setModel(eventFilter_);
  eventTable_->horizontalHeader()->setStretchLastSection(true);
  eventTable_->setToolTip(tr("Click an event to move the time cursor to it."));
  eventsLayout->addWidget(eventTable_, 1);
  tabs_->addTab(eventsPage, tr("Events"));
  connect(typeChoice, &QComboBox::activated, this,
          [this, typeChoice] { eventFilter_->setTypeFilter(typeChoice->currentData().toString()); });
  connect(search, &QLineEdit::textChanged, eventFilter_, &EventFilterModel::setTextFilter);
  connect(eventTable_, &QTableView::clicked, this, [this](const QModelIndex& index) {
    cursor_->setTime(index.data(EventTableModel::TimeRole).toDouble());
  });

  metricsTable_ = makeTable(nullptr);
  metricsTable_->setObjectName(QStringLiteral("metricsTable"));
  metricsTable_->setModel(document_->metricsModel());
  metricsTable_->setToolTip(tr("metrics.csv, one row per interval. Click a row to move the time cursor to it."));
  connect(metricsTable_, &QTableView::clicked, this, [this](const QModelIndex& index) {
    cursor_->setTime(document_->metricsModel()->index(index.row(), 0).data(MetricsTableModel::ValueRole).toDouble());
  });
  tabs_->addTab(metricsTable_, tr("Data"));

  splitter_->setStretchFactor(0, 3);
  splitter_->setStretchFactor(1, 2);

  connect(cursor_, &TimeCursor::timeChanged, document_->clusterModel(), &ClusterStateModel::setTime);
  connect(document_, &RunDocument::loaded, this, &RunView::onLoaded);
  applyTheme();
  onLoaded();
}

void RunView::setComparisonLayout(bool comparison) {
  splitter_->setOrientation(comparison ? Qt::Vertical : Qt::Horizontal);
  splitter_->setSizes(comparison ? QList<int>{700, 300} : QList<int>{600, 400});
}

void RunView::setLabel(const QString& label) {
  label_ = label;
  onLoaded();
}

QString RunView::title() const {
  const auto& run = document_->run();
  const QString name = run ? run->displayName() : QString();
  return label_.isEmpty() ? name : QStringLiteral("%1: %2").arg(label_, name);
}

void RunView::applyTheme() {
  charts_->applyTheme();
  cluster_->updateGeometry();
  cluster_->update();
  onLoaded();
}

void RunView::onLoaded() {
  const auto& run = document_->run();
  document_->clusterModel()->setTime(cursor_->time());
  if (!run) {
    header_->clear();
    problems_->hide();
    return;
  }
  QString html = QStringLiteral("<span style='font-size:%1pt; font-weight:600'>%2</span>")
                     .arg(15 * theme::fontScale())
                     .arg(title().toHtmlEscaped());
  QStringList facts;
  if (run->summary.seed() || !run->summary.isEmpty()) facts.append(tr("seed %1").arg(run->summary.seed()));
  if (run->endS() > 0) facts.append(formatDuration(run->endS()));
  for (const QString& acks : run->scenario.producerAcks) facts.append(acks);
  if (run->scenario.faults > 0) facts.append(tr("%n fault(s)", nullptr, run->scenario.faults));
  html += QStringLiteral("&nbsp;&nbsp;<span style='color:#555'>%1 · %2</span>")
              .arg(facts.join(QStringLiteral(" · ")).toHtmlEscaped(),
                   QDir::toNativeSeparators(run->folder).toHtmlEscaped());
  if (!run->scenario.description.isEmpty())
    html += QStringLiteral("<br><span style='color:#333'>%1</span>").arg(run->scenario.description.toHtmlEscaped());
  header_->setText(html);

  if (run->problems.isEmpty()) {
    problems_->hide();
  } else {
    const bool errors = run->hasErrors();
    QString text = errors ? tr("<b>Some result files could not be read; what could be read is shown.</b>")
                          : tr("<b>Some lines of the result files were skipped.</b>");
    text += QStringLiteral("<ul style='margin:2px 0 0 -20px'>");
    for (const LoadProblem& p : run->problems)
      text += QStringLiteral("<li>%1</li>").arg(p.toString().toHtmlEscaped());
    text += QStringLiteral("</ul>");
    problems_->setText(text);
    problems_->setStyleSheet(errors ? QStringLiteral("QLabel { background:#FBE3DE; color:#7A1000; border-radius:4px; }")
                                    : QStringLiteral("QLabel { background:#FFF1CC; color:#5A3A00; border-radius:4px; }"));
    problems_->show();
  }
  summaryTable_->resizeColumnsToContents();
  summaryTable_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  eventTable_->resizeColumnToContents(0);
  eventTable_->setColumnWidth(1, 190);
}

}  // namespace kafkasim::viewer
