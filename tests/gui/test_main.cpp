// Runs the viewer's tests inside a QApplication on the offscreen platform (no display needed), with settings and
// caches in a folder of their own so that tests neither read nor change the user's recent files.
#include <QApplication>
#include <QDir>
#include <gtest/gtest.h>

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  const QByteArray home = QDir::temp().filePath(QStringLiteral("kafkasim-viewer-tests-%1").arg(QCoreApplication::applicationPid())).toUtf8();
  QDir().mkpath(QString::fromUtf8(home));
  qputenv("XDG_CONFIG_HOME", home + "/config");
  qputenv("XDG_CACHE_HOME", home + "/cache");
  qputenv("XDG_RUNTIME_DIR", home + "/runtime");
  QDir().mkpath(QString::fromUtf8(home + "/runtime"));
  QFile::setPermissions(QString::fromUtf8(home + "/runtime"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
  ::testing::InitGoogleTest(&argc, argv);
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("kafkasim"));
  QApplication::setApplicationName(QStringLiteral("kafkasim-viewer-tests"));
  const int status = RUN_ALL_TESTS();
  QDir(QString::fromUtf8(home)).removeRecursively();
  return status;
}
