"""The look: what the style sheet and palette make of widgets, read back from their rendered pixels."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QComboBox, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot


def _contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _row_colours(image: QImage, top: int, bottom: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for y in range(top + 2, bottom - 1):
        for x in range(2, image.width() - 2):
            name = image.pixelColor(x, y).name()
            counts[name] = counts.get(name, 0) + 1
    return counts


def test_an_open_drop_down_shows_its_highlighted_item_legibly(qtbot: QtBot) -> None:
    holder = QWidget()
    combo = QComboBox()
    combo.addItems(["（一般）", "特急", "加急"])
    QVBoxLayout(holder).addWidget(combo)
    qtbot.addWidget(holder)
    holder.resize(320, 160)
    holder.show()
    combo.setCurrentIndex(1)
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    image = view.viewport().grab().toImage()
    rect = view.visualRect(view.model().index(1, 0))
    counts = _row_colours(image, rect.top(), rect.bottom())
    background = QColor(max(counts, key=lambda name: counts[name]))
    # The text is whatever is drawn on the row's background; its strongest pixel must stand out from it.
    strongest = max((QColor(name) for name in counts), key=lambda c: _contrast(c, background))
    assert _contrast(strongest, background) >= 4.5, (background.name(), counts)
    # And the highlight is visible as a highlight: not the plain white of the other rows.
    other = view.visualRect(view.model().index(2, 0))
    others = _row_colours(image, other.top(), other.bottom())
    assert max(others, key=lambda name: others[name]) != background.name()
    combo.hidePopup()
