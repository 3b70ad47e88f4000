// Runs the kafkasim binary from tests and reads what it wrote. Each simulation runs in its own process,
// as SimGrid allows one engine per process.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace kafkasim::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs kafkasim with `args`; stdout and stderr are captured through temporary files.
inline CommandResult kafkasim(const std::vector<std::string>& args) {
  static int counter = 0;
  auto dir = std::filesystem::temp_directory_path() / ("kafkasim-it-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto out = dir / ("out" + std::to_string(counter));
  auto err = dir / ("err" + std::to_string(counter++));
  std::string cmd = shell_quote(KAFKASIM_BINARY);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  cmd += " >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string()) + " </dev/null";
  int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

inline std::filesystem::path fresh_dir_path(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("kafkasim-it-" + std::to_string(::getpid())) / name;
}

inline std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = fresh_dir_path(name);
  std::filesystem::remove_all(dir);
  return dir;
}

inline nlohmann::json read_json(const std::filesystem::path& p) { return nlohmann::json::parse(read_file(p)); }

inline std::string scenario(const std::string& name) { return std::string(KAFKASIM_SCENARIOS) + "/" + name; }
inline std::string test_data(const std::string& name) { return std::string(KAFKASIM_TEST_DATA) + "/" + name; }

// Runs a scenario into a fresh folder and returns its summary; fails the test on a non-zero exit.
inline nlohmann::json run_summary(const std::string& file, const std::string& tag, std::vector<std::string> extra = {}) {
  auto out = fresh_dir(tag);
  std::vector<std::string> args{"run", file, "--out", out.string(), "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  CommandResult r = kafkasim(args);
  if (r.exit_code != 0) throw std::runtime_error("kafkasim failed (" + std::to_string(r.exit_code) + "): " + r.err);
  return read_json(out / "summary.json");
}

}  // namespace kafkasim::testing
