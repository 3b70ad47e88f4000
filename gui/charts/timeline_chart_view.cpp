#include "charts/timeline_chart_view.h"

#include <QChart>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "charts/downsample.h"
#include "results/scenario_info.h"
#include "widgets/theme.h"

namespace kafkasim::viewer {

void YRangeLink::report(const QObject* chart, double maxY) {
  reported_.insert(chart, maxY);
  double max = 0;
  for (double v : std::as_const(reported_)) max = std::max(max, v);
  max_ = max;
  Q_EMIT changed(max_);
}

void YRangeLink::forget(const QObject* chart) { reported_.remove(chart); }

namespace {
constexpr int kBaseMargin = 4;

QChar markerGlyph(MarkerKind kind) {
  switch (kind) {
    case MarkerKind::crash: return QLatin1Char('C');
    case MarkerKind::recovery: return QLatin1Char('R');
    case MarkerKind::fenced: return QLatin1Char('F');
    case MarkerKind::election: return QLatin1Char('E');
    case MarkerKind::heal: return QLatin1Char('H');
    case MarkerKind::rebalance: return QLatin1Char('G');
    case MarkerKind::truncation: return QLatin1Char('T');
  }
  return QLatin1Char('?');
}

// When several kinds share a pixel column, the one drawn is the most alarming.
int markerPriority(MarkerKind kind) {
  switch (kind) {
    case MarkerKind::truncation: return 7;
    case MarkerKind::crash: return 6;
    case MarkerKind::election: return 5;
    case MarkerKind::fenced: return 4;
    case MarkerKind::heal: return 3;
    case MarkerKind::recovery: return 2;
    case MarkerKind::rebalance: return 1;
  }
  return 0;
}
}  // namespace

TimelineChartView::TimelineChartView(TimeCursor* cursor, QWidget* parent)
    : QChartView(parent), cursor_(cursor), xAxis_(new QValueAxis), yAxis_(new QValueAxis) {
  auto* chart = new QChart;
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->setBackgroundRoundness(0);
  chart->setMargins(QMargins(kBaseMargin, 4, 12, 4));
  chart->legend()->setAlignment(Qt::AlignTop);
  chart->addAxis(xAxis_, Qt::AlignBottom);
  chart->addAxis(yAxis_, Qt::AlignLeft);
  // Ticks at round times from 0 (the interval follows the zoom); "s" on each label instead of an axis title.
  xAxis_->setRange(0, 1);
  xAxis_->setTickInterval(1);
  xAxis_->setTickType(QValueAxis::TicksDynamic);
  xAxis_->setTickAnchor(0);
  setChart(chart);
  setRenderHint(QPainter::Antialiasing);
  setRubberBand(QChartView::NoRubberBand);
  setMouseTracking(true);
  setMinimumHeight(250);
  applyTheme();

  connect(cursor_, &TimeCursor::timeChanged, this, [this] { viewport()->update(); });
  connect(cursor_, &TimeCursor::viewChanged, this, [this] { resample(); });
}

void TimelineChartView::applyTheme() {
  QChart* c = chart();
  c->setTitleFont(theme::font(13, true));
  c->setTitleBrush(theme::textColor());
  c->legend()->setFont(theme::font(11));
  c->legend()->setLabelColor(theme::textColor());
  for (QValueAxis* axis : {xAxis_, yAxis_}) {
    axis->setLabelsFont(theme::font(10.5));
    axis->setLabelsColor(theme::textColor());
    axis->setTitleFont(theme::font(10.5));
    axis->setTitleBrush(theme::mutedTextColor());
    axis->setGridLineColor(QColor(0xDD, 0xDD, 0xDD));
    axis->setLinePenColor(QColor(0x66, 0x66, 0x66));
  }
  for (int i = 0; i < lines_.size() && i < spec_.series.size(); ++i) {
    const SeriesSpec& s = spec_.series[i];
    QPen pen(theme::seriesColor(s.colorIndex));
    pen.setWidthF(s.thin ? 1.3 : 2.6);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    lines_[i]->setPen(pen);
  }
}

void TimelineChartView::setSpec(ChartSpec spec, std::shared_ptr<const RunData> run) {
  spec_ = std::move(spec);
  run_ = std::move(run);
  QChart* c = chart();
  c->removeAllSeries();  // deletes them
  lines_.clear();
  c->setTitle(spec_.title);
  setObjectName(QStringLiteral("chart:") + spec_.id);
  yAxis_->setTitleText(spec_.yTitle);
  for (const SeriesSpec& s : spec_.series) {
    auto* line = new QLineSeries;
    line->setName(s.name);
    line->setObjectName(s.source);
    c->addSeries(line);
    line->attachAxis(xAxis_);
    line->attachAxis(yAxis_);
    lines_.append(line);
  }
  // Per-partition lines are many: keep them out of the legend, the totals are what it explains.
  const auto markers = c->legend()->markers();
  for (int i = 0; i < markers.size() && i < spec_.series.size(); ++i)
    markers[i]->setVisible(!spec_.series[i].thin);
  c->legend()->setVisible(!spec_.series.isEmpty());
  applyTheme();
  resample();
}

void TimelineChartView::setYRangeLink(YRangeLink* link) {
  if (link_) {
    link_->forget(this);
    disconnect(link_, nullptr, this, nullptr);
  }
  link_ = link;
  if (link_) {
    connect(link_, &YRangeLink::changed, this, &TimelineChartView::applyYRange);
    connect(this, &QObject::destroyed, link_, [link = link_.data(), self = static_cast<QObject*>(this)] {
      link->forget(self);
    });
    link_->report(this, localMaxY_);
  }
}

double TimelineChartView::naturalPlotLeft() const {
  // Lay out now: between setMargins() and the next layout, plotArea() is stale.
  if (QGraphicsLayout* layout = chart()->layout()) {
    layout->invalidate();
    layout->activate();
  }
  return chart()->plotArea().left() - extraLeft_;
}

void TimelineChartView::setExtraLeftMargin(double pixels) {
  pixels = std::max(0.0, std::round(pixels));
  if (pixels == extraLeft_) return;
  extraLeft_ = pixels;
  QMargins m = chart()->margins();
  m.setLeft(kBaseMargin + int(extraLeft_));
  chart()->setMargins(m);
}

int TimelineChartView::buckets() const {
  const double width = chart()->plotArea().width();
  return std::max(200, static_cast<int>(width > 10 ? width : this->width()));
}

void TimelineChartView::resample() {
  const double start = cursor_->viewStart();
  const double end = std::max(cursor_->viewEnd(), start + 1e-3);
  setTimeRange(start, end);
  double maxY = 0;
  const int n = buckets();
  for (int i = 0; i < lines_.size(); ++i) {
    const SeriesSpec& s = spec_.series[i];
    if (!s.x || !s.y) continue;
    const QList<QPointF> points = downsampleMinMax(s.x->data(), s.y->data(), std::min(s.x->size(), s.y->size()),
                                                   start, end, n);
    for (const QPointF& p : points)
      if (p.x() >= start && p.x() <= end) maxY = std::max(maxY, p.y());
    lines_[i]->replace(points);
  }
  localMaxY_ = maxY;
  if (link_) link_->report(this, maxY);
  else applyYRange(maxY);
  viewport()->update();
}

void TimelineChartView::applyYRange(double maxY) {
  double top = maxY <= 0 ? 1.0 : maxY * 1.08;
  if (spec_.integerValues) top = std::max(top, 1.0);
  yAxis_->setRange(0, top);
  yAxis_->applyNiceNumbers();
  yAxis_->setLabelFormat(yAxis_->max() >= 20 || spec_.integerValues ? QStringLiteral("%.0f")
                                                                    : QStringLiteral("%.2f"));
}

void TimelineChartView::setTimeRange(double start, double end) {
  const double span = std::max(1e-6, end - start);
  // A round interval (1, 2 or 5 x 10^n) giving a label every 90 pixels or more.
  const double width = chart()->plotArea().width() > 10 ? chart()->plotArea().width() : this->width();
  const double raw = span / std::max(2.0, width / 90.0);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double interval = magnitude;
  for (double step : {1.0, 2.0, 5.0, 10.0}) {
    interval = step * magnitude;
    if (interval >= raw) break;
  }
  // Range and interval change in the order that never asks the axis for millions of ticks in between.
  if (interval >= xAxis_->tickInterval()) {
    xAxis_->setTickInterval(interval);
    xAxis_->setRange(start, end);
  } else {
    xAxis_->setRange(start, end);
    xAxis_->setTickInterval(interval);
  }
  const int decimals = interval >= 1 ? 0 : int(std::ceil(-std::log10(interval) - 1e-9));
  xAxis_->setLabelFormat(QStringLiteral("%.%1f s").arg(decimals));
}

double TimelineChartView::timeToX(double timeS) const {
  const QRectF plot = chart()->plotArea();
  const double span = xAxis_->max() - xAxis_->min();
  if (span <= 0) return plot.left();
  return plot.left() + (timeS - xAxis_->min()) / span * plot.width();
}

double TimelineChartView::xToTime(double x) const {
  const QRectF plot = chart()->plotArea();
  if (plot.width() <= 0) return xAxis_->min();
  return xAxis_->min() + (x - plot.left()) / plot.width() * (xAxis_->max() - xAxis_->min());
}

QString TimelineChartView::tooltipAt(double x) const {
  if (!run_) return {};
  const QRectF plot = chart()->plotArea();
  if (x < plot.left() - 4 || x > plot.right() + 4) return {};
  QStringList lines;
  const auto [first, last] = run_->marks.markersBetween(xToTime(x - 4), xToTime(x + 4));
  const int shown = std::min(last - first, 10);
  for (int i = first; i < first + shown; ++i) {
    const EventMarker& m = run_->marks.markers()[i];
    lines.append(QStringLiteral("%1 s  %2").arg(m.timeS, 0, 'f', 3).arg(m.text));
  }
  if (last - first > shown) lines.append(QStringLiteral("… and %1 more events here").arg(last - first - shown));
  const double t = xToTime(x);
  for (const FaultBand& band : run_->marks.bands())
    if (t >= band.startS && t <= band.endS) lines.append(QStringLiteral("Fault: ") + band.label());
  for (const PhaseBand& phase : run_->marks.phases())
    if (t >= phase.startS && t <= phase.endS) lines.append(QStringLiteral("Phase: ") + phase.label);
  return lines.join(QLatin1Char('\n'));
}

void TimelineChartView::drawForeground(QPainter* painter, const QRectF& rect) {
  QChartView::drawForeground(painter, rect);
  const QRectF plot = chart()->plotArea();
  if (plot.width() <= 0) return;
  painter->save();
  painter->setClipRect(plot.adjusted(-9, -20, 9, 1));
  const double t0 = xAxis_->min(), t1 = xAxis_->max();

  if (run_) {
    // Phases (settle) in grey, then fault periods in orange. Faults of one kind over the same period (three
    // brokers crashed at once) are drawn as one band named after all their targets.
    for (const PhaseBand& phase : run_->marks.phases()) {
      if (phase.endS < t0 || phase.startS > t1) continue;
      const double left = std::max(plot.left(), timeToX(phase.startS));
      const double right = std::min(plot.right(), std::max(timeToX(phase.endS), left + 2));
      painter->fillRect(QRectF(left, plot.top(), right - left, plot.height()), QColor(0x60, 0x60, 0x60, 22));
      drawBandLabel(painter, QRectF(left, plot.top(), right - left, plot.height()), {phase.name},
                    theme::mutedTextColor());
    }
    struct Merged {
      double start, end;
      QString fault;
      QStringList targets;
    };
    QList<Merged> merged;
    for (const FaultBand& band : run_->marks.bands()) {
      if (band.endS < t0 || band.startS > t1) continue;
      auto same = std::find_if(merged.begin(), merged.end(), [&](const Merged& m) {
        return m.fault == band.fault && std::abs(m.start - band.startS) < 1e-9 && std::abs(m.end - band.endS) < 1e-9;
      });
      if (same != merged.end()) same->targets.append(band.target);
      else merged.append(Merged{band.startS, band.endS, band.fault, {band.target}});
    }
    for (const Merged& band : merged) {
      const double left = std::max(plot.left(), timeToX(band.start));
      const double right = std::min(plot.right(), std::max(timeToX(band.end), left + 2));
      painter->fillRect(QRectF(left, plot.top(), right - left, plot.height()), theme::faultBandColor());
      QStringList labels{band.fault + QLatin1Char(' ') + band.targets.join(QStringLiteral(", "))};
      if (band.targets.size() > 1) labels.append(QStringLiteral("%1 ×%2").arg(band.fault).arg(band.targets.size()));
      labels.append(band.fault);
      drawBandLabel(painter, QRectF(left, plot.top(), right - left, plot.height()), labels,
                    theme::markerColor(MarkerKind::crash).darker(130));
    }
    // Key events: one line per pixel column, the most alarming kind wins; a lettered dot on top when there is room.
    const auto [first, last] = run_->marks.markersBetween(t0, t1);
    QFont glyphFont = theme::font(8, true);
    painter->setFont(glyphFont);
    double lastGlyphX = -1e9;
    int column = std::numeric_limits<int>::min();
    MarkerKind columnKind = MarkerKind::rebalance;
    auto flush = [&](int x, MarkerKind kind) {
      if (x == std::numeric_limits<int>::min()) return;
      QPen pen(theme::markerColor(kind));
      pen.setWidthF(1.6);
      if (kind == MarkerKind::rebalance || kind == MarkerKind::heal || kind == MarkerKind::recovery)
        pen.setStyle(Qt::DashLine);
      painter->setPen(pen);
      painter->drawLine(QPointF(x + 0.5, plot.top()), QPointF(x + 0.5, plot.bottom()));
      if (x - lastGlyphX >= 16) {
        const QRectF dot(x + 0.5 - 7, plot.top() + 2, 14, 14);
        painter->setPen(Qt::NoPen);
        painter->setBrush(theme::markerColor(kind));
        painter->drawEllipse(dot);
        painter->setPen(Qt::white);
        painter->drawText(dot, Qt::AlignCenter, QString(markerGlyph(kind)));
        lastGlyphX = x;
      }
    };
    for (int i = first; i < last; ++i) {
      const EventMarker& m = run_->marks.markers()[i];
      const int x = int(std::floor(timeToX(m.timeS)));
      if (x != column) {
        flush(column, columnKind);
        column = x;
        columnKind = m.kind;
      } else if (markerPriority(m.kind) > markerPriority(columnKind)) {
        columnKind = m.kind;
      }
    }
    flush(column, columnKind);
  }

  // A chart shown without data (beside a run that has it) says why it is empty.
  if (spec_.series.isEmpty() && !spec_.note.isEmpty()) {
    const QString text = QStringLiteral("No data in this run. ") + spec_.note;
    painter->setFont(theme::font(11));
    const QRectF area = plot.adjusted(24, 24, -24, -24);
    const QRectF box = painter->boundingRect(area, Qt::AlignCenter | Qt::TextWordWrap, text).adjusted(-10, -6, 10, 6);
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(255, 255, 255, 235));
    painter->drawRoundedRect(box, 4, 4);
    painter->setPen(theme::mutedTextColor());
    painter->drawText(area, Qt::AlignCenter | Qt::TextWordWrap, text);
  }

  // Zoom selection while dragging.
  if (dragging_ && std::abs(dragX_ - dragStartX_) > 3) {
    const double left = std::min(dragStartX_, dragX_), right = std::max(dragStartX_, dragX_);
    painter->fillRect(QRectF(left, plot.top(), right - left, plot.height()), QColor(0x00, 0x72, 0xB2, 40));
  }

  // The time cursor.
  const double t = cursor_->time();
  if (t >= t0 && t <= t1) {
    const double x = timeToX(t);
    QPen pen(theme::cursorColor());
    pen.setWidthF(2.0);
    painter->setPen(pen);
    painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
  }
  painter->restore();
}

void TimelineChartView::drawBandLabel(QPainter* painter, const QRectF& band, const QStringList& labels,
                                      const QColor& color) const {
  // The first label that fits (longest first), else the last one elided, else nothing.
  const QFont font = theme::font(9.5, true);
  const QFontMetricsF metrics(font);
  const double room = band.width() - 12;
  if (labels.isEmpty() || room < metrics.horizontalAdvance(QStringLiteral("cra…"))) return;
  QString shown;
  for (const QString& label : labels) {
    if (metrics.horizontalAdvance(label) <= room) {
      shown = label;
      break;
    }
  }
  if (shown.isEmpty()) shown = metrics.elidedText(labels.back(), Qt::ElideRight, room);
  const QRectF box(band.left() + 3, band.bottom() - metrics.height() - 6, metrics.horizontalAdvance(shown) + 6,
                   metrics.height() + 2);
  painter->fillRect(box, QColor(255, 255, 255, 210));
  painter->setFont(font);
  painter->setPen(color);
  painter->drawText(box, Qt::AlignCenter, shown);
}

void TimelineChartView::resizeEvent(QResizeEvent* event) {
  QChartView::resizeEvent(event);
  resample();
}

void TimelineChartView::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton) {
    dragging_ = true;
    dragStartX_ = dragX_ = mapToScene(event->position().toPoint()).x();
    event->accept();
    return;
  }
  event->accept();
}

void TimelineChartView::mouseMoveEvent(QMouseEvent* event) {
  const double x = mapToScene(event->position().toPoint()).x();
  if (dragging_) {
    dragX_ = x;
    viewport()->update();
    return;
  }
  const QString tip = tooltipAt(x);
  if (tip.isEmpty()) QToolTip::hideText();
  else QToolTip::showText(event->globalPosition().toPoint(), tip, this);
}

void TimelineChartView::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() == Qt::RightButton) {
    cursor_->resetView();
    return;
  }
  if (event->button() != Qt::LeftButton || !dragging_) return;
  dragging_ = false;
  const double x = mapToScene(event->position().toPoint()).x();
  if (std::abs(x - dragStartX_) > 6) cursor_->setView(xToTime(std::min(x, dragStartX_)), xToTime(std::max(x, dragStartX_)));
  else cursor_->setTime(xToTime(x));
  viewport()->update();
}

void TimelineChartView::mouseDoubleClickEvent(QMouseEvent* event) {
  dragging_ = false;
  cursor_->resetView();
  event->accept();
}

void TimelineChartView::wheelEvent(QWheelEvent* event) {
  const double steps = event->angleDelta().y() / 120.0;
  if (steps == 0) return;
  const double factor = std::pow(0.8, steps);
  const double at = xToTime(mapToScene(event->position().toPoint()).x());
  const double start = at - (at - cursor_->viewStart()) * factor;
  const double end = at + (cursor_->viewEnd() - at) * factor;
  cursor_->setView(start, end);
  event->accept();
}

void TimelineChartView::leaveEvent(QEvent* event) {
  QToolTip::hideText();
  QChartView::leaveEvent(event);
}

}  // namespace kafkasim::viewer
