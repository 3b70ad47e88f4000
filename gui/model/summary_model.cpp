#include "model/summary_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QHash>
#include <QLocale>

namespace kafkasim::viewer {

QString formatSummaryValue(const QVariant& value) {
  if (!value.isValid()) return QStringLiteral("—");
  if (value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Int)
    return QLocale(QLocale::English).toString(value.toLongLong());
  if (value.typeId() == QMetaType::Double) {
    const double d = value.toDouble();
    return QLocale(QLocale::English).toString(d, 'f', std::abs(d) >= 100 ? 1 : 3);
  }
  return value.toString();
}

SummaryModel::SummaryModel(QObject* parent) : QAbstractTableModel(parent) {}

void SummaryModel::setRuns(QList<std::shared_ptr<const RunData>> runs) {
  beginResetModel();
  runs_ = std::move(runs);
  rows_.clear();
  QHash<QString, int> index;
  for (int r = 0; r < runs_.size(); ++r) {
    const RunData& run = *runs_[r];
    int insertAt = 0;  // rows only one run has go after the last row they follow in that run
    for (const SummaryRow& sr : run.summary.rows()) {
      auto it = index.find(sr.key);
      if (it == index.end()) {
        Row row{sr.key, sr.section, sr.label, sr.higherIsWorse, QList<QVariant>(runs_.size())};
        // keep rows of a section together
        while (insertAt < rows_.size() && rows_[insertAt].section == sr.section) ++insertAt;
        rows_.insert(insertAt, row);
        for (auto i = index.begin(); i != index.end(); ++i)
          if (i.value() >= insertAt) ++i.value();
        it = index.insert(sr.key, insertAt);
      }
      rows_[it.value()].values[r] = sr.value;
      insertAt = it.value() + 1;
    }
  }
  // A heading row before each section.
  QList<Row> withHeadings;
  for (const Row& row : rows_) {
    if (withHeadings.isEmpty() || withHeadings.back().section != row.section)
      withHeadings.append(Row{QString(), row.section, row.section, false, QList<QVariant>(runs_.size()), true});
    withHeadings.append(row);
  }
  rows_ = std::move(withHeadings);
  endResetModel();
}

int SummaryModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

int SummaryModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : 1 + int(std::max<qsizetype>(1, runs_.size()));
}

QVariant SummaryModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rows_.size()) return {};
  const Row& row = rows_[index.row()];
  const int run = index.column() - 1;
  if (row.heading) {
    switch (role) {
      case Qt::DisplayRole: return index.column() == 0 ? row.label : QString();
      case Qt::FontRole: {
        QFont f;
        f.setBold(true);
        return f;
      }
      case Qt::BackgroundRole: return QBrush(QColor(0xE4, 0xE8, 0xEE));
      case SectionRole: return row.section;
      case HeadingRole: return true;
      default: return {};
    }
  }
  switch (role) {
    case Qt::DisplayRole:
      if (index.column() == 0) return row.label;
      return run < row.values.size() ? formatSummaryValue(row.values[run]) : QString();
    case Qt::ToolTipRole: return QStringLiteral("%1 — %2 (%3)").arg(row.section, row.label, row.key);
    case SectionRole: return row.section;
    case KeyRole: return row.key;
    case ValueRole: return run >= 0 && run < row.values.size() ? row.values[run] : QVariant();
    case Qt::TextAlignmentRole:
      return index.column() == 0 ? int(Qt::AlignLeft | Qt::AlignVCenter) : int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole: {
      if (row.key == QStringLiteral("records/lost") || row.key == QStringLiteral("records/duplicated")) {
        QFont f;
        f.setBold(true);
        return f;
      }
      return {};
    }
    case Qt::ForegroundRole: {
      if (run < 0 || !row.higherIsWorse || run >= row.values.size()) return {};
      // Worse than the best run in this row (or, for one run, a non-zero count of lost/duplicated records).
      const QVariant& v = row.values[run];
      if (!v.isValid() || v.typeId() == QMetaType::QString) return {};
      double best = v.toDouble();
      for (const QVariant& other : row.values)
        if (other.isValid() && other.typeId() != QMetaType::QString) best = std::min(best, other.toDouble());
      const bool singleBad = runs_.size() == 1 && row.key.startsWith(QStringLiteral("records/")) && v.toDouble() > 0;
      if (v.toDouble() > best || singleBad) return QBrush(QColor(0xB0, 0x00, 0x20));
      return {};
    }
    default: return {};
  }
}

QVariant SummaryModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole || orientation != Qt::Horizontal) return {};
  if (section == 0) return QStringLiteral("summary.json");
  const int run = section - 1;
  if (run < runs_.size()) {
    const QString name = runs_[run]->displayName();
    return runs_.size() > 1 ? QStringLiteral("%1: %2").arg(QChar(u'A' + run)).arg(name) : name;
  }
  return {};
}

int SummaryModel::rowOf(const QString& key) const {
  for (int i = 0; i < rows_.size(); ++i)
    if (!rows_[i].heading && rows_[i].key == key) return i;
  return -1;
}

}  // namespace kafkasim::viewer
