"""Fonts: the system's GB fonts when present, else the bundled ones; never a missing glyph."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.printing.kit.fonts import (
    BUNDLED_FONT_FILES,
    ROLES,
    find_system_fonts,
    missing_glyphs,
    resolve_fonts,
    resources_dir,
)

BUNDLED = resources_dir() / "fonts"


def test_bundled_fonts_and_licences_are_in_resources() -> None:
    for font_file in BUNDLED_FONT_FILES.values():
        assert (resources_dir() / font_file.path).is_file()
    licences = sorted(p.name for p in BUNDLED.glob("LICENSE-*.txt"))
    assert licences == ["LICENSE-gbsn00lp.txt", "LICENSE-lxgw-wenkai.txt", "LICENSE-wqy-microhei.txt"]
    assert (BUNDLED / "README.md").is_file()


def test_without_system_fonts_every_role_is_bundled() -> None:
    fonts = resolve_fonts(search_dirs=[])
    assert fonts.system_roles == frozenset()
    for role in ROLES:
        assert fonts.sources[role].parent == BUNDLED
        assert isinstance(pdfmetrics.getFont(fonts.name(role)), TTFont)
    # 仿宋 has no open face with simplified characters: it is the Kai face (see resources/fonts/README.md).
    assert fonts.sources["fang"] == fonts.sources["kai"]


def test_registration_is_cached_and_idempotent() -> None:
    first = resolve_fonts(search_dirs=[])
    assert resolve_fonts(search_dirs=[]) is first
    # Registering again under the same names (a fresh cache) is harmless.
    from app.printing.kit import fonts as module

    module._resolve.cache_clear()
    again = resolve_fonts(search_dirs=[])
    assert again == first


def test_system_gb_fonts_win_and_are_found_case_blind(tmp_path: Path) -> None:
    # A stand-in for a Kylin install: SIMKAI.TTF somewhere below the font folder.
    folder = tmp_path / "truetype" / "windows"
    folder.mkdir(parents=True)
    shutil.copy(BUNDLED / "gbsn00lp.ttf", folder / "SimKai.TTF")
    assert find_system_fonts([tmp_path])["kai"].path == folder / "SimKai.TTF"
    fonts = resolve_fonts(search_dirs=[tmp_path])
    assert fonts.system_roles == frozenset({"kai"})
    assert fonts.sources["kai"] == folder / "SimKai.TTF"
    assert fonts.sources["song"].parent == BUNDLED
    assert fonts.kai != resolve_fonts(search_dirs=[]).kai


def test_a_broken_system_font_falls_back_to_the_bundled_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "simhei.ttf").write_bytes(b"not a font at all")
    with caplog.at_level(logging.WARNING):
        fonts = resolve_fonts(search_dirs=[tmp_path])
    assert fonts.sources["hei"].parent == BUNDLED
    assert "simhei.ttf" in caplog.text


def test_missing_glyphs_reads_the_cmap() -> None:
    fonts = resolve_fonts(search_dirs=[])
    assert missing_glyphs(fonts.song, "催办单〔2026〕5号：，。") == set()
    # The GB2312 Song face has the full-width yuan sign but not the Latin-1 one.
    assert missing_glyphs(fonts.song, "¥") == {"¥"}
    assert missing_glyphs(fonts.song, "a\nb") == set()


def test_a_glyph_the_font_lacks_is_drawn_from_a_fallback() -> None:
    fonts = resolve_fonts(search_dirs=[])
    runs = fonts.runs("金额¥100", fonts.song)
    assert [text for text, _ in runs] == ["金额", "¥", "100"]
    assert runs[1][1] != fonts.song and missing_glyphs(runs[1][1], "¥") == set()
    assert f'<font face="{runs[1][1]}">¥</font>' in fonts.markup("金额¥100", fonts.song)
    assert fonts.markup("a<b&c", fonts.song) == "a&lt;b&amp;c"
    assert fonts.missing("金额¥100", fonts.song) == set()


# ----- each file read once, and only when a form needs it (a fresh process: registration is per process) -----

_CHILD = textwrap.dedent(
    """
    import json
    from reportlab.pdfbase import pdfmetrics, ttfonts

    afm_scans, parsed = [], []
    scan = pdfmetrics.bruteForceSearchForAFM
    pdfmetrics.bruteForceSearchForAFM = lambda name: afm_scans.append(name) or scan(name)
    read = ttfonts.TTFontFile.__init__

    def reading(self, file, *args, **kwargs):
        parsed.append(str(file))
        read(self, file, *args, **kwargs)

    ttfonts.TTFontFile.__init__ = reading
    from app.printing.kit.fonts import resolve_fonts

    def registered():
        return sorted(n for n in pdfmetrics.getRegisteredFontNames() if n.startswith("GovDesk"))

    fonts = resolve_fonts(search_dirs=[])
    steps = {"resolved": registered()}
    plain = fonts.markup("青山县人民政府办公室〔2026〕1号", fonts.song)
    steps["plain"] = registered()
    needs = fonts.markup("金额¥100", fonts.song)
    steps["needs"] = registered()
    names = {role: fonts.name(role) for role in ("song", "hei", "kai", "fang")}
    print(json.dumps({"steps": steps, "plain": plain, "needs": needs, "names": names, "afm_scans": afm_scans,
                      "parsed": parsed}))
    """
)


@pytest.fixture(scope="module")
def fresh_process(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    # An empty font cache of its own (a module fixture comes before conftest's per-test one): the process
    # parses what it reads, as the first print on a machine does.
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]),
               GOVDESK_CACHE_DIR=str(tmp_path_factory.mktemp("font-cache")))
    result = subprocess.run(
        [sys.executable, "-c", _CHILD], capture_output=True, text=True, check=True, env=env, timeout=120
    )
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_a_fallback_face_is_read_only_for_a_character_that_needs_it(fresh_process: dict[str, Any]) -> None:
    steps, names = fresh_process["steps"], fresh_process["names"]
    # Asking for the fonts reads nothing; drawing text the Song face has reads the Song face alone.
    assert steps["resolved"] == []
    assert steps["plain"] == [names["song"]]
    assert fresh_process["plain"] == "青山县人民政府办公室〔2026〕1号"
    # ¥ is not in the GB2312 Song face: the first fallback (黑体) is read then, and draws it.
    assert steps["needs"] == sorted([names["song"], names["hei"]])
    assert fresh_process["needs"] == f'金额<font face="{names["hei"]}">¥</font>100'


def test_kai_and_fang_share_one_reading_of_the_kai_file(fresh_process: dict[str, Any]) -> None:
    names, parsed = fresh_process["names"], fresh_process["parsed"]
    # 仿宋 is the bundled Kai face: one registration under one name, the 15.7 MB file parsed once.
    assert names["fang"] == names["kai"]
    assert sorted(Path(p).name for p in parsed) == ["LXGWWenKai-Regular.ttf", "gbsn00lp.ttf", "wqy-microhei.ttc"]


def test_no_font_lookup_scans_reportlabs_afm_files(fresh_process: dict[str, Any]) -> None:
    # reportlab's getFont on a name it lacks parses every AFM file on its path (about 1 s on Windows).
    assert fresh_process["afm_scans"] == []
