// metrics.csv in memory: one column of doubles per CSV column, looked up by name (results/README.md: later
// versions add columns, so nothing here depends on column positions).
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

#include "results/load_problem.h"

namespace kafkasim::viewer {

class MetricsTable {
 public:
  static constexpr const char* kTimeColumn = "time_s";

  MetricsTable() = default;
  MetricsTable(QStringList names, std::vector<std::vector<double>> columns);

  int rowCount() const { return columns_.empty() ? 0 : static_cast<int>(columns_.front().size()); }
  int columnCount() const { return static_cast<int>(names_.size()); }
  bool isEmpty() const { return rowCount() == 0; }

  const QStringList& columnNames() const { return names_; }
  const QString& columnName(int column) const { return names_.at(column); }
  // Index of the column with this exact name, or -1.
  int column(const QString& name) const { return index_.value(name, -1); }
  bool hasColumn(const QString& name) const { return index_.contains(name); }
  // Names of the columns that start with `prefix`, in file order.
  QStringList columnsWithPrefix(const QString& prefix) const;

  // REQUIRES: 0 <= column < columnCount(). Missing cells are NaN.
  const std::vector<double>& values(int column) const { return columns_.at(column); }
  // The time_s column (empty when the table is empty).
  const std::vector<double>& times() const;

  double firstTime() const { return isEmpty() ? 0.0 : times().front(); }
  double lastTime() const { return isEmpty() ? 0.0 : times().back(); }
  // Row whose time is the last one <= t, or -1 when t is before the first row.
  int rowAtOrBefore(double t) const;
  // Value of `column` at the row rowAtOrBefore(t); NaN when there is none.
  double valueAt(int column, double t) const;

 private:
  QStringList names_;
  QHash<QString, int> index_;
  std::vector<std::vector<double>> columns_;
  std::vector<double> noTimes_;
};

struct MetricsReadResult {
  MetricsTable table;
  LoadProblems problems;
};

// Reads metrics.csv. A file that cannot be used (missing, no header, no time_s column) gives an empty table and
// an error; a bad row (wrong number of fields, a value that is not a number) is skipped with a warning naming
// its line.
class MetricsReader {
 public:
  static MetricsReadResult readFile(const QString& path);
  // `path` is only used in problem messages.
  static MetricsReadResult parse(const QByteArray& text, const QString& path);
};

}  // namespace kafkasim::viewer
