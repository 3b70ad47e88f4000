#include "charts/chart_stack.h"

#include <QChart>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "charts/timeline_chart_view.h"
#include "model/metrics_table_model.h"
#include "widgets/theme.h"

namespace kafkasim::viewer {

ChartStack::ChartStack(TimeCursor* cursor, QWidget* parent)
    : QWidget(parent), cursor_(cursor), layout_(new QVBoxLayout(this)) {
  layout_->setContentsMargins(0, 0, 0, 0);
  layout_->setSpacing(6);
  setAutoFillBackground(true);
  QPalette p = palette();
  p.setColor(QPalette::Window, Qt::white);
  setPalette(p);
  for (const QString& id : ChartCatalog::chartIds()) {
    Panel panel;
    panel.id = id;
    panel.box = new QWidget(this);
    panel.box->setObjectName(QStringLiteral("panel:") + id);
    auto* boxLayout = new QVBoxLayout(panel.box);
    boxLayout->setContentsMargins(0, 0, 0, 0);
    boxLayout->setSpacing(0);
    if (id == QLatin1String(ChartCatalog::kLag)) {
      lagRow_ = new QWidget(panel.box);
      auto* row = new QHBoxLayout(lagRow_);
      row->setContentsMargins(8, 0, 8, 0);
      row->addStretch(1);
      auto* label = new QLabel(tr("Lag detail:"), lagRow_);
      lagChoice_ = new QComboBox(lagRow_);
      lagChoice_->setObjectName(QStringLiteral("lagPartitionChoice"));
      row->addWidget(label);
      row->addWidget(lagChoice_);
      boxLayout->addWidget(lagRow_);
      connect(lagChoice_, &QComboBox::activated, this, [this] {
        const std::shared_ptr<const RunData> run = run_ ? run_() : nullptr;
        for (Panel& p : panels_)
          if (p.id == QLatin1String(ChartCatalog::kLag) && run) rebuildChart(p, *run);
      });
    }
    panel.view = new TimelineChartView(cursor_, panel.box);
    connect(panel.view->chart(), &QChart::plotAreaChanged, this, [this] {
      if (alignQueued_) return;
      alignQueued_ = true;
      QMetaObject::invokeMethod(this, &ChartStack::alignPlotAreas, Qt::QueuedConnection);
    });
    panel.note = new QLabel(panel.box);
    panel.note->setObjectName(QStringLiteral("note:") + id);
    panel.note->setWordWrap(true);
    panel.note->setTextFormat(Qt::RichText);
    panel.note->setContentsMargins(12, 8, 12, 8);
    panel.note->setStyleSheet(QStringLiteral("QLabel { background: #F3F4F6; color: #222; border-radius: 4px; }"));
    boxLayout->addWidget(panel.view, 1);
    boxLayout->addWidget(panel.note);
    panel.note->hide();
    layout_->addWidget(panel.box, 1);
    panels_.append(panel);
  }
  layout_->addStretch(0);
}

void ChartStack::setSource(MetricsTableModel* metrics, std::function<std::shared_ptr<const RunData>()> run) {
  if (metrics_) disconnect(metrics_, nullptr, this, nullptr);
  metrics_ = metrics;
  run_ = std::move(run);
  if (metrics_) connect(metrics_, &QAbstractItemModel::modelReset, this, &ChartStack::rebuild);
  rebuild();
}

void ChartStack::linkYRanges(const QHash<QString, YRangeLink*>& links) {
  links_ = links;
  for (Panel& p : panels_) p.view->setYRangeLink(links_.value(p.id));
}

void ChartStack::rebuild() {
  const std::shared_ptr<const RunData> run = run_ ? run_() : nullptr;
  if (lagChoice_) {
    const QString current = lagChoice_->currentData().toString();
    lagChoice_->clear();
    lagChoice_->addItem(tr("totals only"), QString());
    const auto choices = run ? ChartCatalog::lagDetailChoices(*run) : QList<std::pair<QString, QString>>();
    for (const auto& [label, value] : choices) lagChoice_->addItem(label, value);
    lagChoice_->setEnabled(!choices.isEmpty());
    lagChoice_->setToolTip(choices.isEmpty()
                               ? tr("This run's metrics.csv has no per-partition lag columns "
                                    "(lag:<group>:<topic>/<partition>).")
                               : tr("Add one thin line per consumer or per partition."));
    const int keep = lagChoice_->findData(current);
    lagChoice_->setCurrentIndex(keep >= 0 ? keep : 0);
  }
  for (Panel& p : panels_) {
    if (run) rebuildChart(p, *run);
    else {
      p.view->setSpec(ChartSpec{p.id, {}, {}, {}, {}, false}, nullptr);
      p.box->hide();
    }
  }
}

void ChartStack::rebuildChart(Panel& panel, const RunData& run) {
  ChartOptions options;
  if (lagChoice_) options.lagDetail = lagChoice_->currentData().toString();
  ChartSpec spec = ChartCatalog::build(panel.id, run, options);
  const bool withData = !spec.series.isEmpty();
  const bool showChart = withData || forced_.contains(panel.id);
  const QString title = spec.title;
  const QString note = spec.note;
  std::shared_ptr<const RunData> shared = run_ ? run_() : nullptr;
  panel.view->setSpec(std::move(spec), shared);
  panel.view->setVisible(showChart);
  if (lagRow_ && panel.id == QLatin1String(ChartCatalog::kLag)) lagRow_->setVisible(showChart);
  panel.note->setVisible(!showChart);
  panel.note->setText(QStringLiteral("<b>%1</b> — %2").arg(title.toHtmlEscaped(), note.toHtmlEscaped()));
  panel.note->setFont(theme::font(11));
  panel.box->show();
  // A chart takes the room; a note only its line.
  layout_->setStretchFactor(panel.box, showChart ? 1 : 0);
}

void ChartStack::alignPlotAreas() {
  alignQueued_ = false;
  QList<TimelineChartView*> views = chartViews();
  if (peer_ && peer_->isVisible()) views += peer_->chartViews();
  double left = 0;
  for (TimelineChartView* v : views) left = std::max(left, v->naturalPlotLeft());
  for (TimelineChartView* v : views) v->setExtraLeftMargin(left - v->naturalPlotLeft());
  for (TimelineChartView* v : views) v->naturalPlotLeft();  // lays out with the new margins
}

QList<TimelineChartView*> ChartStack::chartViews() const {
  QList<TimelineChartView*> out;
  for (const Panel& p : panels_)
    if (!p.view->isHidden() && !p.box->isHidden()) out.append(p.view);
  return out;
}

TimelineChartView* ChartStack::chartView(const QString& id) const {
  for (const Panel& p : panels_)
    if (p.id == id) return p.view;
  return nullptr;
}

QString ChartStack::note(const QString& id) const {
  for (const Panel& p : panels_)
    if (p.id == id) return p.view->spec().series.isEmpty() ? p.view->spec().note : QString();
  return {};
}

bool ChartStack::hasData(const QString& id) const {
  for (const Panel& p : panels_)
    if (p.id == id) return !p.view->spec().series.isEmpty();
  return false;
}

void ChartStack::setForcedCharts(const QSet<QString>& ids) {
  if (ids == forced_) return;
  forced_ = ids;
  rebuild();
}

void ChartStack::applyTheme() {
  for (Panel& p : panels_) {
    p.view->applyTheme();
    p.note->setFont(theme::font(11));
  }
}

}  // namespace kafkasim::viewer
