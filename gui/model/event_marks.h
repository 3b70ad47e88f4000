// What the charts draw across the time axis: fault periods as shaded bands (fault_started .. fault_healed, or the
// end of the run when never healed) and key events (crash, election, heal, rebalance, truncation) as markers.
#pragma once

#include <QList>
#include <QString>

#include <vector>

#include "results/event_log.h"

namespace kafkasim::viewer {

struct FaultBand {
  double startS = 0;
  double endS = 0;
  bool healed = false;  // false: still in force when the run ended
  QString fault, target, description;
  QString label() const;  // "network partition on broker-1 (10 s – 25 s)"
};

// A phase of the run drawn as a grey band: the settle period after the scenario's duration.
struct PhaseBand {
  double startS = 0;
  double endS = 0;
  QString name;   // "settle"
  QString label;  // tooltip text
};

enum class MarkerKind {
  crash,       // broker_crashed, broker_power_lost
  recovery,    // broker_restarted, broker_unfenced
  fenced,      // broker_fenced
  election,    // leader_elected, controller_elected
  heal,        // fault_healed
  rebalance,   // rebalance_started, rebalance_completed
  truncation,  // log_truncated: records removed from a replica's log
};
QString markerKindName(MarkerKind kind);  // "crash", "election", ...

struct EventMarker {
  double timeS = 0;
  MarkerKind kind = MarkerKind::crash;
  int eventIndex = -1;  // into the EventLog
  QString text;         // describeEvent()
};

class EventMarks {
 public:
  EventMarks() = default;
  // `runEndS`: where a fault that never healed stops being drawn.
  static EventMarks fromLog(const EventLog& log, double runEndS);

  const QList<FaultBand>& bands() const { return bands_; }
  const QList<PhaseBand>& phases() const { return phases_; }
  const std::vector<EventMarker>& markers() const { return markers_; }
  // Markers with start <= time <= end, as an index range [first, last).
  std::pair<int, int> markersBetween(double startS, double endS) const;
  bool isEmpty() const { return bands_.isEmpty() && markers_.empty(); }

 private:
  QList<FaultBand> bands_;
  QList<PhaseBand> phases_;
  std::vector<EventMarker> markers_;  // sorted by time
};

}  // namespace kafkasim::viewer
