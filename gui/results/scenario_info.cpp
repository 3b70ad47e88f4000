#include "results/scenario_info.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace kafkasim::viewer {

std::optional<double> parseDurationS(const QString& text) {
  static const QRegularExpression pattern(QStringLiteral(R"(^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-zµ]*)\s*$)"));
  const auto match = pattern.match(text);
  if (!match.hasMatch()) return std::nullopt;
  const double value = match.captured(1).toDouble();
  const QString unit = match.captured(2);
  static const QList<std::pair<QString, double>> units = {
      {QStringLiteral("ns"), 1e-9}, {QStringLiteral("us"), 1e-6}, {QStringLiteral("µs"), 1e-6},
      {QStringLiteral("ms"), 1e-3}, {QStringLiteral("s"), 1.0},   {QStringLiteral("m"), 60.0},
      {QStringLiteral("min"), 60.0}, {QStringLiteral("h"), 3600.0}};
  for (const auto& [name, factor] : units)
    if (unit == name) return value * factor;
  return std::nullopt;
}

QString formatDuration(double seconds) {
  if (!std::isfinite(seconds)) return QStringLiteral("?");
  if (seconds < 1e-3 && seconds != 0) return QStringLiteral("%1 µs").arg(seconds * 1e6, 0, 'g', 3);
  if (seconds < 1 && seconds != 0) return QStringLiteral("%1 ms").arg(seconds * 1e3, 0, 'g', 3);
  if (seconds < 120) return QStringLiteral("%1 s").arg(seconds, 0, 'g', 4);
  const qint64 total = std::llround(seconds);
  const qint64 h = total / 3600, m = (total % 3600) / 60, s = total % 60;
  if (h == 0) return s ? QStringLiteral("%1 min %2 s").arg(m).arg(s) : QStringLiteral("%1 min").arg(m);
  return m ? QStringLiteral("%1 h %2 min").arg(h).arg(m) : QStringLiteral("%1 h").arg(h);
}

// kafkasim reads scenarios with // and /* */ comments (nlohmann's ignore_comments); Qt's parser does not.
// Comments become spaces, newlines stay, so offsets and line numbers of errors still point into the file.
static QByteArray blankComments(QByteArray text) {
  bool inString = false;
  for (qsizetype i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      if (c == '\\') ++i;
      else if (c == '"') inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      for (; i < text.size() && text[i] != '\n'; ++i) text[i] = ' ';
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      const qsizetype end = text.indexOf("*/", i + 2);
      const qsizetype stop = end < 0 ? text.size() : end + 2;
      for (; i < stop; ++i)
        if (text[i] != '\n') text[i] = ' ';
      --i;
    }
  }
  return text;
}

ScenarioReadResult ScenarioReader::readFile(const QString& path) {
  QFile file(path);
  ProblemCollector problems(path);
  if (!file.exists()) {
    problems.error(QStringLiteral("file not found"));
    return {{}, problems.take()};
  }
  if (!file.open(QIODevice::ReadOnly)) {
    problems.error(QStringLiteral("cannot be read: %1").arg(file.errorString()));
    return {{}, problems.take()};
  }
  return parse(file.readAll(), path);
}

ScenarioReadResult ScenarioReader::parse(const QByteArray& text, const QString& path) {
  ProblemCollector problems(path);
  QJsonParseError error;
  const QJsonDocument doc = QJsonDocument::fromJson(blankComments(text), &error);
  if (error.error != QJsonParseError::NoError) {
    const int line =
        1 + static_cast<int>(std::count(text.begin(), text.begin() + std::min<qsizetype>(error.offset, text.size()), '\n'));
    problems.error(QStringLiteral("not valid JSON: %1").arg(error.errorString()), line);
    return {{}, problems.take()};
  }
  if (!doc.isObject()) {
    problems.error(QStringLiteral("expected a scenario object with name, duration, cluster, topics, ..."));
    return {{}, problems.take()};
  }
  ScenarioInfo info;
  info.root = doc.object();
  info.name = info.root.value(QLatin1String("name")).toString();
  info.description = info.root.value(QLatin1String("description")).toString();
  info.expected = info.root.value(QLatin1String("expected")).toString();
  info.seed = info.root.value(QLatin1String("seed")).toInteger();
  const QJsonValue duration = info.root.value(QLatin1String("duration"));
  if (duration.isString()) {
    if (auto s = parseDurationS(duration.toString())) info.durationS = *s;
    else problems.warning(QStringLiteral("/duration: \"%1\" is not a duration like \"30s\"").arg(duration.toString()));
  } else if (duration.isDouble()) {
    info.durationS = duration.toDouble();
  }
  const QJsonValue brokers = info.root.value(QLatin1String("cluster")).toObject().value(QLatin1String("brokers"));
  info.brokers = brokers.isDouble() ? brokers.toInt() : int(brokers.toArray().size());
  for (const QJsonValue& p : info.root.value(QLatin1String("producers")).toArray()) {
    const QJsonObject po = p.toObject();
    const QJsonValue acks = po.value(QLatin1String("config")).toObject().value(QLatin1String("acks"));
    if (!acks.isUndefined())
      info.producerAcks.append(QStringLiteral("%1: acks=%2").arg(
          po.value(QLatin1String("name")).toString(),
          acks.isDouble() ? QString::number(acks.toInt()) : acks.toString()));
  }
  info.faults = int(info.root.value(QLatin1String("faults")).toArray().size());
  return {std::move(info), problems.take()};
}

}  // namespace kafkasim::viewer
