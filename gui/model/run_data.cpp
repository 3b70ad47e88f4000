#include "model/run_data.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace kafkasim::viewer {

namespace {
const char* const kResultFiles[] = {"summary.json", "metrics.csv", "events.jsonl", "scenario.resolved.json"};
}

QString RunData::displayName() const {
  if (!scenario.name.isEmpty()) return scenario.name;
  if (!summary.scenario().isEmpty()) return summary.scenario();
  return QFileInfo(folder).fileName();
}

double RunData::endS() const {
  double end = summary.durationS();
  if (end <= 0) end = scenario.durationS;
  end = std::max({end, metrics->lastTime(), events->lastTime()});
  return end;
}

bool RunData::isUnusable() const {
  return summary.isEmpty() && metrics->isEmpty() && events->isEmpty();
}

bool RunData::hasErrors() const {
  return std::any_of(problems.begin(), problems.end(),
                     [](const LoadProblem& p) { return p.severity == LoadProblem::Severity::error; });
}

std::shared_ptr<const RunData> loadRun(const QString& folder) {
  auto run = std::make_shared<RunData>();
  run->folder = folder;
  const QDir dir(folder);
  if (!QFileInfo(folder).isDir()) {
    run->problems.append(LoadProblem{LoadProblem::Severity::error, folder, 0,
                                     QFileInfo::exists(folder) ? QStringLiteral("not a folder")
                                                               : QStringLiteral("folder not found")});
    return run;
  }
  bool any = false;
  for (const char* name : kResultFiles) any = any || dir.exists(QLatin1String(name));
  if (!any) {
    run->problems.append(LoadProblem{
        LoadProblem::Severity::error, folder, 0,
        QStringLiteral("not a kafkasim results folder: none of summary.json, metrics.csv, events.jsonl, "
                       "scenario.resolved.json is in it")});
    return run;
  }

  auto summary = SummaryReader::readFile(dir.filePath(QStringLiteral("summary.json")));
  run->summary = std::move(summary.summary);
  run->problems += summary.problems;

  auto metrics = MetricsReader::readFile(dir.filePath(QStringLiteral("metrics.csv")));
  run->metrics = std::make_shared<const MetricsTable>(std::move(metrics.table));
  run->problems += metrics.problems;

  auto events = EventReader::readFile(dir.filePath(QStringLiteral("events.jsonl")));
  run->events = std::make_shared<const EventLog>(std::move(events.log));
  run->problems += events.problems;

  auto scenario = ScenarioReader::readFile(dir.filePath(QStringLiteral("scenario.resolved.json")));
  run->scenario = std::move(scenario.info);
  run->problems += scenario.problems;

  run->cluster = ClusterTimeline(run->events);
  run->marks = EventMarks::fromLog(*run->events, run->endS());
  return run;
}

QString resultsFolderFor(const QString& path) {
  const QFileInfo info(path);
  if (info.isDir()) return info.absoluteFilePath();
  for (const char* name : kResultFiles) {
    if (info.fileName() == QLatin1String(name) && info.exists()) {
      // scenario.resolved.json is also a runnable scenario; it means "this run" only next to a summary.
      if (info.fileName() == QStringLiteral("scenario.resolved.json") &&
          !QFileInfo::exists(info.dir().filePath(QStringLiteral("summary.json"))))
        return {};
      return info.absolutePath();
    }
  }
  return {};
}

}  // namespace kafkasim::viewer
