#include "model/run_document.h"

#include <QtConcurrent/QtConcurrentRun>

namespace kafkasim::viewer {

RunDocument::RunDocument(QObject* parent) : QObject(parent) {
  connect(&watcher_, &QFutureWatcher<std::shared_ptr<const RunData>>::finished, this, [this] {
    const auto run = watcher_.result();
    if (run && run->folder == folder_) setRun(run);  // ignore a load that a newer one replaced
  });
}

RunDocument::~RunDocument() { watcher_.waitForFinished(); }

void RunDocument::load(const QString& folder) {
  folder_ = folder;
  Q_EMIT loadingStarted(folder);
  watcher_.setFuture(QtConcurrent::run([folder] { return loadRun(folder); }));
}

void RunDocument::loadNow(const QString& folder) {
  folder_ = folder;
  Q_EMIT loadingStarted(folder);
  setRun(loadRun(folder));
}

void RunDocument::setRun(std::shared_ptr<const RunData> run) {
  run_ = std::move(run);
  if (run_) folder_ = run_->folder;
  cluster_.setRun(run_);
  events_.setLog(run_ ? run_->events : nullptr);
  metrics_.setTable(run_ ? run_->metrics : nullptr);  // the charts rebuild on this reset
  Q_EMIT loaded();
}

void RunDocument::clear() {
  folder_.clear();
  setRun(nullptr);
}

}  // namespace kafkasim::viewer
