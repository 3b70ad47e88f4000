#include "charts/downsample.h"

#include <algorithm>
#include <cmath>

namespace kafkasim::viewer {

QList<QPointF> downsampleMinMax(const double* x, const double* y, size_t n, double startX, double endX,
                                int buckets) {
  QList<QPointF> out;
  if (n == 0 || endX < startX) return out;
  buckets = std::max(1, buckets);
  // [first, last): the points inside the window, widened by one on each side.
  size_t first = static_cast<size_t>(std::lower_bound(x, x + n, startX) - x);
  size_t last = static_cast<size_t>(std::upper_bound(x, x + n, endX) - x);
  if (first > 0) --first;
  if (last < n) ++last;
  const size_t count = last - first;
  if (count <= static_cast<size_t>(2 * buckets)) {
    out.reserve(static_cast<qsizetype>(count));
    for (size_t i = first; i < last; ++i)
      if (!std::isnan(y[i])) out.append(QPointF(x[i], y[i]));
    return out;
  }
  out.reserve(2 * buckets + 4);
  const double width = (endX - startX) / buckets;
  size_t i = first;
  // The point before the window stays as is.
  if (x[i] < startX) {
    if (!std::isnan(y[i])) out.append(QPointF(x[i], y[i]));
    ++i;
  }
  while (i < last && x[i] <= endX) {
    const int bucket = width > 0 ? std::min(buckets - 1, static_cast<int>((x[i] - startX) / width)) : 0;
    const double bucketEnd = bucket == buckets - 1 ? endX : startX + (bucket + 1) * width;
    const bool lastBucket = bucket == buckets - 1;
    size_t minAt = n, maxAt = n;
    // The first point always belongs to this bucket, so the loop advances even when rounding puts x[i] on the
    // boundary.
    for (size_t j = i; i < last && x[i] <= endX && (i == j || x[i] < bucketEnd || lastBucket); ++i) {
      if (std::isnan(y[i])) continue;
      if (minAt == n || y[i] < y[minAt]) minAt = i;
      if (maxAt == n || y[i] > y[maxAt]) maxAt = i;
    }
    if (minAt == n) continue;
    const size_t a = std::min(minAt, maxAt), b = std::max(minAt, maxAt);
    out.append(QPointF(x[a], y[a]));
    if (b != a) out.append(QPointF(x[b], y[b]));
  }
  // The point after the window.
  if (i < last && !std::isnan(y[i])) out.append(QPointF(x[i], y[i]));
  return out;
}

}  // namespace kafkasim::viewer
