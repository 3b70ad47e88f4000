// Which charts a run gets and which series each holds, decided from the metrics columns (by name, as
// results/README.md asks), the event log and the summary. Pure data, no widgets: the chart views draw what this
// says, and tests check it directly. A chart whose data this run lacks gets a note saying so (and the summary's
// totals) instead of an invented curve.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "model/run_data.h"

namespace kafkasim::viewer {

struct SeriesSpec {
  QString name;    // legend text
  QString source;  // the metrics column ("produced_per_s") or "events:<what>" for series derived from events
  std::shared_ptr<const std::vector<double>> x, y;  // full resolution; the view downsamples
  int colorIndex = 0;
  bool thin = false;  // per-partition detail lines
  bool step = false;  // a count that changes at events: drawn as steps

  int pointCount() const { return x ? static_cast<int>(x->size()) : 0; }
};

struct ChartSpec {
  QString id;  // "throughput", "lag", "loss", "latency", "replication"
  QString title;
  QString yTitle;
  QList<SeriesSpec> series;
  QString note;  // why a chart has no series, or what it leaves out
  bool integerValues = false;
};

struct ChartOptions {
  static constexpr const char* kPerConsumer = "consumers";
  static constexpr const char* kPartitionsOf = "partitions:";
  // Lag detail besides the totals: "" none, kPerConsumer one thin line per consumer, kPartitionsOf + group one thin
  // line per partition of that group (lag:<group>:<topic>/<partition>).
  QString lagDetail;
};

class ChartCatalog {
 public:
  static constexpr const char* kThroughput = "throughput";
  static constexpr const char* kLag = "lag";
  static constexpr const char* kLoss = "loss";
  static constexpr const char* kLatency = "latency";
  static constexpr const char* kReplication = "replication";

  static QStringList chartIds();
  static QList<ChartSpec> build(const RunData& run, const ChartOptions& options = {});
  static ChartSpec build(const QString& id, const RunData& run, const ChartOptions& options = {});

  // The lag details this run's columns allow, as (label, ChartOptions::lagDetail value).
  static QList<std::pair<QString, QString>> lagDetailChoices(const RunData& run);
};

}  // namespace kafkasim::viewer
