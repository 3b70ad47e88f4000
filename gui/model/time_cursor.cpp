#include "model/time_cursor.h"

#include <algorithm>

namespace kafkasim::viewer {

TimeCursor::TimeCursor(QObject* parent) : QObject(parent) {
  timer_.setInterval(33);  // ~30 frames per second
  connect(&timer_, &QTimer::timeout, this, &TimeCursor::tick);
}

void TimeCursor::setExtent(double endS) {
  end_ = std::max(0.0, endS);
  Q_EMIT extentChanged(end_);
  resetView();
  if (time_ > end_) setTime(end_);
}

void TimeCursor::setTime(double timeS) {
  timeS = std::clamp(timeS, 0.0, end_);
  if (timeS == time_) return;
  time_ = timeS;
  Q_EMIT timeChanged(time_);
}

void TimeCursor::setView(double startS, double endS) {
  if (endS < startS) std::swap(startS, endS);
  startS = std::max(0.0, startS);
  endS = std::min(end_ > 0 ? end_ : endS, endS);
  if (endS - startS < 1e-3) endS = std::min(end_, startS + 1e-3);
  if (startS == viewStart_ && endS == viewEnd_) return;
  viewStart_ = startS;
  viewEnd_ = endS;
  Q_EMIT viewChanged(viewStart_, viewEnd_);
}

void TimeCursor::resetView() {
  viewStart_ = 0;
  viewEnd_ = end_;
  Q_EMIT viewChanged(viewStart_, viewEnd_);
}

void TimeCursor::setSpeed(double simulatedSecondsPerSecond) { speed_ = std::max(1e-6, simulatedSecondsPerSecond); }

void TimeCursor::play() {
  if (isPlaying() || end_ <= 0) return;
  if (time_ >= end_) setTime(0);  // play again from the start
  wall_.start();
  timer_.start();
  Q_EMIT playingChanged(true);
}

void TimeCursor::pause() {
  if (!isPlaying()) return;
  timer_.stop();
  Q_EMIT playingChanged(false);
}

void TimeCursor::togglePlay() { isPlaying() ? pause() : play(); }

void TimeCursor::tick() {
  const double elapsed = wall_.restart() / 1000.0;
  const double next = time_ + elapsed * speed_;
  setTime(next);
  if (next >= end_) pause();
}

}  // namespace kafkasim::viewer
