// Paths of the viewer's test fixtures (tests/gui/data, see make_fixtures.py) and small helpers.
#pragma once

#include <QDir>
#include <QString>

#include "model/run_data.h"

namespace kafkasim::viewer::test {

inline QString dataPath(const QString& relative) { return QDir(QStringLiteral(VIEWER_TEST_DATA)).filePath(relative); }
inline QString faultsRun() { return dataPath(QStringLiteral("faults_run")); }
inline QString badRun() { return dataPath(QStringLiteral("bad_run")); }

// Problems of one file (by file name) joined into one string, for EXPECT_THAT-free substring checks.
inline QString problemsOf(const LoadProblems& problems, const QString& fileName) {
  QStringList out;
  for (const LoadProblem& p : problems)
    if (p.file.endsWith(fileName)) out.append(p.toString());
  return out.join(QLatin1Char('\n'));
}

}  // namespace kafkasim::viewer::test
