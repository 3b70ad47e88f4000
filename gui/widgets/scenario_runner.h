// Runs `kafkasim run SCENARIO --out FOLDER -q` in a child process. kafkasim shows progress only on a terminal, so
// the window shows a busy indicator with the scenario's simulated duration and the elapsed wall time; cancel()
// kills the process (kafkasim writes into a hidden staging folder, so no half-written results are left).
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>

namespace kafkasim::viewer {

class ScenarioRunner : public QObject {
  Q_OBJECT
 public:
  enum class Outcome {
    finished,     // exit code 0: results are in outputFolder()
    invalid,      // exit code 2: the scenario is invalid; errorText() lists every problem with its JSON pointer
    failed,       // another exit code, or a crash
    cancelled,    // cancel() was called
    not_started,  // kafkasim was not found or could not be started
  };
  Q_ENUM(Outcome)

  explicit ScenarioRunner(QObject* parent = nullptr);
  ~ScenarioRunner() override;

  // The kafkasim binary: $KAFKASIM_BINARY, else next to the viewer (../sim/kafkasim in the build tree, or the same
  // folder when installed), else on PATH. Empty when not found.
  static QString findKafkasim();
  // Where results of `scenarioPath` go: <repo>/results/<name> when the scenario sits in a scenarios/ folder next to
  // a results/ folder (the repository's layout, and kafkasim's own default), else a folder under the user's cache.
  static QString defaultOutputFolder(const QString& scenarioPath, const QString& scenarioName);

  void setKafkasim(const QString& path) { kafkasim_ = path; }
  QString kafkasim() const { return kafkasim_; }
  void start(const QString& scenarioPath, const QString& outputFolder);
  void cancel();

  bool isRunning() const { return process_.state() != QProcess::NotRunning; }
  QString scenarioPath() const { return scenario_; }
  QString outputFolder() const { return output_; }
  QString errorText() const { return errorText_; }
  QString commandLine() const;
  qint64 elapsedMs() const { return elapsed_.isValid() ? elapsed_.elapsed() : 0; }

 Q_SIGNALS:
  void started();
  void done(kafkasim::viewer::ScenarioRunner::Outcome outcome);

 private:
  void onFinished(int exitCode, QProcess::ExitStatus status);

  QString kafkasim_;
  QString scenario_, output_;
  QString errorText_;
  QProcess process_;
  QElapsedTimer elapsed_;
  bool cancelled_ = false;
  bool reported_ = false;
};

}  // namespace kafkasim::viewer
