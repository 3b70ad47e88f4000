#include "charts/chart_export.h"

#include <QFileInfo>
#include <QPainter>
#include <QSvgGenerator>
#include <QWidget>

#include "widgets/theme.h"

namespace kafkasim::viewer {

namespace {

constexpr int kGap = 16;

QSize layoutSize(const QList<ExportColumn>& columns, int titleHeight) {
  int width = 0, height = 0;
  for (const ExportColumn& c : columns) {
    int w = 0, h = c.title.isEmpty() ? 0 : titleHeight;
    for (QWidget* widget : c.widgets) {
      w = std::max(w, widget->width());
      h += widget->height() + 4;
    }
    width += w + (width > 0 ? kGap : 0);
    height = std::max(height, h);
  }
  return {std::max(width, 1), std::max(height, 1)};
}

void paintColumns(QPainter& painter, const QList<ExportColumn>& columns, int titleHeight) {
  int x = 0;
  for (const ExportColumn& c : columns) {
    int y = 0, w = 0;
    if (!c.title.isEmpty()) {
      painter.setFont(theme::font(14, true));
      painter.setPen(theme::textColor());
      painter.drawText(QRect(x + 8, 0, 4000, titleHeight), Qt::AlignLeft | Qt::AlignVCenter, c.title);
      y = titleHeight;
    }
    for (QWidget* widget : c.widgets) {
      widget->render(&painter, QPoint(x, y), QRegion(), QWidget::DrawChildren);
      y += widget->height() + 4;
      w = std::max(w, widget->width());
    }
    x += w + kGap;
  }
}

int titleHeightFor(const QList<ExportColumn>& columns) {
  for (const ExportColumn& c : columns)
    if (!c.title.isEmpty()) return QFontMetrics(theme::font(14, true)).height() + 12;
  return 0;
}

}  // namespace

QImage ChartExporter::renderImage(const QList<ExportColumn>& columns, double pixelRatio) {
  const int titleHeight = titleHeightFor(columns);
  const QSize size = layoutSize(columns, titleHeight);
  QImage image(size * pixelRatio, QImage::Format_RGB32);
  image.setDevicePixelRatio(pixelRatio);
  image.fill(Qt::white);
  QPainter painter(&image);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setRenderHint(QPainter::TextAntialiasing);
  paintColumns(painter, columns, titleHeight);
  return image;
}

QString ChartExporter::exportSvg(const QString& path, const QList<ExportColumn>& columns) {
  const int titleHeight = titleHeightFor(columns);
  const QSize size = layoutSize(columns, titleHeight);
  QSvgGenerator svg;
  svg.setFileName(path);
  svg.setSize(size);
  svg.setViewBox(QRect(QPoint(0, 0), size));
  svg.setTitle(QStringLiteral("kafkasim charts"));
  svg.setDescription(QStringLiteral("Exported by kafkasim-viewer"));
  QPainter painter;
  if (!painter.begin(&svg)) return QStringLiteral("%1: cannot be written").arg(path);
  painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
  paintColumns(painter, columns, titleHeight);
  painter.end();
  if (!QFileInfo(path).exists() || QFileInfo(path).size() == 0) return QStringLiteral("%1: cannot be written").arg(path);
  return {};
}

QString ChartExporter::exportTo(const QString& path, const QList<ExportColumn>& columns) {
  bool anything = false;
  for (const ExportColumn& c : columns) anything = anything || !c.widgets.isEmpty();
  if (!anything) return QStringLiteral("no chart to export: this run has no chart with data");
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == QStringLiteral("svg")) return exportSvg(path, columns);
  if (suffix != QStringLiteral("png"))
    return QStringLiteral("%1: choose a file name ending in .png or .svg").arg(path);
  const QImage image = renderImage(columns);
  if (!image.save(path, "PNG")) return QStringLiteral("%1: cannot be written").arg(path);
  return {};
}

}  // namespace kafkasim::viewer
