#include "model/cluster_state_model.h"

namespace kafkasim::viewer {

ClusterStateModel::ClusterStateModel(QObject* parent) : QObject(parent) {}

void ClusterStateModel::setRun(std::shared_ptr<const RunData> run) {
  run_ = std::move(run);
  eventsApplied_ = -1;
  setTime(time_);
}

void ClusterStateModel::setTime(double timeS) {
  time_ = timeS;
  const int count = run_ ? run_->events->countAtOrBefore(timeS) : 0;
  if (count == eventsApplied_) {
    Q_EMIT stateChanged();  // same state; the picture still shows the new time
    return;
  }
  eventsApplied_ = count;
  state_ = run_ ? run_->cluster.stateAfterEvents(count) : ClusterState();
  Q_EMIT stateChanged();
}

}  // namespace kafkasim::viewer
