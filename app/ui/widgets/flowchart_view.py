"""Any flow of app.core.workflow drawn on screen, from the same layout the printed flowchart uses,
with the current step and the path taken so far highlighted."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from app.core.workflow import Flow
from app.core.workflow.layout import FlowLayout, FlowTrail, LayoutClock, LayoutEdge, LayoutNode, layout_flow
from app.printing.kit.flowchart import trail_edges, visit_notes
from app.ui.i18n import tr
from app.ui.theme import ACCENT, ACCENT_LIGHT, MUTED, URGENT

LINE = QColor("#4A5563")
FINAL_FILL = QColor("#EEF1F4")
# A clock's bracket and label: apart from the flow's own lines and the highlighted path.
CLOCK = QColor("#8A5A00")
SCREEN_SCALE = 1.6  # layout units are points; on screen a little larger reads better


class FlowchartView(QGraphicsView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setBackgroundBrush(QBrush(QColor("white")))
        self.layout_: FlowLayout | None = None
        self.node_items: dict[str, QGraphicsRectItem] = {}
        self.highlighted_edges: set[int] = set()
        # The text by the clocks' brackets, as drawn (for tests and for reading the chart back).
        self.clock_texts: list[str] = []

    # ----- drawing --------------------------------------------------------------------------------------------
    def show_flow(self, flow: Flow, trail: FlowTrail | None = None) -> None:
        scene = self.scene()
        scene.clear()
        self.node_items.clear()
        self.clock_texts = []
        layout = layout_flow(flow, clock_notes=trail.clock_notes if trail else ())
        self.layout_ = layout
        self.highlighted_edges = trail_edges(layout, trail)
        visited = {step for step, _who, _when in (trail.visited if trail else [])}
        notes = visit_notes(trail)
        for index, edge in enumerate(layout.edges):
            self._draw_edge(edge, index in self.highlighted_edges)
        for node in layout.nodes:
            current = trail is not None and node.key == trail.current_step
            self._draw_node(node, current, node.key in visited, notes.get(node.key, []))
        for clock in layout.clocks:
            self._draw_clock(clock)
        margin = 12
        scene.setSceneRect(QRectF(-margin, -margin, layout.width * SCREEN_SCALE + 2 * margin,
                                  layout.height * SCREEN_SCALE + 2 * margin))
        self.fit()

    def _font(self, size: float, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(size * SCREEN_SCALE * 0.75)
        font.setBold(bold)
        return font

    def _draw_node(self, node: LayoutNode, current: bool, visited: bool, notes: list[str]) -> None:
        s = SCREEN_SCALE
        rect = QRectF(node.x * s, node.y * s, node.width * s, node.height * s)
        item = QGraphicsRectItem(rect)
        if current:
            fill, border, text_colour = QColor(ACCENT), QColor(ACCENT), QColor("white")
        elif visited:
            fill, border, text_colour = QColor(ACCENT_LIGHT), QColor(ACCENT), QColor("#1F2933")
        elif node.final:
            fill, border, text_colour = FINAL_FILL, QColor(MUTED), QColor("#1F2933")
        else:
            fill, border, text_colour = QColor("white"), LINE, QColor("#1F2933")
        item.setBrush(QBrush(fill))
        item.setPen(QPen(border, 2.4 if current or visited else 1.2))
        tooltip = [node.label]
        if node.roles_text:
            tooltip.append(tr('办理：{0}').format(node.roles_text))
        if node.time_limit_text:
            tooltip.append(tr('时限：{0}').format(node.time_limit_text))
        tooltip += notes
        item.setToolTip("\n".join(tooltip))
        self.scene().addItem(item)
        self.node_items[node.key] = item

        lines = [(node.label, self._font(11.5, bold=True))]
        detail = self._font(8.0)
        lines += [(line, detail) for line in (node.roles_lines or ((node.roles_text,) if node.roles_text else ()))]
        if node.time_limit_text:
            lines.append((node.time_limit_text, detail))
        texts = []
        for text, font in lines:
            label = QGraphicsSimpleTextItem(text, item)
            label.setFont(font)
            label.setBrush(QBrush(text_colour))
            texts.append(label)
        total = sum(t.boundingRect().height() for t in texts)
        y = rect.center().y() - total / 2
        for label in texts:
            bounds = label.boundingRect()
            label.setPos(rect.center().x() - bounds.width() / 2, y)
            y += bounds.height()

    def _draw_clock(self, clock: LayoutClock) -> None:
        """The bracket over the rows of the steps the clock spans, and beside it its label and reading."""
        s = SCREEN_SCALE
        bracket = clock.bracket
        path = QPainterPath(QPointF(bracket.x * s, bracket.y * s))
        path.lineTo(clock.x * s, bracket.y * s)
        path.lineTo(clock.x * s, bracket.bottom * s)
        path.lineTo(bracket.x * s, bracket.bottom * s)
        line = QGraphicsPathItem(path)
        line.setPen(QPen(CLOCK, 1.6))
        line.setToolTip("\n".join(clock.lines))
        self.scene().addItem(line)
        y = clock.label_box.y * s
        for number, text in enumerate(clock.lines):
            label = QGraphicsSimpleTextItem(text)
            label.setFont(self._font(8.0, bold=number == 0))
            reading = number >= 2
            label.setBrush(QBrush(QColor(URGENT) if reading and clock.overdue else CLOCK if number < 2 else LINE))
            label.setPos(clock.label_box.x * s, y)
            label.setToolTip("\n".join(clock.lines))
            self.scene().addItem(label)
            self.clock_texts.append(text)
            y += label.boundingRect().height()

    def _draw_edge(self, edge: LayoutEdge, taken: bool) -> None:
        s = SCREEN_SCALE
        points = [QPointF(x * s, y * s) for x, y in edge.points]
        if len(points) < 2:
            return
        path = QPainterPath(points[0])
        for point in points[1:]:
            path.lineTo(point)
        colour = QColor(ACCENT) if taken else (QColor(URGENT) if edge.kind == "cancel" else LINE)
        pen = QPen(colour, 3.0 if taken else 1.3)
        if edge.kind in ("return", "cancel") or edge.back:
            pen.setStyle(Qt.PenStyle.DashLine)
        line = QGraphicsPathItem(path)
        line.setPen(pen)
        line.setToolTip(edge.label)
        self.scene().addItem(line)
        self._arrow_head(points[-2], points[-1], colour)
        if edge.label_lines:
            box = edge.label_box
            text = QGraphicsSimpleTextItem("\n".join(edge.label_lines))
            text.setFont(self._font(8.0))
            text.setBrush(QBrush(colour if taken else QColor("#1F2933")))
            text.setPos(box.x * s, box.y * s)
            self.scene().addItem(text)

    def _arrow_head(self, before: QPointF, tip: QPointF, colour: QColor) -> None:
        angle = math.atan2(tip.y() - before.y(), tip.x() - before.x())
        size = 9.0
        left = QPointF(tip.x() - size * math.cos(angle - 0.4), tip.y() - size * math.sin(angle - 0.4))
        right = QPointF(tip.x() - size * math.cos(angle + 0.4), tip.y() - size * math.sin(angle + 0.4))
        head = QGraphicsPathItem()
        path = QPainterPath()
        path.addPolygon(QPolygonF([tip, left, right, tip]))
        head.setPath(path)
        head.setBrush(QBrush(colour))
        head.setPen(QPen(colour, 1))
        self.scene().addItem(head)

    # ----- zoom -----------------------------------------------------------------------------------------------
    def fit(self) -> None:
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def zoom(self, factor: float) -> None:
        current = self.transform().m11()
        if 0.1 < current * factor < 6:
            self.scale(factor, factor)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
            event.accept()
            return
        super().wheelEvent(event)

    def node_fill(self, key: str) -> QColor:
        return self.node_items[key].brush().color()
