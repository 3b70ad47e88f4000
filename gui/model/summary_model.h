// The summary table of one run, or of several side by side (one column per run, rows matched by key), so that
// "acks=1 vs acks=all" reads as two columns of the same rows. Differences in rows where more is worse (lost,
// duplicated, latency) are highlighted.
#pragma once

#include <QAbstractTableModel>
#include <QList>

#include <memory>

#include "model/run_data.h"

namespace kafkasim::viewer {

class SummaryModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  static constexpr int SectionRole = Qt::UserRole + 1;  // the row's section ("Records")
  static constexpr int KeyRole = Qt::UserRole + 2;      // the row's key ("records/lost")
  static constexpr int ValueRole = Qt::UserRole + 3;    // the raw value
  static constexpr int HeadingRole = Qt::UserRole + 4;  // true on the heading row of a section

  explicit SummaryModel(QObject* parent = nullptr);

  void setRuns(QList<std::shared_ptr<const RunData>> runs);
  int runCount() const { return int(runs_.size()); }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;  // 1 (label) + one per run
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  // Row of a key, or -1.
  int rowOf(const QString& key) const;

 private:
  struct Row {
    QString key, section, label;
    bool higherIsWorse = false;
    QList<QVariant> values;  // one per run; invalid when that run lacks the row
    bool heading = false;    // a section heading, no values
  };
  QList<std::shared_ptr<const RunData>> runs_;
  QList<Row> rows_;
};

// 1234567 -> "1,234,567"; 3.3791 -> "3.379"
QString formatSummaryValue(const QVariant& value);

}  // namespace kafkasim::viewer
