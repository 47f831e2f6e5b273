"""What the tests share lives in one place, tests/helpers/: no test module is also a library for others.

A test module or a conftest.py imported by another file drags its tests, fixtures and module-level setup into
the importer, and a helper buried in one test file is found by nobody who needs it. So no file under tests/
imports a ``test_*`` module or a ``conftest``, every other module of tests/ that some file imports lives in
tests/helpers/, and a fixture defined there reaches its tests through a conftest.py or ``pytest_plugins``
rather than by being imported under its name. The checks read the files with ``ast``; each takes the folder to
check, so it can be pointed at another checkout's tests/.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parent
HELPERS = "helpers"


@dataclass(frozen=True)
class Import:
    """One import of a module of the tests package: who imports it, where, and the names it takes from it."""

    importer: Path
    line: int
    module: Path
    names: tuple[str, ...]

    def where(self, root: Path) -> str:
        return f"{root.name}/{self.importer.relative_to(root)}:{self.line}"


def source_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.py") if "__pycache__" not in path.parts)


def module_file(root: Path, dotted: str) -> Path | None:
    """The file of a dotted module of the package ``root`` is (``tests.helpers.ui``), if it exists."""
    parts = dotted.split(".")
    if parts[0] != root.name:
        return None
    base = root.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def package_of(root: Path, path: Path) -> str:
    """The dotted package a file of ``root`` belongs to, for resolving its relative imports."""
    folder = path.parent.relative_to(root)
    return ".".join((root.name, *folder.parts))


def imports_in(root: Path, path: Path) -> Iterator[Import]:
    """Every import of a module of ``root`` in a file, also inside functions (the lazy imports)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = module_file(root, alias.name)
                if target is not None:
                    yield Import(path, node.lineno, target, ())
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = package_of(root, path).split(".")
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            taken: list[str] = []
            for alias in node.names:
                # `from tests.helpers import ui` names a module; `from tests.helpers.ui import Office` a name in one.
                submodule = module_file(root, f"{base}.{alias.name}")
                if submodule is not None:
                    yield Import(path, node.lineno, submodule, ())
                else:
                    taken.append(alias.name)
            target = module_file(root, base)
            if taken and target is not None:
                yield Import(path, node.lineno, target, tuple(taken))


def all_imports(root: Path) -> list[Import]:
    return [found for path in source_files(root) for found in imports_in(root, path)]


def is_test_module(path: Path) -> bool:
    return path.name.startswith("test_") or path.name == "conftest.py"


def in_helpers(root: Path, path: Path) -> bool:
    return path.relative_to(root).parts[0] == HELPERS


def imported_test_modules(root: Path) -> list[str]:
    return [
        f"{found.where(root)} imports {root.name}/{found.module.relative_to(root)}"
        for found in all_imports(root)
        if is_test_module(found.module)
    ]


def support_outside_helpers(root: Path) -> list[str]:
    """Modules of tests/ that another file imports, other than test modules (reported above) and tests/helpers/.
    A package's own empty __init__.py, reached on the way to a module inside it, is not one."""
    return [
        f"{found.where(root)} imports {root.name}/{found.module.relative_to(root)}, which belongs in "
        f"{root.name}/{HELPERS}/"
        for found in all_imports(root)
        if found.module != found.importer
        and not is_test_module(found.module)
        and not in_helpers(root, found.module)
    ]


def is_fixture(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return ast.unparse(target) in ("pytest.fixture", "fixture")


def fixtures_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(map(is_fixture, node.decorator_list))
    }


def imported_fixtures(root: Path) -> list[str]:
    """Fixtures taken from a module by name: pytest shares them through conftest.py and pytest_plugins."""
    return [
        f"{found.where(root)} imports the fixture {name} from {root.name}/{found.module.relative_to(root)}"
        for found in all_imports(root)
        for name in found.names
        if name in fixtures_of(found.module)
    ]


def misplaced_tests(root: Path) -> list[str]:
    folder = root / HELPERS
    return [f"{root.name}/{path.relative_to(root)}" for path in source_files(folder) if is_test_module(path)]


def test_no_file_imports_a_test_module_or_a_conftest() -> None:
    assert imported_test_modules(TESTS) == []


def test_every_module_the_tests_share_lives_in_tests_helpers() -> None:
    assert support_outside_helpers(TESTS) == []


def test_no_fixture_is_imported_by_name() -> None:
    assert imported_fixtures(TESTS) == []


def test_tests_helpers_holds_no_tests_and_no_conftest() -> None:
    assert (TESTS / HELPERS / "__init__.py").is_file()
    assert misplaced_tests(TESTS) == []


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    root = tmp_path / "tests"
    (root / HELPERS).mkdir(parents=True)
    (root / "ui").mkdir()
    for package in (root, root / HELPERS, root / "ui"):
        (package / "__init__.py").write_text("")
    (root / HELPERS / "office.py").write_text("import pytest\n\n@pytest.fixture\ndef office() -> int:\n    return 1\n")
    (root / "ui" / "conftest.py").write_text("class Office:\n    pass\n")
    (root / "ui" / "loading.py").write_text("def wait() -> None:\n    pass\n")
    (root / "test_cli.py").write_text("def run() -> None:\n    pass\n")
    (root / "ui" / "test_a.py").write_text(
        "from tests.ui.conftest import Office\n"
        "from . import loading\n"
        "from tests.helpers.office import office\n"
        "from tests.helpers import office as module\n"
        "\n"
        "def test_a() -> None:\n"
        "    from tests.test_cli import run\n"
    )
    assert imported_test_modules(root) == [
        "tests/ui/test_a.py:1 imports tests/ui/conftest.py",
        "tests/ui/test_a.py:7 imports tests/test_cli.py",
    ]
    assert support_outside_helpers(root) == ["tests/ui/test_a.py:2 imports tests/ui/loading.py, which belongs in tests/helpers/"]
    assert imported_fixtures(root) == ["tests/ui/test_a.py:3 imports the fixture office from tests/helpers/office.py"]
    (root / HELPERS / "test_office.py").write_text("")
    assert misplaced_tests(root) == ["tests/helpers/test_office.py"]
