// Writes a run's result files into a hidden staging folder next to the destination and moves it into place
// only when every file is complete, so an interrupted run never leaves a half-written result behind.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace kafkasim {

class ResultsWriter {
 public:
  explicit ResultsWriter(std::filesystem::path destination);
  ~ResultsWriter();  // removes the staging folder if commit() was not reached

  // Opens a file in the staging folder.
  std::ofstream open(const std::string& file_name) const;
  void write_file(const std::string& file_name, const std::string& content) const;
  // Replaces the destination with the staging folder.
  void commit();
  const std::filesystem::path& destination() const { return destination_; }
  const std::filesystem::path& staging() const { return staging_; }

 private:
  std::filesystem::path destination_;
  std::filesystem::path staging_;
  bool committed_ = false;
};

}  // namespace kafkasim
