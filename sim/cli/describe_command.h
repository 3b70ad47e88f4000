// `kafkasim describe RESULTS_DIR --at TIME`: the cluster and its consumer groups at a simulated time, in the
// layout of `kafka-topics --describe` and `kafka-consumer-groups --describe`. The state comes from a
// deterministic replay of the run's scenario.resolved.json up to that time, checked against the run's event log.
#pragma once

#include <string>
#include <vector>

#include "run/cluster_snapshot.h"

namespace kafkasim::cli {

// args are the words after "describe". Exit codes: 0 success, 1 failure while replaying, 2 bad input or usage.
int run_describe_command(const std::vector<std::string>& args, const char* program);

// The tables, as Kafka's tools print them (tab-separated topic lines; space-padded group columns).
std::string format_topics(const ClusterSnapshot& snapshot, const std::string& only_topic = "");
std::string format_group_offsets(const GroupSnapshot& group);
std::string format_group_members(const GroupSnapshot& group);
std::string format_group_state(const GroupSnapshot& group);

}  // namespace kafkasim::cli
