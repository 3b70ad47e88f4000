#include "model/event_marks.h"

#include <algorithm>
#include <optional>

#include "results/scenario_info.h"

namespace kafkasim::viewer {

QString FaultBand::label() const {
  QString s = QStringLiteral("%1 on %2 (%3 – %4%5)")
                  .arg(fault, target, formatDuration(startS), formatDuration(endS),
                       healed ? QString() : QStringLiteral(", never healed"));
  if (!description.isEmpty()) s += QStringLiteral(": ") + description;
  return s;
}

QString markerKindName(MarkerKind kind) {
  switch (kind) {
    case MarkerKind::crash: return QStringLiteral("crash");
    case MarkerKind::recovery: return QStringLiteral("recovery");
    case MarkerKind::fenced: return QStringLiteral("fenced");
    case MarkerKind::election: return QStringLiteral("election");
    case MarkerKind::heal: return QStringLiteral("heal");
    case MarkerKind::rebalance: return QStringLiteral("rebalance");
    case MarkerKind::truncation: return QStringLiteral("truncation");
  }
  return {};
}

namespace {
std::optional<MarkerKind> markerKind(EventType type) {
  switch (type) {
    case EventType::broker_crashed:
    case EventType::broker_power_lost: return MarkerKind::crash;
    case EventType::broker_restarted:
    case EventType::broker_unfenced: return MarkerKind::recovery;
    case EventType::broker_fenced: return MarkerKind::fenced;
    case EventType::leader_elected:
    case EventType::controller_elected: return MarkerKind::election;
    case EventType::fault_healed: return MarkerKind::heal;
    case EventType::rebalance_started:
    case EventType::rebalance_completed: return MarkerKind::rebalance;
    case EventType::log_truncated: return MarkerKind::truncation;
    default: return std::nullopt;
  }
}
}  // namespace

EventMarks EventMarks::fromLog(const EventLog& log, double runEndS) {
  EventMarks marks;
  QList<int> open;  // indices into bands_ of faults not yet healed
  for (int i = 0; i < log.size(); ++i) {
    const Event& e = log.at(i);
    if (e.type == EventType::fault_started || e.type == EventType::fault_healed) {
      const auto& f = std::get<FaultEvent>(e.payload);
      if (e.type == EventType::fault_started) {
        marks.bands_.append(FaultBand{e.timeS, std::max(runEndS, e.timeS), false, f.fault, f.target, f.description});
        open.append(int(marks.bands_.size()) - 1);
      } else {
        for (int k = 0; k < open.size(); ++k) {
          FaultBand& band = marks.bands_[open[k]];
          if (band.fault == f.fault && band.target == f.target) {
            band.endS = e.timeS;
            band.healed = true;
            open.removeAt(k);
            break;
          }
        }
      }
    }
    if (const auto* settle = std::get_if<SettleStarted>(&e.payload))
      marks.phases_.append(PhaseBand{e.timeS, std::max(e.timeS, settle->untilS), QStringLiteral("settle"),
                                     describeEvent(e)});
    if (auto kind = markerKind(e.type)) marks.markers_.push_back(EventMarker{e.timeS, *kind, i, describeEvent(e)});
  }
  return marks;
}

std::pair<int, int> EventMarks::markersBetween(double startS, double endS) const {
  auto first = std::lower_bound(markers_.begin(), markers_.end(), startS,
                                [](const EventMarker& m, double t) { return m.timeS < t; });
  auto last = std::upper_bound(first, markers_.end(), endS, [](double t, const EventMarker& m) { return t < m.timeS; });
  return {int(first - markers_.begin()), int(last - markers_.begin())};
}

}  // namespace kafkasim::viewer
