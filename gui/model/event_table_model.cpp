#include "model/event_table_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace kafkasim::viewer {

namespace {
bool isKeyEvent(EventType type) {
  switch (type) {
    case EventType::fault_started:
    case EventType::fault_healed:
    case EventType::broker_crashed:
    case EventType::broker_power_lost:
    case EventType::broker_restarted:
    case EventType::broker_fenced:
    case EventType::broker_unfenced:
    case EventType::controller_elected:
    case EventType::leader_elected:
    case EventType::isr_changed:
    case EventType::log_truncated:
    case EventType::rebalance_started:
    case EventType::rebalance_completed:
    case EventType::member_joined:
    case EventType::member_left: return true;
    default: return false;
  }
}

bool isBadNews(EventType type) {
  switch (type) {
    case EventType::fault_started:
    case EventType::broker_crashed:
    case EventType::broker_power_lost:
    case EventType::log_truncated:
    case EventType::batch_failed:
    case EventType::commit_failed: return true;
    default: return false;
  }
}
}  // namespace

EventTableModel::EventTableModel(QObject* parent)
    : QAbstractTableModel(parent), log_(std::make_shared<EventLog>()) {}

void EventTableModel::setLog(std::shared_ptr<const EventLog> log) {
  beginResetModel();
  log_ = log ? std::move(log) : std::make_shared<EventLog>();
  endResetModel();
}

int EventTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : log_->size(); }

int EventTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant EventTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= log_->size()) return {};
  const Event& e = log_->at(index.row());
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case TimeColumn: return QString::number(e.timeS, 'f', 3);
        case TypeColumn: return e.name();
        case DescriptionColumn: return describeEvent(e);
      }
      return {};
    case Qt::ToolTipRole: return describeEvent(e);
    case TimeRole: return e.timeS;
    case TypeRole: return e.name();
    case Qt::TextAlignmentRole:
      return index.column() == TimeColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::ForegroundRole:
      if (isBadNews(e.type)) return QBrush(QColor(0xB0, 0x00, 0x20));
      return {};
    case Qt::FontRole:
      if (isKeyEvent(e.type)) {
        QFont f;
        f.setBold(true);
        return f;
      }
      return {};
    case KeyEventRole: return isKeyEvent(e.type);
    default: return {};
  }
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole || orientation != Qt::Horizontal) return {};
  switch (section) {
    case TimeColumn: return QStringLiteral("time (s)");
    case TypeColumn: return QStringLiteral("type");
    case DescriptionColumn: return QStringLiteral("what happened");
  }
  return {};
}

EventFilterModel::EventFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {}

void EventFilterModel::setTypeFilter(const QString& type) {
  type_ = type;
  invalidateFilter();
}

void EventFilterModel::setTextFilter(const QString& text) {
  text_ = text;
  invalidateFilter();
}

bool EventFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
  if (type_ == QStringLiteral("key")) {
    if (!index.data(EventTableModel::KeyEventRole).toBool()) return false;
  } else if (!type_.isEmpty() && index.data(EventTableModel::TypeRole).toString() != type_) {
    return false;
  }
  if (!text_.isEmpty()) {
    const QModelIndex description = sourceModel()->index(sourceRow, EventTableModel::DescriptionColumn, sourceParent);
    if (!description.data().toString().contains(text_, Qt::CaseInsensitive)) return false;
  }
  return true;
}

}  // namespace kafkasim::viewer
