"""The README's install, as a user gets it: the wheel built from this checkout, installed (not editable)
into a fresh virtual environment, prints a form with the installed `govdesk` command.

Every other test imports the checkout, where resources/ sits beside app/; only this one sees what a
`pip install .` really puts on the disk. The project's dependencies are not downloaded again for the
fresh environment: it sees this interpreter's site-packages through a .pth file, placed after its own,
so its `app` package is the wheel's and nothing else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.helpers.pdfcheck import assert_fonts_embedded, compact, page_text

CHECKOUT = Path(__file__).resolve().parents[1]
# What the build never reads: keeps the copy small and the checkout free of build/ and *.egg-info.
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "venv", "build", "dist", "out", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis",
    "*.sqlite3",
)

pytestmark = pytest.mark.slow


def _run(argv: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600) -> str:
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{argv}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def _build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    shutil.copytree(CHECKOUT, source, ignore=NOT_COPIED)
    wheels = tmp_path / "wheels"
    # With build isolation, as `pip install .` builds: the setuptools that pyproject.toml asks for.
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)], tmp_path)
    (wheel,) = wheels.glob("govdesk-*.whl")
    return wheel


def _fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)], tmp_path)
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path).strip())
    # Plain paths, not a site dir: .pth files there (such as an editable install of this checkout) stay unread.
    ours = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (site / "zz-test-dependencies.pth").write_text("".join(f"{path}\n" for path in ours), encoding="utf-8")
    return venv


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_wheel(tmp_path_factory.mktemp("build"))


def test_the_wheel_carries_the_fonts_and_every_module(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for font in ("gbsn00lp.ttf", "wqy-microhei.ttc", "LXGWWenKai-Regular.ttf"):
        assert f"app/resources/fonts/{font}" in names
    assert {n for n in names if n.startswith("app/resources/fonts/LICENSE-")} == {
        f"app/resources/fonts/{p.name}" for p in (CHECKOUT / "resources" / "fonts").glob("LICENSE-*")
    }
    assert not [n for n in names if n.endswith(".png")], "the README's screenshots are not for the installed program"
    modules = {p.relative_to(CHECKOUT).as_posix() for p in (CHECKOUT / "app").rglob("*.py")}
    assert modules - names == set()


def test_a_regular_install_prints_a_form_with_its_own_fonts(wheel: Path, tmp_path: Path) -> None:
    venv = _fresh_venv(tmp_path, wheel)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    work = tmp_path / "elsewhere"  # not the checkout: nothing may be found relative to the current folder
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env.update(
        QT_QPA_PLATFORM="offscreen", HOME=str(work), GOVDESK_DATA_DIR=str(work / "data"),
        GOVDESK_LOG_DIR=str(work / "logs"), GOVDESK_CONFIG_DIR=str(work / "config"),
        GOVDESK_CACHE_DIR=str(work / "cache"), PYTHONNOUSERSITE="1",
    )
    package = Path(_run([str(bin_dir / "python"), "-c", "import app; print(app.__file__)"], work, env).strip())
    assert package.resolve().is_relative_to(venv.resolve()), package

    govdesk = str(bin_dir / "govdesk")
    database = f"sqlite:///{work / 'office.sqlite3'}"
    _run([govdesk, "--database", database, "demo-data", "--size", "10"], work, env)
    out = work / "draft.pdf"
    printed = _run([govdesk, "--database", database, "print", "outgoing-draft", "--id", "1", "--out", str(out)], work, env)
    assert "已输出 发文稿纸" in printed
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert "发文稿纸" in compact(page_text(pdf))
    assert_fonts_embedded(pdf)
    assert not (work / "logs" / "govdesk.log").exists()
