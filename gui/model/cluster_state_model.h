// The cluster picture's model: the ClusterState of one run at the cursor time. Recomputes only when the cursor
// crosses an event, so playing at 30 frames per second costs nothing between events.
#pragma once

#include <QObject>

#include <memory>

#include "model/run_data.h"

namespace kafkasim::viewer {

class ClusterStateModel : public QObject {
  Q_OBJECT
 public:
  explicit ClusterStateModel(QObject* parent = nullptr);

  void setRun(std::shared_ptr<const RunData> run);
  void setTime(double timeS);

  double time() const { return time_; }
  const ClusterState& state() const { return state_; }
  const RunData* run() const { return run_.get(); }

 Q_SIGNALS:
  void stateChanged();

 private:
  std::shared_ptr<const RunData> run_;
  double time_ = 0;
  int eventsApplied_ = -1;
  ClusterState state_;
};

}  // namespace kafkasim::viewer
