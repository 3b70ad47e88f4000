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
  if (count <= static_cast<size_t>(4 * buckets)) {
    out.reserve(static_cast<qsizetype>(count));
    for (size_t i = first; i < last; ++i)
      if (!std::isnan(y[i])) out.append(QPointF(x[i], y[i]));
    return out;
  }
  out.reserve(4 * buckets + 2);
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
    // M4: the first, minimum, maximum and last point of each bucket, so that lines drawn between buckets are
    // the same as with every point.
    size_t firstAt = n, lastAt = n, minAt = n, maxAt = n;
    // The first point always belongs to this bucket, so the loop advances even when rounding puts x[i] on the
    // boundary.
    for (size_t j = i; i < last && x[i] <= endX && (i == j || x[i] < bucketEnd || lastBucket); ++i) {
      if (std::isnan(y[i])) continue;
      if (firstAt == n) firstAt = i;
      lastAt = i;
      if (minAt == n || y[i] < y[minAt]) minAt = i;
      if (maxAt == n || y[i] > y[maxAt]) maxAt = i;
    }
    if (firstAt == n) continue;
    size_t picks[4] = {firstAt, minAt, maxAt, lastAt};
    std::sort(picks, picks + 4);
    for (int k = 0; k < 4; ++k)
      if (k == 0 || picks[k] != picks[k - 1]) out.append(QPointF(x[picks[k]], y[picks[k]]));
  }
  // The point after the window.
  if (i < last && !std::isnan(y[i])) out.append(QPointF(x[i], y[i]));
  return out;
}

}  // namespace kafkasim::viewer
