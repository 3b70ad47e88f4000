// What the viewer needs from a scenario file (a user's scenario, or scenario.resolved.json in a results folder):
// its name and story for the window title, and its simulated duration for the progress display of a run.
// Validation is kafkasim's job (`kafkasim validate`); this reader only extracts.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

#include "results/load_problem.h"

namespace kafkasim::viewer {

// "30s" -> 30, "250ms" -> 0.25, "2h" -> 7200 (units as kafkasim accepts them: ns, us, ms, s, m, min, h).
std::optional<double> parseDurationS(const QString& text);
// 30 -> "30 s", 0.25 -> "250 ms", 5400 -> "1 h 30 min"
QString formatDuration(double seconds);

struct ScenarioInfo {
  QString name;
  QString description;
  QString expected;
  qint64 seed = 0;
  double durationS = 0;  // 0 when the file does not say
  int brokers = 0;
  QStringList producerAcks;  // "checkout: acks=1"
  int faults = 0;
  QJsonObject root;
};

struct ScenarioReadResult {
  ScenarioInfo info;
  LoadProblems problems;
};

class ScenarioReader {
 public:
  static ScenarioReadResult readFile(const QString& path);
  static ScenarioReadResult parse(const QByteArray& text, const QString& path);
};

}  // namespace kafkasim::viewer
