// A problem found while reading a results or scenario file. Readers never throw: they return what they could read
// plus a list of problems, and the window shows each one with the file it is about.
#pragma once

#include <QList>
#include <QString>

namespace kafkasim::viewer {

struct LoadProblem {
  enum class Severity {
    warning,  // part of the file was skipped (a bad line); the rest is shown
    error,    // the file could not be used at all (missing, unreadable, not the expected format)
  };

  Severity severity = Severity::error;
  QString file;  // path of the file, as it was opened
  int line = 0;  // 1-based line of the problem, 0 when it concerns the whole file
  QString message;

  // "/runs/a/metrics.csv, line 17: expected 19 fields, found 12"
  QString toString() const;
};

using LoadProblems = QList<LoadProblem>;

// Collects problems for one file, keeping the first `limit` line problems and counting the rest, so that a file
// with a million bad lines produces a readable list.
class ProblemCollector {
 public:
  explicit ProblemCollector(QString file, int limit = 20) : file_(std::move(file)), limit_(limit) {}

  void error(QString message, int line = 0);
  void warning(QString message, int line = 0);
  bool hasErrors() const { return errors_ > 0; }
  // Counts `n` more warnings that were found but not kept (a parallel reader already hit its limit).
  void addUnlisted(int n) { suppressed_ += n; }
  int count() const { return shown_.size() + suppressed_; }

  // The collected problems, followed by one "and N more" warning if some were left out.
  LoadProblems take();

 private:
  void add(LoadProblem::Severity severity, QString message, int line);

  QString file_;
  int limit_;
  int errors_ = 0;
  int suppressed_ = 0;
  LoadProblems shown_;
};

}  // namespace kafkasim::viewer
