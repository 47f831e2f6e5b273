"""综合查询's pictures for `govdesk screenshots`: the window over every kind for a word the demo office uses
everywhere, at text size 中 and again at 大, opened from the main window's box as a user opens it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication

Shoot = Callable[..., None]
# Words the demo data holds in several areas; the first that finds records of the most kinds is shown.
WORDS = ("安全", "培训", "工作", "通知")


def _word(ctx: Any, actor: Any) -> str:
    from app.services.search import query
    from app.ui.widgets.db_call import as_user

    best, kinds = WORDS[0], -1
    for word in WORDS:
        found = len(as_user(ctx, actor, query.search, word)().kinds)
        if found > kinds:
            best, kinds = word, found
    return best


def search_screenshots(ctx: Any, prefs: Any, login: Callable[[str], Any], shoot: Shoot, app: QApplication,
                       pause: Callable[[QApplication, float], None]) -> None:
    from app.ui.main_window import MainWindow
    from app.ui.theme import apply_theme

    director = login("办公室主任")
    word = _word(ctx, director)
    for name, size in (("search", "medium"), ("search-large", "large")):
        prefs.text_size = size
        apply_theme(app, size)
        main = MainWindow(ctx, director, prefs)
        main.showMaximized()
        main.search.box.setText(word)
        main.search.show_results(activate=True)
        window = main.search.window
        assert window is not None

        def answered(window: Any = window) -> None:
            deadline = time.monotonic() + 10
            while (window.asked is None or window.asked.number != window.asking) and time.monotonic() < deadline:
                app.processEvents()
                time.sleep(0.02)
            pause(app, 0.3)

        shoot(name, window, before=answered, close=True)
        main.close()
    prefs.text_size = "medium"
    apply_theme(app, "medium")
