// Reduces a time series to what a chart of a given width can show without losing its shape: the points inside
// the visible window are split into buckets (one per pixel column or so) and each bucket keeps its first, minimum,
// maximum and last point, in time order (the "M4" reduction: the line drawn is the same as with every point).
// Spikes survive, nothing is cut off, and a chart never holds more than 4 x buckets + 2 points however long the
// run.
#pragma once

#include <QList>
#include <QPointF>

#include <cstddef>

namespace kafkasim::viewer {

// x must be sorted ascending. Points whose y is NaN are skipped. Includes the last point before `startX` and the
// first after `endX` so that lines run to the chart's edges. When the window holds no more than 4 x buckets
// points, they are returned unchanged.
QList<QPointF> downsampleMinMax(const double* x, const double* y, size_t n, double startX, double endX, int buckets);

}  // namespace kafkasim::viewer
