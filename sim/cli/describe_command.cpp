#include "cli/describe_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "core/units.h"
#include "run/simulation.h"
#include "scenario/scenario_loader.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace kafkasim::cli {
namespace {

constexpr int kOk = 0;
constexpr int kFailure = 1;
constexpr int kBadInput = 2;

const char* const kUsage =
    "Usage: kafkasim describe RESULTS_DIR --at TIME [--topic NAME] [--group ID] [--members | --state]\n"
    "\n"
    "Prints the cluster as it was at simulated TIME (\"12.5s\", \"1500ms\" or seconds) in the layout of\n"
    "kafka-topics --describe (leader, replicas, ISR of every partition) and kafka-consumer-groups --describe\n"
    "(committed offset, log end offset, lag and owner of every partition of each group). The state comes\n"
    "from replaying RESULTS_DIR/scenario.resolved.json up to TIME: runs are deterministic, so the replay is\n"
    "the run; its event log is compared with the run's and a difference is reported.\n"
    "\n"
    "Options";

int usage_error(const std::string& message) {
  std::cerr << "kafkasim: " << message << "\n";
  std::cerr << "Run 'kafkasim describe --help' for usage.\n";
  return kBadInput;
}

std::string join_ints(const std::vector<int32_t>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + std::to_string(v[i]);
  return out;
}

std::string pad(const std::string& s, size_t width) { return s.size() >= width ? s : s + std::string(width - s.size(), ' '); }

std::optional<double> parse_time(const std::string& text) {
  if (auto d = units::parse_duration_s(text)) return d;
  try {
    size_t used = 0;
    double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// The event lines strictly before `at` (lines at `at` itself may be cut by the replay's end).
std::vector<std::string> events_before(const fs::path& file, double at) {
  std::vector<std::string> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    auto t = nlohmann::json::parse(line, nullptr, false);
    if (t.is_discarded() || !t.contains("t") || !t["t"].is_number()) continue;
    if (t["t"].get<double>() >= at) break;
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace

std::string format_topics(const ClusterSnapshot& snapshot, const std::string& only_topic) {
  std::ostringstream out;
  for (const TopicSnapshot& t : snapshot.topics) {
    if (!only_topic.empty() && t.name != only_topic) continue;
    std::string configs;
    for (const auto& [k, v] : t.configs) configs += (configs.empty() ? "" : ",") + k + "=" + v;
    out << "Topic: " << t.name << "\tPartitionCount: " << t.partitions.size()
        << "\tReplicationFactor: " << t.replication_factor << "\tConfigs: " << configs << "\n";
    for (const PartitionSnapshot& p : t.partitions)
      out << "\tTopic: " << t.name << "\tPartition: " << p.partition
          << "\tLeader: " << (p.leader < 0 ? "none" : std::to_string(p.leader)) << "\tReplicas: " << join_ints(p.replicas)
          << "\tIsr: " << join_ints(p.isr) << "\n";
  }
  return out.str();
}

// What kafka-consumer-groups prints when the group's coordinator cannot be reached.
std::string coordinator_unavailable(const GroupSnapshot& g) {
  return "\nError: Executing consumer group command failed due to "
         "org.apache.kafka.common.errors.CoordinatorNotAvailableException: The coordinator is not available. "
         "(group '" + g.group + "', " +
         (g.coordinator < 0 ? std::string("its __consumer_offsets partition has no leader")
                            : "coordinator broker " + std::to_string(g.coordinator) + " is down") +
         ")\n";
}

// Kafka's ConsumerGroupCommand pads GROUP, TOPIC, CONSUMER-ID and HOST to the longest value (at least 15),
// PARTITION to 10 and the offsets to 15, with "-" for what is unknown.
std::string format_group_offsets(const GroupSnapshot& g) {
  std::ostringstream out;
  if (!g.coordinator_available) return coordinator_unavailable(g);
  if (g.members.empty()) out << "\nConsumer group '" << g.group << "' has no active members.\n";
  if (g.state == "PreparingRebalance" || g.state == "CompletingRebalance")
    out << "\nWarning: Consumer group '" << g.group << "' is rebalancing.\n";
  size_t group_w = std::max<size_t>(15, g.group.size()), topic_w = 15, id_w = 15, host_w = 15;
  for (const auto& p : g.partitions) {
    topic_w = std::max(topic_w, p.topic.size());
    id_w = std::max(id_w, p.member_id.size());
    host_w = std::max(host_w, p.host.size());
  }
  auto row = [&](const std::string& group, const std::string& topic, const std::string& partition,
                 const std::string& current, const std::string& end, const std::string& lag, const std::string& id,
                 const std::string& host, const std::string& client) {
    out << pad(group, group_w) << " " << pad(topic, topic_w) << " " << pad(partition, 10) << " " << pad(current, 15)
        << " " << pad(end, 15) << " " << pad(lag, 15) << " " << pad(id, id_w) << " " << pad(host, host_w) << " "
        << client << "\n";
  };
  out << "\n";
  row("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID");
  auto dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
  for (const auto& p : g.partitions) {
    std::string current = p.committed < 0 ? "-" : std::to_string(p.committed);
    std::string end = p.log_end_offset < 0 ? "-" : std::to_string(p.log_end_offset);
    std::string lag = p.committed < 0 || p.log_end_offset < 0
                          ? "-"
                          : std::to_string(std::max<Offset>(0, p.log_end_offset - p.committed));
    row(g.group, p.topic, std::to_string(p.partition), current, end, lag,
        dash(p.member_id), dash(p.host), dash(p.client_id));
  }
  return out.str();
}

// As `kafka-consumer-groups --describe --members --verbose`.
std::string format_group_members(const GroupSnapshot& g) {
  std::ostringstream out;
  if (!g.coordinator_available) return coordinator_unavailable(g);
  if (g.members.empty()) {
    out << "\nConsumer group '" << g.group << "' has no active members.\n";
    return out.str();
  }
  size_t group_w = std::max<size_t>(15, g.group.size()), id_w = 15, instance_w = 17, host_w = 15, client_w = 15;
  for (const auto& m : g.members) {
    id_w = std::max(id_w, m.member_id.size());
    instance_w = std::max(instance_w, m.group_instance_id.size());
    host_w = std::max(host_w, m.host.size());
    client_w = std::max(client_w, m.client_id.size());
  }
  out << "\n"
      << pad("GROUP", group_w) << " " << pad("CONSUMER-ID", id_w) << " " << pad("GROUP-INSTANCE-ID", instance_w) << " "
      << pad("HOST", host_w) << " " << pad("CLIENT-ID", client_w) << " " << pad("#PARTITIONS", 12) << " ASSIGNMENT\n";
  for (const auto& m : g.members) {
    // Kafka groups the assignment by topic: "orders(0,1,2)".
    std::string assignment;
    for (size_t i = 0; i < m.assignment.size(); ++i) {
      const auto& [topic, partition] = m.assignment[i];
      bool new_topic = i == 0 || m.assignment[i - 1].first != topic;
      bool last_of_topic = i + 1 == m.assignment.size() || m.assignment[i + 1].first != topic;
      if (new_topic) assignment += (i ? "," : "") + topic + "(";
      else assignment += ",";
      assignment += std::to_string(partition);
      if (last_of_topic) assignment += ")";
    }
    out << pad(g.group, group_w) << " " << pad(m.member_id, id_w) << " "
        << pad(m.group_instance_id.empty() ? "-" : m.group_instance_id, instance_w) << " " << pad(m.host, host_w) << " "
        << pad(m.client_id, client_w) << " " << pad(std::to_string(m.assignment.size()), 12) << " "
        << (assignment.empty() ? "-" : assignment) << "\n";
  }
  return out.str();
}

// As `kafka-consumer-groups --describe --state`.
std::string format_group_state(const GroupSnapshot& g) {
  if (!g.coordinator_available) return coordinator_unavailable(g);
  std::string coordinator = "broker-" + std::to_string(g.coordinator) + " (" + std::to_string(g.coordinator) + ")";
  size_t group_w = std::max<size_t>(15, g.group.size()), coord_w = std::max<size_t>(25, coordinator.size());
  std::ostringstream out;
  out << "\n" << pad("GROUP", group_w) << " " << pad("COORDINATOR (ID)", coord_w) << " " << pad("ASSIGNMENT-STRATEGY", 20)
      << " " << pad("STATE", 20) << " #MEMBERS\n";
  out << pad(g.group, group_w) << " " << pad(coordinator, coord_w) << " " << pad(g.protocol.empty() ? "" : g.protocol, 20)
      << " " << pad(g.state, 20) << " " << g.members.size() << "\n";
  return out.str();
}

int run_describe_command(const std::vector<std::string>& args, const char* program) {
  po::options_description opts(kUsage);
  std::string at_text, topic, group;
  opts.add_options()("help,h", "show this help")("at", po::value<std::string>(&at_text), "simulated time")(
      "topic", po::value<std::string>(&topic), "only this topic")("group", po::value<std::string>(&group),
                                                                  "only this consumer group")(
      "members", "list each group's members and their assignment instead of its offsets")(
      "state", "print each group's coordinator, assignor, state and member count instead of its offsets");
  po::options_description hidden;
  hidden.add_options()("results", po::value<std::vector<std::string>>(), "");
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("results", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return usage_error(e.what());
  }
  if (vm.count("help")) {
    std::cout << opts;
    return kOk;
  }
  std::vector<std::string> problems;
  if (!vm.count("results") || vm["results"].as<std::vector<std::string>>().size() != 1)
    problems.push_back("describe needs exactly one results folder");
  if (at_text.empty()) problems.push_back("describe needs --at TIME");
  auto at = parse_time(at_text);
  if (!at_text.empty() && (!at || *at < 0))
    problems.push_back("--at: '" + at_text + "' is not a time (for example 12.5s, 1500ms or 12.5)");
  if (!problems.empty()) {
    for (const auto& p : problems) std::cerr << "kafkasim: " << p << "\n";
    std::cerr << "Run 'kafkasim describe --help' for usage.\n";
    return kBadInput;
  }
  const fs::path dir = vm["results"].as<std::vector<std::string>>().front();
  const fs::path resolved = dir / "scenario.resolved.json";
  if (!fs::exists(resolved)) {
    std::cerr << "kafkasim: " << dir.string() << ": not a results folder (no scenario.resolved.json)\n";
    return kBadInput;
  }
  LoadResult loaded = load_scenario_file(resolved.string(), {});
  for (const auto& e : loaded.errors) std::cerr << format_diagnostic(e) << "\n";
  if (!loaded.ok()) return kBadInput;
  const Scenario& scenario = *loaded.scenario;
  const double end = scenario.duration_s + scenario.settle_s;
  if (*at > end) {
    std::cerr << "kafkasim: --at " << at_text << " is after the end of the run (" << units::format_duration(end) << ")\n";
    return kBadInput;
  }
  problems.clear();
  if (!topic.empty() && std::none_of(scenario.topics.begin(), scenario.topics.end(),
                                     [&](const TopicSpec& t) { return t.name == topic; }))
    problems.push_back("--topic: no topic '" + topic + "' in " + resolved.string());
  if (!group.empty() && std::none_of(scenario.consumers.begin(), scenario.consumers.end(), [&](const ConsumerSpec& c) {
        return c.config.get_string("group.id") == group;
      }))
    problems.push_back("--group: no consumer group '" + group + "' in " + resolved.string());
  if (!problems.empty()) {
    for (const auto& p : problems) std::cerr << "kafkasim: " << p << "\n";
    return kBadInput;
  }

  // The replay writes into a scratch folder that is removed afterwards; its event log is compared with the run's.
  fs::path scratch = fs::temp_directory_path() / ("kafkasim-describe-" + std::to_string(::getpid()));
  RunOptions options;
  options.out_dir = scratch / "replay";
  options.stop_at = *at;
  std::string text;
  bool diverged = false;
  options.on_snapshot = [&](const ClusterSnapshot& snap) {
    diverged = events_before(snap.events_file, snap.at) != events_before(dir / "events.jsonl", snap.at);
    std::ostringstream out;
    out << "# kafkasim describe " << dir.string() << " --at " << units::format_duration(snap.at) << "\n";
    out << "# active controller: " << (snap.controller.empty() ? "none" : snap.controller) << "; brokers up: "
        << [&] {
             std::string s;
             for (size_t i = 0; i < snap.brokers_up.size(); ++i) s += (i ? "," : "") + std::to_string(snap.brokers_up[i]);
             return s.empty() ? std::string("none") : s;
           }()
        << "\n";
    if (group.empty()) out << format_topics(snap, topic);
    if (topic.empty() || !group.empty())
      for (const GroupSnapshot& g : snap.groups)
        if (group.empty() || g.group == group)
          out << (vm.count("state")     ? format_group_state(g)
                  : vm.count("members") ? format_group_members(g)
                                        : format_group_offsets(g));
    text = out.str();
  };
  std::vector<char*> sg_args{const_cast<char*>(program), nullptr};
  int sg_argc = 1;
  try {
    run_simulation(scenario, nlohmann::json::object(), options, &sg_argc, sg_args.data());
  } catch (const std::exception& e) {
    std::error_code ec;
    fs::remove_all(scratch, ec);
    std::cerr << "kafkasim: " << e.what() << "\n";
    return kFailure;
  }
  std::error_code ec;
  fs::remove_all(scratch, ec);
  std::cout << text;
  if (diverged)
    std::cerr << "warning: the replay's events before " << units::format_duration(*at) << " differ from "
              << (dir / "events.jsonl").string()
              << ": the results were written by a different kafkasim version or edited; the state shown is this "
                 "version's\n";
  return kOk;
}

}  // namespace kafkasim::cli
