#include "widgets/theme.h"

#include <QApplication>
#include <array>

namespace kafkasim::viewer::theme {

namespace {
double g_fontScale = 1.0;
}

QColor seriesColor(int index) {
  static const std::array<QColor, 8> main = {
      QColor(0x00, 0x72, 0xB2),  // blue
      QColor(0x00, 0x9E, 0x73),  // bluish green
      QColor(0xE6, 0x9F, 0x00),  // orange
      QColor(0xD5, 0x5E, 0x00),  // vermillion
      QColor(0xCC, 0x79, 0xA7),  // reddish purple
      QColor(0x56, 0xB4, 0xE9),  // sky blue
      QColor(0x20, 0x20, 0x20),  // near black
      QColor(0x88, 0x88, 0x88),  // grey
  };
  static const std::array<QColor, 6> detail = {
      QColor(0x6B, 0xA3, 0xC8), QColor(0x7F, 0xC4, 0xAE), QColor(0xE8, 0xC0, 0x6A),
      QColor(0xDE, 0x96, 0x6A), QColor(0xD6, 0xA6, 0xC3), QColor(0x9A, 0x9A, 0x9A),
  };
  if (index >= 100) return detail[(index - 100) % detail.size()];
  return main[std::size_t(index) % main.size()];
}

QColor markerColor(MarkerKind kind) {
  switch (kind) {
    case MarkerKind::crash: return QColor(0xC0, 0x1F, 0x00);
    case MarkerKind::recovery: return QColor(0x00, 0x8A, 0x60);
    case MarkerKind::fenced: return QColor(0xC7, 0x8A, 0x00);
    case MarkerKind::election: return QColor(0x6A, 0x3D, 0x9A);
    case MarkerKind::heal: return QColor(0x00, 0x8A, 0x60);
    case MarkerKind::rebalance: return QColor(0x00, 0x5F, 0x99);
    case MarkerKind::truncation: return QColor(0xB0, 0x00, 0x20);
  }
  return Qt::black;
}

QColor faultBandColor() { return QColor(0xD5, 0x5E, 0x00, 38); }
QColor cursorColor() { return QColor(0x11, 0x11, 0x11); }
QColor textColor() { return QColor(0x11, 0x11, 0x11); }
QColor mutedTextColor() { return QColor(0x55, 0x55, 0x55); }
QColor errorColor() { return QColor(0xB0, 0x00, 0x20); }
QColor warningColor() { return QColor(0x9A, 0x60, 0x00); }
QColor okColor() { return QColor(0x00, 0x7A, 0x50); }

double fontScale() { return g_fontScale; }
void setFontScale(double scale) { g_fontScale = std::clamp(scale, 0.6, 3.0); }

QFont font(double points, bool bold) {
  QFont f = QApplication::font();
  f.setPointSizeF(points * g_fontScale);
  f.setBold(bold);
  return f;
}

}  // namespace kafkasim::viewer::theme
