#include "charts/timeline_chart_view.h"

#include <QChart>
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
  xAxis_->setTitleText(QStringLiteral("simulated time (s)"));
  setChart(chart);
  setRenderHint(QPainter::Antialiasing);
  setRubberBand(QChartView::NoRubberBand);
  setMouseTracking(true);
  setMinimumHeight(220);
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

double TimelineChartView::naturalPlotLeft() const { return chart()->plotArea().left() - extraLeft_; }

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
  xAxis_->setRange(start, end);
  updateTimeAxisFormat();
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

void TimelineChartView::updateTimeAxisFormat() {
  const double span = xAxis_->max() - xAxis_->min();
  xAxis_->setLabelFormat(span >= 20 ? QStringLiteral("%.0f") : span >= 2 ? QStringLiteral("%.1f")
                                                                        : QStringLiteral("%.3f"));
  xAxis_->setTickCount(std::clamp(int(chart()->plotArea().width() / 110), 3, 13));
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
  return lines.join(QLatin1Char('\n'));
}

void TimelineChartView::drawForeground(QPainter* painter, const QRectF& rect) {
  QChartView::drawForeground(painter, rect);
  const QRectF plot = chart()->plotArea();
  if (plot.width() <= 0) return;
  painter->save();
  painter->setClipRect(plot.adjusted(-1, -20, 1, 1));
  const double t0 = xAxis_->min(), t1 = xAxis_->max();

  if (run_) {
    // Fault periods.
    QFont bandFont = theme::font(9.5, true);
    painter->setFont(bandFont);
    const QFontMetricsF bandMetrics(bandFont);
    for (const FaultBand& band : run_->marks.bands()) {
      if (band.endS < t0 || band.startS > t1) continue;
      const double left = std::max(plot.left(), timeToX(band.startS));
      const double right = std::min(plot.right(), std::max(timeToX(band.endS), left + 2));
      painter->fillRect(QRectF(left, plot.top(), right - left, plot.height()), theme::faultBandColor());
      const QString text = band.fault + QLatin1Char(' ') + band.target;
      if (bandMetrics.horizontalAdvance(text) + 8 < right - left) {
        painter->setPen(theme::markerColor(MarkerKind::crash).darker(130));
        painter->drawText(QPointF(left + 4, plot.bottom() - 6), text);
      }
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
