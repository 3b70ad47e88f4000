// The cluster picture at the cursor time: brokers (up, down, fenced), the active controller, each partition's
// leader, replicas and ISR as a grid (one column per broker), the faults in force, and each consumer group's
// members and assignment. Observes a ClusterStateModel; painted, so it reads the same on a projector and in a PNG.
#pragma once

#include <QPointer>
#include <QWidget>

namespace kafkasim::viewer {

class ClusterStateModel;

class ClusterView : public QWidget {
  Q_OBJECT
 public:
  explicit ClusterView(QWidget* parent = nullptr);

  void setModel(ClusterStateModel* model);
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  // Paints when `painter` is set; returns the height the picture needs at this width either way.
  int layoutAndPaint(QPainter* painter, int width) const;
  void updateHeight();

  QPointer<ClusterStateModel> model_;
};

}  // namespace kafkasim::viewer
