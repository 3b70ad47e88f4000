#include "metrics/results_writer.h"

#include <stdexcept>
#include <unistd.h>

namespace kafkasim {
namespace fs = std::filesystem;

ResultsWriter::ResultsWriter(fs::path destination) : destination_(std::move(destination)) {
  fs::path parent = destination_.parent_path();
  if (parent.empty()) parent = ".";
  fs::create_directories(parent);
  const std::string stem = "." + destination_.filename().string() + ".partial-";
  // Leftovers of killed runs.
  for (const auto& entry : fs::directory_iterator(parent))
    if (entry.path().filename().string().rfind(stem, 0) == 0) fs::remove_all(entry.path());
  staging_ = parent / (stem + std::to_string(::getpid()));
  fs::create_directories(staging_);
}

ResultsWriter::~ResultsWriter() {
  if (!committed_) {
    std::error_code ignored;
    fs::remove_all(staging_, ignored);
  }
}

std::ofstream ResultsWriter::open(const std::string& file_name) const {
  std::ofstream out(staging_ / file_name, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + (staging_ / file_name).string());
  return out;
}

void ResultsWriter::write_file(const std::string& file_name, const std::string& content) const {
  auto out = open(file_name);
  out << content;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + (staging_ / file_name).string());
}

void ResultsWriter::commit() {
  fs::path old;
  if (fs::exists(destination_)) {
    old = destination_.parent_path() / ("." + destination_.filename().string() + ".old-" + std::to_string(::getpid()));
    fs::remove_all(old);
    fs::rename(destination_, old);
  }
  fs::rename(staging_, destination_);
  committed_ = true;
  if (!old.empty()) fs::remove_all(old);
}

}  // namespace kafkasim
