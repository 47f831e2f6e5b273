"""信息调研's pictures for `govdesk screenshots`: the 稿件 list, a new item, an adopted item's window and its
采用与批示, the 《政务信息》 tab, an issued issue's window and its printed page, the 通报, the study rotation and the
groups; the list and the two windows again at text size 大."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

Shoot = Callable[..., None]


def information_screenshots(ctx: Any, prefs: Any, login: Callable[[str], Any], shoot: Shoot, app: QApplication,
                            pause: Callable[[QApplication, float], None]) -> None:
    from app.forms import build_registry
    from app.services.information import issues, listing
    from app.ui.information.editor import ItemEditor
    from app.ui.information.issue_window import IssueWindow
    from app.ui.information.page import InformationPage
    from app.ui.information.window import ItemWindow
    from app.ui.main_window import MainWindow
    from app.ui.theme import apply_theme
    from app.ui.widgets.print_preview import PrintPreviewDialog

    director, clerk = login("办公室主任"), login("文秘人员")
    with ctx.uow() as uow:
        adopted = listing.list_items(uow, director, listing.ItemFilter(adopted_only=True), order_by="points",
                                     limit=1).rows
        issued = [row for row in issues.list_issues(uow, clerk) if row.issued]
    window = MainWindow(ctx, clerk, prefs)
    window.show_area("information")
    page = window.pages["information"]
    assert isinstance(page, InformationPage)
    page.items.show_box("all")
    shoot("information-items", window, before=lambda: pause(app, 0.5))
    for name, tab in zip(("information-issues", "information-notice", "information-study"), page.others):
        page.tabs.setCurrentWidget(tab)
        shoot(name, window, before=lambda: pause(app, 1.0))
    page.tabs.setCurrentWidget(page.groups_tab)
    shoot("information-groups", window, before=lambda: pause(app, 0.5), close=True)

    editor = ItemEditor(ctx, clerk)
    editor.title_edit.setText("我县“一窗受理”改革让群众办事少跑腿")
    editor.body.setPlainText("今年以来，县政务服务中心推行“一窗受理、集成服务”，设综合受理窗口12个，"
                             "217项事项实现“一窗通办”，办理时限平均压缩40%。")
    shoot("information-new-item", editor, close=True)

    def item_window() -> QWidget | None:
        return ItemWindow(ctx, director, adopted[0].id) if adopted else None

    def issue_window() -> QWidget | None:
        return IssueWindow(ctx, clerk, issued[0].id) if issued else None

    item = item_window()
    if item is not None:
        shoot("information-item-window", item)
        assert isinstance(item, ItemWindow)
        item.tabs.setCurrentIndex(item.facts_index)
        shoot("information-item-adoptions", item, close=True)
    issue = issue_window()
    if issue is not None:
        shoot("information-issue-window", issue, close=True)
        pdf = build_registry().load_and_render("info-issue", ctx, issued[0].id)
        shoot("print-information-issue", PrintPreviewDialog("《政务信息》", pdf), lambda: pause(app, 1.5), close=True)

    prefs.text_size = "large"
    apply_theme(app, "large")
    window = MainWindow(ctx, clerk, prefs)
    window.show_area("information")
    shoot("information-items-large", window, before=lambda: pause(app, 0.5), close=True)
    for name, make in (("information-item-window-large", item_window), ("information-issue-window-large", issue_window)):
        made = make()
        if made is not None:
            shoot(name, made, close=True)
    prefs.text_size = "medium"
    apply_theme(app, "medium")
