// The end-of-run summary as a readable table for the terminal.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace kafkasim::cli {

std::string format_summary_table(const nlohmann::ordered_json& summary);

}  // namespace kafkasim::cli
