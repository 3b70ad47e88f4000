// The simulated time everything is showing: the cursor (time slider, chart cursors, cluster picture) and the
// visible window of the shared time axis (chart zoom). One instance is shared by both runs of a comparison.
// Play advances the cursor at a chosen speed (simulated seconds per real second).
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace kafkasim::viewer {

class TimeCursor : public QObject {
  Q_OBJECT
 public:
  explicit TimeCursor(QObject* parent = nullptr);

  double time() const { return time_; }
  double endS() const { return end_; }
  double viewStart() const { return viewStart_; }
  double viewEnd() const { return viewEnd_; }
  bool isZoomed() const { return viewStart_ > 0 || viewEnd_ < end_; }
  bool isPlaying() const { return timer_.isActive(); }
  double speed() const { return speed_; }

  // The run(s) cover [0, end]; resets the view to all of it and clamps the cursor.
  void setExtent(double endS);
  void setTime(double timeS);
  // Shows [start, end] on every chart (clamped to the extent; at least 1 ms wide).
  void setView(double startS, double endS);
  void resetView();
  void setSpeed(double simulatedSecondsPerSecond);
  void play();
  void pause();
  void togglePlay();

 Q_SIGNALS:
  void timeChanged(double timeS);
  void viewChanged(double startS, double endS);
  void extentChanged(double endS);
  void playingChanged(bool playing);

 private:
  void tick();

  double time_ = 0, end_ = 0, viewStart_ = 0, viewEnd_ = 0;
  double speed_ = 1.0;
  QTimer timer_;
  QElapsedTimer wall_;
};

}  // namespace kafkasim::viewer
