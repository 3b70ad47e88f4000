#include "results/metrics_table.h"

#include <QFile>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace kafkasim::viewer {

MetricsTable::MetricsTable(QStringList names, std::vector<std::vector<double>> columns)
    : names_(std::move(names)), columns_(std::move(columns)) {
  for (int i = 0; i < names_.size(); ++i)
    if (!index_.contains(names_[i])) index_.insert(names_[i], i);
}

QStringList MetricsTable::columnsWithPrefix(const QString& prefix) const {
  QStringList out;
  for (const QString& name : names_)
    if (name.startsWith(prefix)) out.append(name);
  return out;
}

const std::vector<double>& MetricsTable::times() const {
  const int c = column(QString::fromLatin1(kTimeColumn));
  return c < 0 ? noTimes_ : columns_[c];
}

int MetricsTable::rowAtOrBefore(double t) const {
  const auto& ts = times();
  auto it = std::upper_bound(ts.begin(), ts.end(), t);
  return static_cast<int>(it - ts.begin()) - 1;
}

double MetricsTable::valueAt(int column, double t) const {
  const int row = rowAtOrBefore(t);
  if (row < 0 || column < 0 || column >= columnCount()) return std::numeric_limits<double>::quiet_NaN();
  return columns_[column][row];
}

namespace {

// Splits one CSV line (no quoting: kafkasim writes none) into views.
void splitFields(const char* begin, const char* end, std::vector<std::pair<const char*, const char*>>& out) {
  out.clear();
  const char* start = begin;
  for (const char* p = begin; p != end; ++p) {
    if (*p == ',') {
      out.emplace_back(start, p);
      start = p + 1;
    }
  }
  out.emplace_back(start, end);
}

bool parseNumber(const char* begin, const char* end, double& value) {
  while (begin != end && (*begin == ' ' || *begin == '\t')) ++begin;
  while (end != begin && (end[-1] == ' ' || end[-1] == '\t')) --end;
  if (begin == end) {
    value = std::numeric_limits<double>::quiet_NaN();  // an empty cell: no value for this interval
    return true;
  }
  if (*begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec == std::errc() && ptr == end) return true;
  const std::string_view text(begin, end - begin);
  if (text == "nan" || text == "NaN") {
    value = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  return false;
}

}  // namespace

MetricsReadResult MetricsReader::readFile(const QString& path) {
  QFile file(path);
  if (!file.exists()) {
    ProblemCollector problems(path);
    problems.error(QStringLiteral("file not found"));
    return {{}, problems.take()};
  }
  if (!file.open(QIODevice::ReadOnly)) {
    ProblemCollector problems(path);
    problems.error(QStringLiteral("cannot be read: %1").arg(file.errorString()));
    return {{}, problems.take()};
  }
  return parse(file.readAll(), path);
}

MetricsReadResult MetricsReader::parse(const QByteArray& text, const QString& path) {
  ProblemCollector problems(path);
  const char* p = text.constData();
  const char* const end = p + text.size();
  int lineNumber = 0;

  auto nextLine = [&](const char*& lineBegin, const char*& lineEnd) {
    if (p >= end) return false;
    lineBegin = p;
    const char* nl = static_cast<const char*>(memchr(p, '\n', end - p));
    lineEnd = nl ? nl : end;
    p = nl ? nl + 1 : end;
    if (lineEnd != lineBegin && lineEnd[-1] == '\r') --lineEnd;
    ++lineNumber;
    return true;
  };

  const char* lineBegin = nullptr;
  const char* lineEnd = nullptr;
  if (!nextLine(lineBegin, lineEnd) || lineBegin == lineEnd) {
    problems.error(QStringLiteral("empty file: expected a header row starting with time_s"));
    return {{}, problems.take()};
  }

  std::vector<std::pair<const char*, const char*>> fields;
  splitFields(lineBegin, lineEnd, fields);
  QStringList names;
  for (auto [b, e] : fields) names.append(QString::fromUtf8(b, e - b).trimmed());
  const int timeColumn = names.indexOf(QString::fromLatin1(MetricsTable::kTimeColumn));
  if (timeColumn < 0) {
    problems.error(QStringLiteral("the header row has no time_s column (header: \"%1\")")
                       .arg(QString::fromUtf8(lineBegin, std::min<qsizetype>(lineEnd - lineBegin, 120))),
                   lineNumber);
    return {{}, problems.take()};
  }
  for (int i = 0; i < names.size(); ++i) {
    if (names[i].isEmpty()) problems.warning(QStringLiteral("column %1 has no name").arg(i + 1), lineNumber);
    else if (names.indexOf(names[i]) != i)
      problems.warning(QStringLiteral("column \"%1\" appears twice; the first one is used").arg(names[i]), lineNumber);
  }

  std::vector<std::vector<double>> columns(names.size());
  // Rows are about 10 bytes per field; reserve to avoid regrowing on hour-long runs.
  const size_t expectedRows = static_cast<size_t>(text.size() / std::max<qsizetype>(1, (lineEnd - lineBegin) + 1));
  for (auto& c : columns) c.reserve(expectedRows + 1);

  std::vector<double> row(names.size());
  double previousTime = -std::numeric_limits<double>::infinity();
  while (nextLine(lineBegin, lineEnd)) {
    if (lineBegin == lineEnd) continue;  // a trailing empty line
    splitFields(lineBegin, lineEnd, fields);
    if (fields.size() != static_cast<size_t>(names.size())) {
      problems.warning(QStringLiteral("expected %1 fields like the header, found %2; row skipped")
                           .arg(names.size())
                           .arg(fields.size()),
                       lineNumber);
      continue;
    }
    bool ok = true;
    for (size_t i = 0; i < fields.size() && ok; ++i) {
      if (!parseNumber(fields[i].first, fields[i].second, row[i])) {
        problems.warning(QStringLiteral("column \"%1\": \"%2\" is not a number; row skipped")
                             .arg(names[static_cast<int>(i)],
                                  QString::fromUtf8(fields[i].first,
                                                    std::min<qsizetype>(fields[i].second - fields[i].first, 40))),
                         lineNumber);
        ok = false;
      }
    }
    if (!ok) continue;
    const double t = row[timeColumn];
    if (std::isnan(t) || t < previousTime) {
      problems.warning(QStringLiteral("time_s %1 is missing or goes back in time (previous row: %2); row skipped")
                           .arg(t)
                           .arg(previousTime),
                       lineNumber);
      continue;
    }
    previousTime = t;
    for (size_t i = 0; i < row.size(); ++i) columns[i].push_back(row[i]);
  }
  if (columns[timeColumn].empty()) problems.warning(QStringLiteral("no data rows after the header"));
  return {MetricsTable(std::move(names), std::move(columns)), problems.take()};
}

}  // namespace kafkasim::viewer
