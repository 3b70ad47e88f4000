// Exports the charts on screen as one PNG or SVG for slides: one column per run (two in a comparison), the
// charts of each run stacked under its title, drawn at their on-screen size (PNG at twice the pixels).
#pragma once

#include <QImage>
#include <QList>
#include <QString>

QT_BEGIN_NAMESPACE
class QWidget;
QT_END_NAMESPACE

namespace kafkasim::viewer {

struct ExportColumn {
  QString title;            // "A: quickstart (acks=1)"
  QList<QWidget*> widgets;  // drawn top to bottom
};

class ChartExporter {
 public:
  // Format from the file's extension: .png or .svg. Returns an error message, empty on success.
  static QString exportTo(const QString& path, const QList<ExportColumn>& columns);
  static QImage renderImage(const QList<ExportColumn>& columns, double pixelRatio = 2.0);
  static QString exportSvg(const QString& path, const QList<ExportColumn>& columns);
};

}  // namespace kafkasim::viewer
