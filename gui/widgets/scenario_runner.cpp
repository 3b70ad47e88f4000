#include "widgets/scenario_runner.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace kafkasim::viewer {

ScenarioRunner::ScenarioRunner(QObject* parent) : QObject(parent), kafkasim_(findKafkasim()) {
  process_.setProcessChannelMode(QProcess::SeparateChannels);
  connect(&process_, &QProcess::finished, this, &ScenarioRunner::onFinished);
  connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart || reported_) return;
    reported_ = true;
    errorText_ = tr("Could not start %1: %2").arg(kafkasim_, process_.errorString());
    Q_EMIT done(Outcome::not_started);
  });
}

ScenarioRunner::~ScenarioRunner() {
  if (isRunning()) {
    process_.kill();
    process_.waitForFinished(3000);
  }
}

QString ScenarioRunner::findKafkasim() {
  const QString fromEnv = qEnvironmentVariable("KAFKASIM_BINARY");
  if (!fromEnv.isEmpty() && QFileInfo(fromEnv).isExecutable()) return fromEnv;
  const QDir here(QCoreApplication::applicationDirPath());
  for (const QString& candidate : {here.filePath(QStringLiteral("../sim/kafkasim")), here.filePath(QStringLiteral("kafkasim")),
                                   here.filePath(QStringLiteral("../../sim/kafkasim"))}) {
    const QFileInfo info(candidate);
    if (info.isFile() && info.isExecutable()) return info.canonicalFilePath();
  }
  return QStandardPaths::findExecutable(QStringLiteral("kafkasim"));
}

QString ScenarioRunner::defaultOutputFolder(const QString& scenarioPath, const QString& scenarioName) {
  const QString name = scenarioName.isEmpty() ? QFileInfo(scenarioPath).completeBaseName() : scenarioName;
  const QDir scenarioDir = QFileInfo(scenarioPath).absoluteDir();
  const QString repoResults = scenarioDir.absoluteFilePath(QStringLiteral("../results"));
  if (scenarioDir.dirName() == QStringLiteral("scenarios") && QFileInfo(repoResults).isDir() &&
      QFileInfo(repoResults).isWritable())
    return QDir::cleanPath(QDir(repoResults).filePath(name));
  QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
  if (cache.isEmpty()) cache = QDir::temp().filePath(QStringLiteral("kafkasim-viewer"));
  return QDir(cache).filePath(QStringLiteral("runs/") + name);
}

QString ScenarioRunner::commandLine() const {
  return QStringLiteral("%1 run %2 --out %3 -q").arg(kafkasim_, scenario_, output_);
}

void ScenarioRunner::start(const QString& scenarioPath, const QString& outputFolder) {
  scenario_ = scenarioPath;
  output_ = outputFolder;
  errorText_.clear();
  cancelled_ = false;
  reported_ = false;
  if (kafkasim_.isEmpty()) {
    reported_ = true;
    errorText_ = tr("The kafkasim binary was not found next to the viewer (../sim/kafkasim) or on PATH. "
                    "Build it (cmake --build BUILD --target kafkasim) or set KAFKASIM_BINARY.");
    Q_EMIT done(Outcome::not_started);
    return;
  }
  QDir().mkpath(QFileInfo(outputFolder).absolutePath());
  elapsed_.start();
  process_.start(kafkasim_, {QStringLiteral("run"), scenarioPath, QStringLiteral("--out"), outputFolder,
                             QStringLiteral("-q")});
  Q_EMIT started();
}

void ScenarioRunner::cancel() {
  if (!isRunning()) return;
  cancelled_ = true;
  process_.kill();
}

void ScenarioRunner::onFinished(int exitCode, QProcess::ExitStatus status) {
  if (reported_) return;
  reported_ = true;
  const QString err = QString::fromUtf8(process_.readAllStandardError()).trimmed();
  const QString out = QString::fromUtf8(process_.readAllStandardOutput()).trimmed();
  if (cancelled_) {
    errorText_ = tr("Cancelled after %1 s.").arg(elapsedMs() / 1000.0, 0, 'f', 1);
    Q_EMIT done(Outcome::cancelled);
    return;
  }
  if (status == QProcess::CrashExit) {
    errorText_ = tr("kafkasim crashed.\n%1").arg(err);
    Q_EMIT done(Outcome::failed);
    return;
  }
  if (exitCode == 0) {
    errorText_ = err;  // warnings, e.g. about configuration kafkasim adjusted
    Q_EMIT done(Outcome::finished);
    return;
  }
  errorText_ = err.isEmpty() ? out : err;
  Q_EMIT done(exitCode == 2 ? Outcome::invalid : Outcome::failed);
}

}  // namespace kafkasim::viewer
