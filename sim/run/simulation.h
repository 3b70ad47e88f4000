// Runs one scenario: builds the cluster and clients from it, simulates until its duration, then checks
// every record's fate and writes summary.json, metrics.csv, events.jsonl and scenario.resolved.json.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "scenario/scenario.h"

namespace kafkasim {

struct RunOptions {
  std::filesystem::path out_dir;
  bool show_progress = false;  // a progress bar on stderr for runs longer than about a second
};

// Returns the summary that was written. `argc/argv` carry SimGrid's own --cfg/--log options, if any.
nlohmann::ordered_json run_simulation(const Scenario& scenario, const nlohmann::json& resolved_scenario,
                                      const RunOptions& options, int* argc, char** argv);

}  // namespace kafkasim
