// summary.json in memory: the raw object plus the rows the summary table shows, in a fixed reading order
// (record fates first), so that two runs can be compared row by row.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QVariant>

#include "results/load_problem.h"

namespace kafkasim::viewer {

struct SummaryRow {
  QString key;      // stable id used to match rows of two runs: "records/lost", "producer/checkout/retries"
  QString section;  // "Records", "Latency (ms)", ...
  QString label;    // "lost (acknowledged, not in the final log)"
  QVariant value;   // a number (qint64 or double) or a string
  bool higherIsWorse = false;  // for highlighting differences between runs (lost, duplicated, latency)
};

class RunSummary {
 public:
  RunSummary() = default;
  explicit RunSummary(QJsonObject root);

  bool isEmpty() const { return root_.isEmpty(); }
  const QJsonObject& root() const { return root_; }
  const QList<SummaryRow>& rows() const { return rows_; }

  QString scenario() const;
  qint64 seed() const;
  double durationS() const;  // 0 when absent
  // A number at a path like {"records", "lost"}; NaN when absent or not a number.
  double number(std::initializer_list<const char*> path) const;

 private:
  QJsonObject root_;
  QList<SummaryRow> rows_;
};

struct SummaryReadResult {
  RunSummary summary;
  LoadProblems problems;
};

class SummaryReader {
 public:
  static SummaryReadResult readFile(const QString& path);
  static SummaryReadResult parse(const QByteArray& text, const QString& path);
};

}  // namespace kafkasim::viewer
