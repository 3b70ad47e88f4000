// kafkasim-viewer [RESULTS_DIR | SCENARIO.json]: opens a finished run, or runs a scenario and opens its results.
// With --screenshot (and QT_QPA_PLATFORM=offscreen) it renders the window to a PNG and exits, which is how the
// README's picture and the viewer's offscreen test are made.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>

#include "model/run_data.h"
#include "model/time_cursor.h"
#include "widgets/main_window.h"
#include "widgets/run_view.h"
#include "widgets/theme.h"

using namespace kafkasim::viewer;

namespace {

int fail(const QString& message) {
  std::fprintf(stderr, "kafkasim-viewer: %s\n", qPrintable(message));
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("kafkasim"));
  QApplication::setApplicationName(QStringLiteral("kafkasim-viewer"));
  QApplication::setApplicationVersion(QStringLiteral(KAFKASIM_VIEWER_VERSION));
  {
    QFont f = QApplication::font();
    f.setPointSizeF(std::max(11.0, f.pointSizeF()));
    QApplication::setFont(f);
  }

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Views kafkasim results: charts on one simulated-time axis, the cluster at any moment, two runs "
                     "side by side."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("path"), QStringLiteral("a results folder, or a scenario .json to run"),
                               QStringLiteral("[RESULTS_DIR | SCENARIO.json]"));
  const QCommandLineOption compare(QStringLiteral("compare"), QStringLiteral("open a second results folder beside the first"),
                                   QStringLiteral("RESULTS_DIR"));
  const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                      QStringLiteral("render the window to a PNG and exit (results folders only)"),
                                      QStringLiteral("FILE.png"));
  const QCommandLineOption charts(QStringLiteral("export-charts"),
                                  QStringLiteral("export the charts as PNG or SVG (by extension) and exit"),
                                  QStringLiteral("FILE"));
  const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("window size for --screenshot (default 1600x1000)"),
                                QStringLiteral("WxH"), QStringLiteral("1600x1000"));
  const QCommandLineOption time(QStringLiteral("time"), QStringLiteral("put the time cursor here (simulated seconds)"),
                                QStringLiteral("SECONDS"));
  const QCommandLineOption tab(QStringLiteral("tab"), QStringLiteral("tab to show: cluster, summary, events, data"),
                               QStringLiteral("NAME"));
  const QCommandLineOption fontScale(QStringLiteral("font-scale"),
                                     QStringLiteral("scale every font (1.3 for a projector)"), QStringLiteral("FACTOR"));
  parser.addOptions({compare, screenshot, charts, size, time, tab, fontScale});
  parser.process(app);

  const QStringList paths = parser.positionalArguments();
  if (paths.size() > 1) return fail(QStringLiteral("give one results folder or scenario (use --compare for a second run)"));
  const bool batch = parser.isSet(screenshot) || parser.isSet(charts);

  MainWindow window;
  double scale = QSettings().value(QStringLiteral("fontScale"), 1.0).toDouble();
  if (parser.isSet(fontScale)) scale = parser.value(fontScale).toDouble();
  if (scale > 0 && scale != 1.0) window.setFontScale(scale);

  if (!batch) {
    window.show();
    if (!paths.isEmpty()) {
      window.openPath(paths.first());
      if (parser.isSet(compare)) {
        const QString second = parser.value(compare);
        QObject::connect(&window, &MainWindow::settled, &window, [&window, second] {
          static bool done = false;
          if (done || window.page() != MainWindow::Page::run) return;
          done = true;
          window.compareWith(second);
        });
      }
    }
    return app.exec();
  }

  // Batch: render and exit.
  if (paths.isEmpty()) return fail(QStringLiteral("--screenshot and --export-charts need a results folder"));
  const QString folder = resultsFolderFor(paths.first());
  if (folder.isEmpty()) return fail(QStringLiteral("%1: not a results folder").arg(paths.first()));
  const QStringList wh = parser.value(size).split(QLatin1Char('x'));
  if (wh.size() != 2 || wh[0].toInt() <= 0 || wh[1].toInt() <= 0)
    return fail(QStringLiteral("--size: expected WxH, e.g. 1600x1000"));
  window.resize(wh[0].toInt(), wh[1].toInt());
  window.show();
  window.openResultsNow(folder, parser.isSet(compare) ? resultsFolderFor(parser.value(compare)) : QString());
  if (parser.isSet(time)) window.timeCursor()->setTime(parser.value(time).toDouble());
  if (parser.isSet(tab)) {
    const QStringList names = {QStringLiteral("cluster"), QStringLiteral("summary"), QStringLiteral("events"),
                               QStringLiteral("data")};
    const int index = names.indexOf(parser.value(tab));
    if (index < 0) return fail(QStringLiteral("--tab: expected cluster, summary, events or data"));
    for (int i = 0; i < 2; ++i)
      if (RunView* view = window.runView(i)) view->tabs()->setCurrentIndex(index);
  }
  QApplication::processEvents();
  QApplication::processEvents();
  int status = window.page() == MainWindow::Page::run ? 0 : 1;
  if (parser.isSet(screenshot)) {
    const QString out = parser.value(screenshot);
    if (!window.grab().save(out, "PNG")) return fail(QStringLiteral("%1: cannot be written").arg(out));
    std::printf("%s\n", qPrintable(out));
  }
  if (parser.isSet(charts)) {
    const QString error = window.exportCharts(parser.value(charts));
    if (!error.isEmpty()) return fail(error);
    std::printf("%s\n", qPrintable(parser.value(charts)));
  }
  if (status != 0)
    std::fprintf(stderr, "kafkasim-viewer: %s\n%s\n", qPrintable(window.messageTitle()), qPrintable(window.messageText()));
  return status;
}
