#include "widgets/cluster_view.h"

#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

#include "model/cluster_state_model.h"
#include "results/scenario_info.h"
#include "widgets/theme.h"

namespace kafkasim::viewer {

namespace {

const QColor kUpFill(0xE3, 0xF4, 0xEC), kUpLine(0x00, 0x7A, 0x50);
const QColor kDownFill(0xFB, 0xE3, 0xDE), kDownLine(0xB0, 0x1C, 0x00);
const QColor kFencedFill(0xFF, 0xF1, 0xCC), kFencedLine(0x9A, 0x60, 0x00);
const QColor kIdleFill(0xEE, 0xEE, 0xEE), kIdleLine(0x88, 0x88, 0x88);
const QColor kLeader(0x00, 0x4C, 0x80), kFollower(0x8C, 0xC2, 0xE6), kOutOfSync(0xB0, 0x1C, 0x00);

struct Cursor {
  int y = 0;
};

// The control-plane hosts a run has, from its resolved scenario: "controller-0".. in KRaft mode with dedicated
// controllers, none when the brokers are also controllers (or ZooKeeper mode, where a broker is the controller).
QStringList controllerHosts(const RunData* run) {
  if (!run) return {};
  const QJsonObject plane =
      run->scenario.root.value(QLatin1String("cluster")).toObject().value(QLatin1String("control_plane")).toObject();
  const QString mode = plane.value(QLatin1String("mode")).toString();
  const int nodes = plane.value(QLatin1String("nodes")).toInt();
  QStringList hosts;
  if (mode == QStringLiteral("kraft"))
    for (int i = 0; i < nodes; ++i) hosts.append(QStringLiteral("controller-%1").arg(i));
  return hosts;
}

}  // namespace

ClusterView::ClusterView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("clusterView"));
  setAutoFillBackground(true);
  QPalette p = palette();
  p.setColor(QPalette::Window, Qt::white);
  setPalette(p);
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
}

void ClusterView::setModel(ClusterStateModel* model) {
  if (model_) disconnect(model_, nullptr, this, nullptr);
  model_ = model;
  if (model_)
    connect(model_, &ClusterStateModel::stateChanged, this, [this] {
      updateHeight();
      update();
    });
  updateHeight();
  update();
}

QSize ClusterView::sizeHint() const { return {520, layoutAndPaint(nullptr, std::max(width(), 520))}; }
QSize ClusterView::minimumSizeHint() const { return {360, layoutAndPaint(nullptr, std::max(width(), 360))}; }

void ClusterView::updateHeight() {
  const int h = layoutAndPaint(nullptr, width());
  if (h != minimumHeight()) setMinimumHeight(h);
}

void ClusterView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  updateHeight();
}

void ClusterView::paintEvent(QPaintEvent* event) {
  QPainter painter(this);
  painter.setClipRect(event->rect());
  painter.setRenderHint(QPainter::Antialiasing);
  painter.fillRect(rect(), Qt::white);
  layoutAndPaint(&painter, width());
}

int ClusterView::layoutAndPaint(QPainter* p, int width) const {
  const int margin = 12;
  const int inner = std::max(200, width - 2 * margin);
  const QFont heading = theme::font(13, true);
  const QFont body = theme::font(11);
  const QFont bodyBold = theme::font(11, true);
  const QFont small = theme::font(9.5);
  const QFontMetrics hm(heading), bm(body), sm(small);
  int y = margin;

  auto text = [&](const QFont& f, const QColor& c, int x, int top, const QString& s, int w = 0) {
    if (!p) return;
    p->setFont(f);
    p->setPen(c);
    const QFontMetrics m(f);
    p->drawText(QRect(x, top, w > 0 ? w : inner, m.height()), Qt::AlignLeft | Qt::AlignVCenter,
                w > 0 ? m.elidedText(s, Qt::ElideRight, w) : s);
  };

  if (!model_ || !model_->run()) {
    text(body, theme::mutedTextColor(), margin, y, tr("No run open."));
    return y + bm.height() + margin;
  }
  const ClusterState& state = model_->state();
  const RunData* run = model_->run();

  // Time and controller.
  text(heading, theme::textColor(), margin, y, tr("Cluster at t = %1 s").arg(model_->time(), 0, 'f', 3));
  y += hm.height() + 4;
  const QString controller =
      state.controller.isEmpty()
          ? tr("Active controller: not in the event log yet (no controller_elected event)")
          : tr("Active controller: %1 (epoch %2)").arg(state.controller).arg(state.controllerEpoch);
  text(body, state.controller.isEmpty() ? theme::mutedTextColor() : theme::textColor(), margin, y, controller);
  y += bm.height() + 6;

  // Faults in force.
  for (const ActiveFault& f : state.faults) {
    QString s = tr("FAULT since %1 s: %2 on %3").arg(f.sinceS, 0, 'f', 1).arg(f.fault, f.target);
    if (!f.description.isEmpty()) s += QStringLiteral(" — ") + f.description;
    if (p) p->fillRect(QRect(margin, y, inner, bm.height() + 4), QColor(0xFB, 0xE3, 0xDE));
    text(bodyBold, kDownLine, margin + 6, y + 2, s, inner - 12);
    y += bm.height() + 8;
  }

  // Hosts: controllers (KRaft quorum), then brokers.
  const QStringList controllers = controllerHosts(run);
  int hostNameW = QFontMetrics(bodyBold).horizontalAdvance(QStringLiteral("not started"));
  for (const QString& c : controllers) hostNameW = std::max(hostNameW, QFontMetrics(bodyBold).horizontalAdvance(c));
  const int boxW = std::max(110, hostNameW + 22);
  const int boxH = bm.height() * 2 + sm.height() + 12;
  const int perRow = std::max(1, (inner + 8) / (boxW + 8));
  auto hostBox = [&](int index, const QString& name, const QString& status, const QString& detail, const QColor& fill,
                     const QColor& line, bool active, int top) {
    const int x = margin + (index % perRow) * (boxW + 8);
    const int by = top + (index / perRow) * (boxH + 8);
    if (!p) return;
    QRectF r(x + 0.5, by + 0.5, boxW - 1, boxH - 1);
    p->setPen(QPen(line, active ? 3.5 : 1.5));
    p->setBrush(fill);
    p->drawRoundedRect(r, 6, 6);
    text(bodyBold, theme::textColor(), x + 8, by + 4, name, boxW - 16);
    text(bodyBold, line, x + 8, by + 4 + bm.height(), status, boxW - 16);
    text(small, theme::mutedTextColor(), x + 8, by + 6 + 2 * bm.height(), detail, boxW - 16);
  };
  auto rowsFor = [&](int n) { return n == 0 ? 0 : (n + perRow - 1) / perRow; };

  if (!controllers.isEmpty()) {
    text(bodyBold, theme::textColor(), margin, y, tr("Controllers (KRaft quorum)"));
    y += bm.height() + 4;
    for (int i = 0; i < controllers.size(); ++i) {
      const bool active = controllers[i] == state.controller;
      hostBox(i, controllers[i], active ? tr("ACTIVE") : tr("voter"), active ? tr("epoch %1").arg(state.controllerEpoch) : QString(),
              active ? QColor(0xE6, 0xEE, 0xF8) : kIdleFill, active ? kLeader : kIdleLine, active, y);
    }
    y += rowsFor(int(controllers.size())) * (boxH + 8);
  }

  text(bodyBold, theme::textColor(), margin, y, tr("Brokers"));
  y += bm.height() + 4;
  for (int i = 0; i < state.brokers.size(); ++i) {
    const BrokerState& b = state.brokers[i];
    QString status;
    QColor fill, line;
    switch (b.status()) {
      case BrokerState::Status::up: status = tr("UP"), fill = kUpFill, line = kUpLine; break;
      case BrokerState::Status::down:
        status = tr("DOWN"), fill = kDownFill, line = kDownLine;
        break;
      case BrokerState::Status::fenced: status = tr("FENCED"), fill = kFencedFill, line = kFencedLine; break;
      case BrokerState::Status::not_started: status = tr("not started"), fill = kIdleFill, line = kIdleLine; break;
    }
    const bool isController = state.controller == brokerName(b.id);
    QString detail = tr("leads %1").arg(state.leaderCount(b.id));
    if (b.fenced && b.status() == BrokerState::Status::down) detail = tr("fenced · ") + detail;
    if (isController) detail += tr(" · controller");
    hostBox(i, brokerName(b.id), status, detail, fill, line, isController, y);
  }
  y += rowsFor(int(state.brokers.size())) * (boxH + 8) + 4;

  // Partitions: one row each, one column per broker.
  const int offline = state.offlineCount(), under = state.underReplicatedCount();
  QString partitionsTitle = tr("Partitions: %1").arg(state.partitions.size());
  if (offline) partitionsTitle += tr(" · %1 OFFLINE").arg(offline);
  if (under) partitionsTitle += tr(" · %1 under-replicated").arg(under);
  text(bodyBold, offline ? kDownLine : theme::textColor(), margin, y, partitionsTitle);
  y += bm.height() + 2;
  // Legend.
  {
    int x = margin;
    const int cell = sm.height();
    auto legend = [&](const QColor& fill, const QColor& line, const QString& glyph, const QString& label) {
      if (p) {
        p->setPen(QPen(line, 1.5));
        p->setBrush(fill);
        p->drawRoundedRect(QRectF(x + 0.5, y + 0.5, cell, cell), 3, 3);
        p->setFont(small);
        p->setPen(fill == Qt::white ? line : Qt::white);
        p->drawText(QRect(x, y, cell, cell), Qt::AlignCenter, glyph);
      }
      text(small, theme::mutedTextColor(), x + cell + 4, y, label, sm.horizontalAdvance(label) + 2);
      x += cell + 12 + sm.horizontalAdvance(label);
    };
    legend(kLeader, kLeader, QStringLiteral("L"), tr("leader"));
    legend(kFollower, kFollower, QString(), tr("in-sync replica"));
    legend(Qt::white, kOutOfSync, QStringLiteral("!"), tr("replica out of the ISR"));
    y += cell + 6;
  }
  // Widths in the bold font: offline rows are drawn bold.
  const QFontMetrics bbm(bodyBold);
  const int nameW = std::max(bbm.horizontalAdvance(QStringLiteral("orders/00")),
                             [&] {
                               int w = 0;
                               for (const PartitionState& ps : state.partitions) w = std::max(w, bbm.horizontalAdvance(ps.name()));
                               return std::min(w, inner / 3);
                             }()) + 12;
  const int brokerCount = int(state.brokers.size());
  const int isrW = bbm.horizontalAdvance(QStringLiteral("ISR 3/3 OFFLINE")) + 8;
  const int cellW = brokerCount > 0 ? std::clamp((inner - nameW - isrW) / brokerCount, 18, 80) : 18;
  const int rowH = bm.height() + 6;
  // Column headers: broker ids, red when down.
  for (int b = 0; b < brokerCount; ++b) {
    const BrokerState& bs = state.brokers[b];
    const QColor c = bs.status() == BrokerState::Status::up ? theme::textColor()
                     : bs.status() == BrokerState::Status::fenced ? kFencedLine
                                                                  : kDownLine;
    if (p) {
      p->setFont(bodyBold);
      p->setPen(c);
      p->drawText(QRect(margin + nameW + b * cellW, y, cellW, rowH), Qt::AlignCenter,
                  cellW >= bm.horizontalAdvance(QStringLiteral("b-00")) + 4 ? QStringLiteral("b-%1").arg(b)
                                                                            : QString::number(b));
    }
  }
  y += rowH;
  const int partitionsTop = y;
  // Only the rows in view are painted: a cluster of thousands of partitions scrolls without cost.
  const QRectF visible = p ? p->clipBoundingRect() : QRectF();
  const int firstRow = visible.isEmpty() ? 0 : std::max(0, int((visible.top() - partitionsTop) / rowH));
  const int rows = int(state.partitions.size());
  const int lastRow = visible.isEmpty() ? rows : std::min(rows, int((visible.bottom() - partitionsTop) / rowH) + 1);
  for (int row = 0; row < state.partitions.size(); ++row) {
    if (p && (row < firstRow || row >= lastRow)) {
      y += rowH;
      continue;
    }
    const PartitionState& ps = state.partitions[row];
    if (p) {
      if (ps.offline()) p->fillRect(QRect(margin, y, inner, rowH), QColor(0xFB, 0xE3, 0xDE));
      else if (row % 2) p->fillRect(QRect(margin, y, inner, rowH), QColor(0xF6, 0xF7, 0xF9));
    }
    text(ps.offline() ? bodyBold : body, ps.offline() ? kDownLine : theme::textColor(), margin + 4, y + 3, ps.name(),
         nameW - 6);
    for (int b = 0; b < brokerCount; ++b) {
      if (!ps.replicas.contains(b)) continue;
      const QRectF cell(margin + nameW + b * cellW + (cellW - (rowH - 6)) / 2.0 + 0.5, y + 3.5, rowH - 7, rowH - 7);
      const bool leader = ps.leader == b, inSync = ps.isr.contains(b);
      if (!p) continue;
      if (leader) {
        p->setPen(QPen(kLeader, 1.5));
        p->setBrush(kLeader);
      } else if (inSync) {
        p->setPen(QPen(kFollower, 1.5));
        p->setBrush(kFollower);
      } else {
        p->setPen(QPen(kOutOfSync, 2));
        p->setBrush(Qt::white);
      }
      p->drawRoundedRect(cell, 3, 3);
      if (leader || !inSync) {
        p->setFont(small);
        p->setPen(leader ? Qt::white : kOutOfSync);
        p->drawText(cell, Qt::AlignCenter, leader ? QStringLiteral("L") : QStringLiteral("!"));
      }
    }
    QString isr = tr("ISR %1/%2").arg(ps.isr.size()).arg(ps.replicas.size());
    if (ps.offline()) isr += tr(" OFFLINE");
    text(ps.offline() || ps.underReplicated() ? bodyBold : body,
         ps.offline() || ps.underReplicated() ? kDownLine : theme::mutedTextColor(),
         margin + nameW + brokerCount * cellW + 8, y + 3, isr, isrW);
    y += rowH;
  }
  y += 10;

  // Consumer groups.
  text(bodyBold, theme::textColor(), margin, y, tr("Consumer groups"));
  y += bm.height() + 4;
  if (state.groups.isEmpty()) {
    text(body, theme::mutedTextColor(), margin + 8, y, tr("none"));
    y += bm.height() + 4;
  }
  for (const GroupState& g : state.groups) {
    QString title = g.group;
    if (g.generation >= 0) title += tr(" — generation %1").arg(g.generation);
    if (!g.protocol.isEmpty()) title += QStringLiteral(" (%1)").arg(g.protocol);
    if (g.rebalancing) title += tr(" — REBALANCING");
    if (g.rebalancing && !g.lastRebalanceReason.isEmpty()) title += QStringLiteral(": ") + g.lastRebalanceReason;
    text(bodyBold, g.rebalancing ? kFencedLine : theme::textColor(), margin + 8, y, title, inner - 8);
    y += bm.height() + 2;
    if (!g.members.isEmpty()) {
      for (const GroupMemberAssignment& m : g.members) {
        const QString assignment =
            m.assignment.isEmpty() ? tr("(nothing assigned)") : m.assignment.join(QStringLiteral(", "));
        text(body, theme::textColor(), margin + 24, y, m.member + QStringLiteral(" → ") + assignment, inner - 24);
        y += bm.height() + 2;
      }
    } else {
      for (int i = 0; i < g.consumers.size(); ++i) {
        const int n = g.consumerPartitions.value(i, -1);
        const QString detail = n >= 0 ? tr("%1 partitions (assignment not in the event log)").arg(n)
                                      : tr("assignment not in the event log");
        text(body, theme::textColor(), margin + 24, y, g.consumers[i] + QStringLiteral(" → ") + detail, inner - 24);
        y += bm.height() + 2;
      }
    }
    y += 4;
  }
  return y + margin;
}

}  // namespace kafkasim::viewer
