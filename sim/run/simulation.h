// Runs one scenario: builds the cluster and clients from it, simulates until its duration, then checks
// every record's fate and writes summary.json, metrics.csv, events.jsonl and scenario.resolved.json.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "run/cluster_snapshot.h"
#include "scenario/scenario.h"

namespace kafkasim {

struct RunOptions {
  std::filesystem::path out_dir;
  bool show_progress = false;  // a progress bar on stderr for runs longer than about a second
  // Replay mode (`kafkasim describe`): stop at this simulated time, hand the state to `on_snapshot` and
  // write no results. Everything before that time happens exactly as in the full run.
  std::optional<SimTime> stop_at;
  std::function<void(const ClusterSnapshot&)> on_snapshot;
};

// Returns the summary that was written (empty in replay mode). `argc/argv` carry SimGrid's own --cfg/--log options, if any.
nlohmann::ordered_json run_simulation(const Scenario& scenario, const nlohmann::json& resolved_scenario,
                                      const RunOptions& options, int* argc, char** argv);

}  // namespace kafkasim
