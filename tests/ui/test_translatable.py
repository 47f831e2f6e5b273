"""Every piece of Chinese UI text goes through tr() (or QT_TRANSLATE_NOOP where it is defined at import),
so pyside6-lupdate can extract it for Qt Linguist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "app" / "ui"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Screenshots fill windows with demo data; they show no text of their own. i18n.py holds translations of
# Qt's own strings, which are not source text.
EXEMPT = {"screenshots.py", "i18n.py"}
MARKERS = {"tr", "QT_TRANSLATE_NOOP", "translate"}


def untranslated(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docstrings = {
        node.body[0].value
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if node in docstrings:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        else:
            continue
        if not CJK.search(text):
            continue
        parent = parents.get(node)
        if isinstance(parent, (ast.JoinedStr, ast.FormattedValue, ast.Compare)):
            continue
        if isinstance(parent, ast.Subscript) or (isinstance(parent, ast.Dict) and node in parent.keys):
            continue
        if isinstance(parent, ast.Call):
            name = parent.func.id if isinstance(parent.func, ast.Name) else getattr(parent.func, "attr", "")
            if name in MARKERS:
                continue
        found.append(f"{path.relative_to(UI.parent.parent)}:{node.lineno}: {text[:30]!r}")
    return found


def test_all_chinese_ui_text_goes_through_tr() -> None:
    offenders = [
        line for path in sorted(UI.rglob("*.py")) if path.name not in EXEMPT for line in untranslated(path)
    ]
    assert not offenders, "Wrap these in tr():\n" + "\n".join(offenders)
