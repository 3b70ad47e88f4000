// Colours and fonts, chosen for a projector first: a white background, dark text, thick lines, a palette that
// stays distinct for colour-blind viewers (Okabe & Ito), and one scale factor for every font (View > Larger text).
#pragma once

#include <QColor>
#include <QFont>

#include "model/event_marks.h"

namespace kafkasim::viewer::theme {

QColor seriesColor(int index);  // 0..7 the main palette; >= 100 a muted palette for per-partition detail lines
QColor markerColor(MarkerKind kind);
QColor faultBandColor();  // translucent
QColor cursorColor();
QColor textColor();
QColor mutedTextColor();
QColor errorColor();
QColor warningColor();
QColor okColor();

// Every font the viewer draws with is the application font scaled by this (1.0 by default).
double fontScale();
void setFontScale(double scale);
QFont font(double points, bool bold = false);  // points at scale 1.0

}  // namespace kafkasim::viewer::theme
