#include "cli/cli.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "client/partitioner.h"
#include "cli/assign_command.h"
#include "cli/describe_command.h"
#include "cli/summary_table.h"
#include "run/simulation.h"
#include "scenario/scenario_loader.h"

namespace po = boost::program_options;

namespace kafkasim::cli {
namespace {

constexpr int kOk = 0;
constexpr int kFailure = 1;
constexpr int kBadInput = 2;

const char* const kTopUsage =
    "kafkasim: a deterministic simulator of Apache Kafka clusters\n"
    "\n"
    "Usage: kafkasim <command> [options]\n"
    "\n"
    "Commands:\n"
    "  run SCENARIO.json        simulate a scenario and write its results\n"
    "  validate SCENARIO.json…  check scenario files without running them\n"
    "  partition --partitions N KEY…\n"
    "                           the partition Kafka's default partitioner picks for each key\n"
    "  assign --strategy S --topic NAME:PARTITIONS… --member SPEC…\n"
    "                           the assignment Kafka's assignor would compute\n"
    "  describe RESULTS_DIR --at TIME\n"
    "                           the cluster and its consumer groups at that time, as kafka-topics and\n"
    "                           kafka-consumer-groups --describe print them\n"
    "\n"
    "Run 'kafkasim <command> --help' for a command's options.\n"
    "Exit codes: 0 success, 1 failure while running, 2 bad input or usage.\n";

int usage_error(const std::string& message, const std::string& command) {
  std::cerr << "kafkasim: " << message << "\n";
  std::cerr << "Run 'kafkasim " << (command.empty() ? "" : command + " ") << "--help' for usage.\n";
  return kBadInput;
}

void print_diagnostics(const LoadResult& result) {
  for (const auto& w : result.warnings) std::cerr << "warning: " << format_diagnostic(w) << "\n";
  for (const auto& e : result.errors) std::cerr << format_diagnostic(e) << "\n";
}

int cmd_run(std::vector<std::string> args, std::vector<char*> simgrid_args) {
  po::options_description opts(
      "Usage: kafkasim run SCENARIO.json [options]\n\n"
      "Simulates the scenario and writes summary.json, metrics.csv, events.jsonl and scenario.resolved.json\n"
      "to the output folder (replaced as a whole when the run completes).\n\n"
      "Options");
  std::vector<std::string> sets;
  opts.add_options()("help,h", "show this help")(
      "seed", po::value<uint64_t>(), "seed for every random choice (overrides the scenario's)")(
      "out,o", po::value<std::string>(), "output folder (default: results/<scenario name>)")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(),
      "override a scenario value by its path, e.g. --set producers/0/config/acks=1 (repeatable)")(
      "quiet,q", "no progress bar and no summary table");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value<std::vector<std::string>>(), "");
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("scenario", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return usage_error(e.what(), "run");
  }
  if (vm.count("help")) {
    std::cout << opts << "\nSimGrid's own options (--cfg=..., --log=...) are passed through.\n";
    return kOk;
  }
  if (!vm.count("scenario")) return usage_error("run needs a scenario file", "run");
  const auto files = vm["scenario"].as<std::vector<std::string>>();
  if (files.size() != 1) return usage_error("run takes exactly one scenario file", "run");
  if (vm.count("seed")) sets.push_back("seed=" + std::to_string(vm["seed"].as<uint64_t>()));

  LoadResult loaded = load_scenario_file(files.front(), sets);
  print_diagnostics(loaded);
  if (!loaded.ok()) return kBadInput;
  const Scenario& scenario = *loaded.scenario;
  const bool quiet = vm.count("quiet") > 0;
  RunOptions options;
  options.out_dir = vm.count("out") ? std::filesystem::path(vm["out"].as<std::string>())
                                    : std::filesystem::path("results") / scenario.name;
  options.show_progress = !quiet && ::isatty(STDERR_FILENO);
  int sg_argc = static_cast<int>(simgrid_args.size());
  simgrid_args.push_back(nullptr);
  nlohmann::ordered_json summary;
  try {
    summary = run_simulation(scenario, to_resolved_json(scenario), options, &sg_argc, simgrid_args.data());
  } catch (const std::exception& e) {
    std::cerr << "kafkasim: " << e.what() << "\n";
    return kFailure;
  }
  if (!quiet) {
    std::cout << format_summary_table(summary);
    std::cout << "results: " << options.out_dir.string() << "/\n";
  }
  return kOk;
}

int cmd_validate(const std::vector<std::string>& args) {
  po::options_description opts(
      "Usage: kafkasim validate SCENARIO.json...\n\n"
      "Checks scenario files and lists every problem with its JSON pointer; runs nothing.\n\nOptions");
  std::vector<std::string> sets;
  opts.add_options()("help,h", "show this help")("set", po::value<std::vector<std::string>>(&sets)->composing(),
                                                  "apply an override before checking (as for run)");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value<std::vector<std::string>>(), "");
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("scenario", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return usage_error(e.what(), "validate");
  }
  if (vm.count("help")) {
    std::cout << opts;
    return kOk;
  }
  if (!vm.count("scenario")) return usage_error("validate needs at least one scenario file", "validate");
  int status = kOk;
  for (const auto& file : vm["scenario"].as<std::vector<std::string>>()) {
    LoadResult loaded = load_scenario_file(file, sets);
    print_diagnostics(loaded);
    if (loaded.ok()) {
      std::cout << file << ": ok\n";
    } else {
      status = kBadInput;
    }
  }
  return status;
}

int cmd_partition(const std::vector<std::string>& args) {
  po::options_description opts(
      "Usage: kafkasim partition --partitions N KEY...\n\n"
      "Prints the partition Kafka's default partitioner picks for each key:\n"
      "toPositive(murmur2(utf8(key))) % N, bit-exact with Kafka.\n\nOptions");
  opts.add_options()("help,h", "show this help")("partitions,p", po::value<int>(), "number of partitions (>= 1)");
  po::options_description hidden;
  hidden.add_options()("key", po::value<std::vector<std::string>>(), "");
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("key", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return usage_error(e.what(), "partition");
  }
  if (vm.count("help")) {
    std::cout << opts;
    return kOk;
  }
  if (!vm.count("partitions")) return usage_error("partition needs --partitions N", "partition");
  int n = vm["partitions"].as<int>();
  if (n < 1) return usage_error("--partitions must be at least 1", "partition");
  if (!vm.count("key")) return usage_error("partition needs at least one key", "partition");
  for (const auto& key : vm["key"].as<std::vector<std::string>>())
    std::cout << key << "\t" << partition_for_key(key, n) << "\n";
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args;
  std::vector<char*> simgrid_args{argv[0]};
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--cfg=", 0) == 0 || a.rfind("--log=", 0) == 0)
      simgrid_args.push_back(argv[i]);
    else
      args.push_back(a);
  }
  if (args.empty()) {
    std::cerr << kTopUsage;
    return kBadInput;
  }
  const std::string command = args.front();
  args.erase(args.begin());
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kTopUsage;
    return kOk;
  }
  if (command == "--version") {
    std::cout << "kafkasim " << KAFKASIM_VERSION << "\n";
    return kOk;
  }
  try {
    if (command == "run") return cmd_run(args, simgrid_args);
    if (command == "validate") return cmd_validate(args);
    if (command == "partition") return cmd_partition(args);
    if (command == "assign") return run_assign_command(args);
    if (command == "describe") return run_describe_command(args, simgrid_args.front());
  } catch (const std::exception& e) {
    std::cerr << "kafkasim: " << e.what() << "\n";
    return kFailure;
  }
  return usage_error("unknown command '" + command + "'", "");
}

}  // namespace kafkasim::cli
