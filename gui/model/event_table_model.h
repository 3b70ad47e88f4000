// events.jsonl as a table (time, type, what happened) for the Events tab; selecting a row moves the time cursor.
#pragma once

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <memory>

#include "results/event_log.h"

namespace kafkasim::viewer {

class EventTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { TimeColumn, TypeColumn, DescriptionColumn, ColumnCount };
  static constexpr int TimeRole = Qt::UserRole + 1;  // double seconds
  static constexpr int TypeRole = Qt::UserRole + 2;  // the type name
  static constexpr int KeyEventRole = Qt::UserRole + 3;  // bool: a fault, crash, election, ISR or group change

  explicit EventTableModel(QObject* parent = nullptr);

  void setLog(std::shared_ptr<const EventLog> log);
  const std::shared_ptr<const EventLog>& log() const { return log_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::shared_ptr<const EventLog> log_;
};

// Filters the event table by type (empty: all) and by text in the description.
class EventFilterModel : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  explicit EventFilterModel(QObject* parent = nullptr);
  void setTypeFilter(const QString& type);  // "" = every type; "key" = every type drawn as a chart marker
  void setTextFilter(const QString& text);

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  QString type_;
  QString text_;
};

}  // namespace kafkasim::viewer
