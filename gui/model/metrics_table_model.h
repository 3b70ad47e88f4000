// metrics.csv as a QAbstractTableModel: the Data tab shows it, and the charts observe it (on modelReset they
// rebuild their series from table(), looking columns up by name).
#pragma once

#include <QAbstractTableModel>

#include <memory>

#include "results/metrics_table.h"

namespace kafkasim::viewer {

class MetricsTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  static constexpr int ValueRole = Qt::UserRole + 1;  // the double itself (DisplayRole is formatted)

  explicit MetricsTableModel(QObject* parent = nullptr);

  void setTable(std::shared_ptr<const MetricsTable> table);  // resets the model
  const std::shared_ptr<const MetricsTable>& table() const { return table_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::shared_ptr<const MetricsTable> table_;
};

}  // namespace kafkasim::viewer
