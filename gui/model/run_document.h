// One open run and the models that show it. load() reads the results folder on a worker thread (a million-line
// event log takes a few seconds; the window stays responsive) and then resets every model at once.
#pragma once

#include <QFutureWatcher>
#include <QObject>

#include <memory>

#include "model/cluster_state_model.h"
#include "model/event_table_model.h"
#include "model/metrics_table_model.h"
#include "model/run_data.h"

namespace kafkasim::viewer {

class RunDocument : public QObject {
  Q_OBJECT
 public:
  explicit RunDocument(QObject* parent = nullptr);
  ~RunDocument() override;

  // Starts loading `folder`; loaded() follows (also when the folder is unusable: see RunData::problems).
  void load(const QString& folder);
  // Loads on the calling thread (tests, --screenshot).
  void loadNow(const QString& folder);
  void setRun(std::shared_ptr<const RunData> run);
  void clear();

  bool isLoading() const { return watcher_.isRunning(); }
  const std::shared_ptr<const RunData>& run() const { return run_; }
  QString folder() const { return folder_; }

  MetricsTableModel* metricsModel() { return &metrics_; }
  EventTableModel* eventModel() { return &events_; }
  ClusterStateModel* clusterModel() { return &cluster_; }

 Q_SIGNALS:
  void loadingStarted(const QString& folder);
  void loaded();

 private:
  QString folder_;
  std::shared_ptr<const RunData> run_;
  MetricsTableModel metrics_;
  EventTableModel events_;
  ClusterStateModel cluster_;
  QFutureWatcher<std::shared_ptr<const RunData>> watcher_;
};

}  // namespace kafkasim::viewer
