// Runs the viewer's tests inside a QApplication on the offscreen platform (no display needed).
#include <QApplication>
#include <gtest/gtest.h>

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  ::testing::InitGoogleTest(&argc, argv);
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("kafkasim"));
  QApplication::setApplicationName(QStringLiteral("kafkasim-viewer-tests"));
  return RUN_ALL_TESTS();
}
