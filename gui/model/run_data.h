// One finished run, as read from its results folder: the four files (results/README.md) plus what the viewer
// derives from them once (the cluster timeline, the chart marks). Immutable after loading and shared between
// the models that show it, so loading can happen on a worker thread.
#pragma once

#include <QString>

#include <memory>

#include "model/cluster_timeline.h"
#include "model/event_marks.h"
#include "results/event_log.h"
#include "results/load_problem.h"
#include "results/metrics_table.h"
#include "results/run_summary.h"
#include "results/scenario_info.h"

namespace kafkasim::viewer {

struct RunData {
  QString folder;
  RunSummary summary;
  std::shared_ptr<const MetricsTable> metrics = std::make_shared<MetricsTable>();
  std::shared_ptr<const EventLog> events = std::make_shared<EventLog>();
  ScenarioInfo scenario;  // from scenario.resolved.json
  ClusterTimeline cluster;
  EventMarks marks;
  LoadProblems problems;

  // A short name for titles and legends: the scenario name, else the folder name.
  QString displayName() const;
  // End of the simulated time the run covers (duration, else the last metrics row or event).
  double endS() const;
  // True when nothing at all could be read (the window shows the problems instead of a run).
  bool isUnusable() const;
  bool hasErrors() const;
};

// Reads the four result files of `folder`. Never throws; every problem is in RunData::problems, naming its file.
std::shared_ptr<const RunData> loadRun(const QString& folder);

// The results folder a path on the command line or from File > Open means: the folder itself, or the folder of a
// results file inside it (summary.json, metrics.csv, events.jsonl, scenario.resolved.json). Empty if neither.
QString resultsFolderFor(const QString& path);

}  // namespace kafkasim::viewer
