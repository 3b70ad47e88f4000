#include "core/units.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace kafkasim::units {
namespace {

// Splits "12.5ms" into 12.5 and "ms". Rejects empty numbers, signs, NaN/inf and spaces inside.
std::optional<std::pair<double, std::string>> split(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0) return std::nullopt;
  std::string number(text.substr(0, i));
  if (number.find('.') != number.rfind('.')) return std::nullopt;
  if (number == ".") return std::nullopt;
  size_t j = i;
  while (j < text.size() && text[j] == ' ') ++j;  // "10 ms" is accepted
  std::string unit(text.substr(j));
  char* end = nullptr;
  double value = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !std::isfinite(value)) return std::nullopt;
  return std::make_pair(value, unit);
}

std::optional<double> scaled(std::string_view text, const std::vector<std::pair<std::string, double>>& table) {
  auto parts = split(text);
  if (!parts) return std::nullopt;
  for (const auto& [unit, factor] : table)
    if (parts->second == unit) return parts->first * factor;
  return std::nullopt;
}

std::string trim_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

}  // namespace

std::optional<double> parse_duration_s(std::string_view text) {
  static const std::vector<std::pair<std::string, double>> table = {
      {"ns", 1e-9}, {"us", 1e-6}, {"µs", 1e-6}, {"ms", 1e-3}, {"s", 1.0}, {"m", 60.0}, {"min", 60.0}, {"h", 3600.0}};
  return scaled(text, table);
}

std::optional<double> parse_bytes(std::string_view text) {
  static const std::vector<std::pair<std::string, double>> table = {
      {"B", 1.0},      {"KB", 1e3},       {"kB", 1e3},       {"MB", 1e6},           {"GB", 1e9},
      {"TB", 1e12},    {"KiB", 1024.0},   {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0}};
  return scaled(text, table);
}

std::optional<double> parse_bandwidth_Bps(std::string_view text) {
  static const std::vector<std::pair<std::string, double>> table = {
      {"bps", 1.0 / 8},   {"Kbps", 1e3 / 8},  {"kbps", 1e3 / 8},  {"Mbps", 1e6 / 8},  {"Gbps", 1e9 / 8},
      {"Tbps", 1e12 / 8}, {"Bps", 1.0},       {"B/s", 1.0},       {"KBps", 1e3},      {"kBps", 1e3},
      {"KB/s", 1e3},      {"MBps", 1e6},      {"MB/s", 1e6},      {"GBps", 1e9},      {"GB/s", 1e9},
      {"KiBps", 1024.0},  {"MiBps", 1048576.0}, {"MiB/s", 1048576.0}, {"GiBps", 1073741824.0},
      {"GiB/s", 1073741824.0}};
  return scaled(text, table);
}

std::string format_duration(double seconds) {
  if (seconds == 0) return "0s";
  if (seconds >= 1 && std::fmod(seconds, 1.0) == 0) return trim_number(seconds) + "s";
  if (seconds >= 1e-3) return trim_number(seconds * 1e3) + "ms";
  return trim_number(seconds * 1e6) + "us";
}

std::string format_bytes(double bytes) { return trim_number(bytes) + "B"; }

std::string format_bandwidth(double bytes_per_s) { return trim_number(bytes_per_s) + "Bps"; }

}  // namespace kafkasim::units
