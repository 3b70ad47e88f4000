#include "model/metrics_table_model.h"

#include <cmath>

namespace kafkasim::viewer {

MetricsTableModel::MetricsTableModel(QObject* parent)
    : QAbstractTableModel(parent), table_(std::make_shared<MetricsTable>()) {}

void MetricsTableModel::setTable(std::shared_ptr<const MetricsTable> table) {
  beginResetModel();
  table_ = table ? std::move(table) : std::make_shared<MetricsTable>();
  endResetModel();
}

int MetricsTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : table_->rowCount();
}

int MetricsTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : table_->columnCount();
}

QVariant MetricsTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= table_->rowCount() || index.column() >= table_->columnCount()) return {};
  const double v = table_->values(index.column())[index.row()];
  switch (role) {
    case Qt::DisplayRole:
      if (std::isnan(v)) return QString();
      return v == std::floor(v) && std::abs(v) < 1e15 ? QString::number(qint64(v)) : QString::number(v, 'f', 3);
    case ValueRole: return v;
    case Qt::TextAlignmentRole: return int(Qt::AlignRight | Qt::AlignVCenter);
    default: return {};
  }
}

QVariant MetricsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole) return {};
  if (orientation == Qt::Horizontal)
    return section < table_->columnCount() ? QVariant(table_->columnName(section)) : QVariant();
  return section + 1;
}

}  // namespace kafkasim::viewer
