// `kafkasim assign`: prints the partition assignment Kafka's assignor would compute for a group described on the
// command line (topics with partition counts, members with subscriptions and owned partitions).
#pragma once

#include <string>
#include <vector>

namespace kafkasim::cli {

// args are the words after "assign". Exit codes: 0 success, 2 bad input or usage (every problem is listed).
int run_assign_command(const std::vector<std::string>& args);

}  // namespace kafkasim::cli
