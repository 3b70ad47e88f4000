#include "results/load_problem.h"

#include <QDir>

namespace kafkasim::viewer {

QString LoadProblem::toString() const {
  QString where = QDir::toNativeSeparators(file);
  if (line > 0) where += QStringLiteral(", line %1").arg(line);
  return where + QStringLiteral(": ") + message;
}

void ProblemCollector::error(QString message, int line) {
  add(LoadProblem::Severity::error, std::move(message), line);
}

void ProblemCollector::warning(QString message, int line) {
  add(LoadProblem::Severity::warning, std::move(message), line);
}

void ProblemCollector::add(LoadProblem::Severity severity, QString message, int line) {
  if (severity == LoadProblem::Severity::error) ++errors_;
  if (shown_.size() >= limit_) {
    ++suppressed_;
    return;
  }
  shown_.append(LoadProblem{severity, file_, line, std::move(message)});
}

LoadProblems ProblemCollector::take() {
  LoadProblems out = std::move(shown_);
  if (suppressed_ > 0) {
    out.append(LoadProblem{LoadProblem::Severity::warning, file_, 0,
                           QStringLiteral("and %1 more problems like these (not listed)").arg(suppressed_)});
  }
  shown_.clear();
  suppressed_ = 0;
  return out;
}

}  // namespace kafkasim::viewer
