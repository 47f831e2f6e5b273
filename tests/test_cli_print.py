"""`govdesk print`: one record or many in one process, what a cold print loads, and every bad input in Chinese."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.batch_print import MAX_IDS, parse_ids
from app.bootstrap import AppContext
from app.cli import main
from app.core.errors import ValidationError
from app.paths import cache_dir
from app.printing.kit.fonts import BUNDLED_FONT_FILES
from tests.helpers.document_office import build_office, new_draft, new_incoming
from tests.helpers.pdfcheck import compact


@pytest.fixture
def records(sqlite_ctx: AppContext) -> dict[str, list[int]]:
    """Three 发文 drafts and one 收文 in a fresh SQLite database (the CLI opens its own connection)."""
    office = build_office(sqlite_ctx)
    drafts = [new_draft(office, title=f"关于做好第{n}批森林防火工作的通知") for n in (1, 2, 3)]
    return {"drafts": drafts, "incoming": [new_incoming(office)]}


def run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["--database", url, "print", *argv])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def last_line(err: str) -> str:
    # A batch writes its progress on stderr (carriage returns) before the error line.
    return err.strip().splitlines()[-1]


def text_of(path: Path) -> str:
    return compact("".join(page.extract_text() for page in PdfReader(path).pages))


# ----- the id list ---------------------------------------------------------------------------------------


def test_id_lists() -> None:
    assert parse_ids("7") == [7]
    assert parse_ids("1,2,5-9") == [1, 2, 5, 6, 7, 8, 9]
    # Spaces, a Chinese comma and repeats are forgiven; the order given is kept.
    assert parse_ids(" 9 ，3 - 4, 3") == [9, 3, 4]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "后面要写记录编号"),
        ("abc", "“abc”不是记录编号"),
        ("-3", "“-3”不是记录编号"),
        ("1.5", "“1.5”不是记录编号"),
        ("0", "编号从 1 开始"),
        ("1,,2", "有空项"),
        ("9-5", "请写成 5-9"),
        (f"1-{MAX_IDS + 1}", f"一次最多打印 {MAX_IDS} 条"),
    ],
)
def test_bad_id_lists_say_what_to_write(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_ids(text)


# ----- printing ---------------------------------------------------------------------------------------


def test_one_record_to_one_file(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, records: dict[str, list[int]], tmp_path: Path
) -> None:
    target = tmp_path / "draft.pdf"
    code, out, err = run(capsys, sqlite_url, "outgoing-draft", "--id", str(records["drafts"][1]), "--out", str(target))
    assert (code, err) == (0, "")
    assert out.startswith(f"已输出 发文稿纸：{target}")
    assert "关于做好第2批森林防火工作的通知" in text_of(target)


def test_many_records_into_a_folder_one_pdf_each(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, records: dict[str, list[int]], tmp_path: Path
) -> None:
    first, second, third = records["drafts"]
    folder = tmp_path / "新建文件夹" / "发文稿纸"  # made, with its parent, when missing
    code, out, err = run(capsys, sqlite_url, "outgoing-draft", "--id", f"{first}-{third}", "--out", str(folder))
    assert code == 0 and "Traceback" not in err
    assert out == f"已输出 发文稿纸 3 份到文件夹 {folder}（每条一个 PDF）\n"
    assert sorted(p.name for p in folder.iterdir()) == [f"outgoing-draft-{n}.pdf" for n in (first, second, third)]
    for n, record in enumerate((first, second, third), start=1):
        assert f"关于做好第{n}批森林防火工作的通知" in text_of(folder / f"outgoing-draft-{record}.pdf")


def test_many_records_into_one_file(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, records: dict[str, list[int]], tmp_path: Path
) -> None:
    first, second, third = records["drafts"]
    target = tmp_path / "all.pdf"
    code, out, _ = run(
        capsys, sqlite_url, "outgoing-draft", "--id", f"{third},{first}", "--out", str(target), "--one-file"
    )
    assert code == 0 and out.startswith(f"已输出 发文稿纸 2 份，合成一个文件：{target}")
    text = text_of(target)
    # In the order asked for, and the record left out is not there.
    assert 0 <= text.index("第3批") < text.index("第1批")
    assert "第2批" not in text


def test_records_that_cannot_be_printed_are_named_and_the_rest_still_print(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, records: dict[str, list[int]], tmp_path: Path
) -> None:
    first, second, _third = records["drafts"]
    incoming = records["incoming"][0]
    missing = 9000
    folder = tmp_path / "out"
    ids = f"{first},{incoming},{missing},{second},{missing + 1}"
    code, out, err = run(capsys, sqlite_url, "outgoing-draft", "--id", ids, "--out", str(folder))
    assert code == 1
    assert out == f"已输出 发文稿纸 2 份到文件夹 {folder}（每条一个 PDF）\n"
    assert last_line(err) == (
        f"错误：以下记录未能打印：编号 {incoming}：这是一件收文，请打印收文处理笺；"
        f"编号 {missing}、{missing + 1}：找不到这份公文，可能已被删除"
    )
    assert sorted(p.name for p in folder.iterdir()) == [f"outgoing-draft-{n}.pdf" for n in (first, second)]
    # In one file, a gap would pass unnoticed on paper: nothing is written.
    target = tmp_path / "all.pdf"
    code, out, err = run(capsys, sqlite_url, "outgoing-draft", "--id", f"{first},{missing}", "--out", str(target),
                         "--one-file")
    assert (code, out) == (2, "")
    assert last_line(err) == f"错误：以下记录未能打印，没有生成 {target}：编号 {missing}：找不到这份公文，可能已被删除"
    assert not target.exists()
    # Nothing printed at all is a usage error, as a single missing record has always been.
    code, out, err = run(capsys, sqlite_url, "outgoing-draft", "--id", f"{missing}-{missing + 2}", "--out", str(folder))
    assert code == 2 and out == "" and f"编号 {missing}、{missing + 1}、{missing + 2}：找不到这份公文" in err
    code, _, err = run(capsys, sqlite_url, "outgoing-draft", "--id", str(missing), "--out", str(tmp_path / "x.pdf"))
    assert (code, err) == (2, "错误：找不到这份公文，可能已被删除\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--id", "1,x", "--out", "{tmp}/a"], "“x”不是记录编号"),
        (["--id", "1,2", "--out", "{tmp}/a.pdf"], "2 个编号要输出到一个文件夹"),
        (["--id", "1,2", "--out", "{tmp}/a", "--one-file"], "输出文件应以 .pdf 结尾（现在是“a”）"),
        (["--id", "1", "--out", "{tmp}/a.txt"], "输出文件应以 .pdf 结尾（现在是“a.txt”）"),
        (["--id", "1", "--out", "{tmp}/no/such/a.pdf"], "文件夹 {tmp}/no/such 不存在"),
        (["--id", "1", "--out", "{tmp}/dir.pdf"], "{tmp}/dir.pdf 是一个文件夹"),
        (["--id", "1,2", "--out", "{tmp}/file"], "{tmp}/file 是一个文件，不是文件夹"),
        (["--id", "1,2", "--out", "{tmp}/file/sub"], "无法建立文件夹 {tmp}/file/sub（路径中有同名的文件）"),
    ],
)
def test_bad_output_paths_are_refused_before_any_record_is_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str
) -> None:
    (tmp_path / "dir.pdf").mkdir()
    (tmp_path / "file").write_text("")
    # No database at all: the path is checked first, so a typing slip costs nothing.
    url = f"sqlite:///{tmp_path}/never-created.sqlite3"
    code, out, err = run(capsys, url, "outgoing-draft", *[a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert (code, out) == (2, "")
    assert err.startswith("错误：") and err.count("\n") == 1
    assert message.replace("{tmp}", str(tmp_path)) in err
    assert not (tmp_path / "never-created.sqlite3").exists()


def test_a_file_that_cannot_be_written_is_named(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, records: dict[str, list[int]], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The tests run as root, for whom no folder is read-only: the refusal is the operating system's answer.
    def refuse(self: Path, data: bytes) -> int:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_bytes", refuse)
    target = tmp_path / "draft.pdf"
    code, _, err = run(capsys, sqlite_url, "outgoing-draft", "--id", str(records["drafts"][0]), "--out", str(target))
    assert code == 2 and last_line(err) == f"错误：无法写入 {target}（没有权限），请换一个位置"


# ----- a cold print loads only what it draws -------------------------------------------------------------

_CHILD = textwrap.dedent(
    """
    import gc, json, os, sys
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics, ttfonts

    # Same bytes for the same input: no creation date, a fixed document ID (to compare cold and warm prints).
    rl_config.invariant = int(os.environ.get("GOVDESK_TEST_INVARIANT", "0"))

    collections = []
    gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info["generation"]))

    afm_scans = []
    parsed = []
    scan = pdfmetrics.bruteForceSearchForAFM
    pdfmetrics.bruteForceSearchForAFM = lambda name: afm_scans.append(name) or scan(name)
    read = ttfonts.TTFontFile.__init__

    def reading(self, file, *args, **kwargs):
        parsed.append(str(file))
        read(self, file, *args, **kwargs)

    ttfonts.TTFontFile.__init__ = reading
    from app.cli import main

    collections.clear()
    code = main(sys.argv[1:])
    modules = sorted(m for m in sys.modules if m.startswith(("app.printing.", "app.services.")))
    orm = sorted(m for m in ("sqlalchemy.orm", "app.models") if m in sys.modules)
    print(json.dumps({"code": code, "afm_scans": afm_scans, "parsed": parsed, "modules": modules,
                      "collections": collections, "orm": orm}))
    """
)


def cold_print(url: str, form: str, record_id: int, out: Path, **env_vars: str) -> dict[str, object]:
    argv = ["--database", url, "print", form, "--id", str(record_id), "--out", str(out)]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]), **env_vars)
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, *argv], capture_output=True, text=True, check=True, env=env, timeout=120
    )
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_a_cold_print_reads_each_font_file_once_and_loads_only_its_own_form(
    sqlite_url: str, records: dict[str, list[int]], tmp_path: Path
) -> None:
    report = cold_print(sqlite_url, "outgoing-draft", records["drafts"][0], tmp_path / "draft.pdf")
    assert report["code"] == 0 and (tmp_path / "draft.pdf").is_file()
    # reportlab's getFont on a name it lacks parses every AFM file on its path (about 1 s on Windows).
    assert report["afm_scans"] == []
    parsed = report["parsed"]
    assert isinstance(parsed, list)
    assert len(parsed) == len(set(parsed)), parsed
    # 楷体 and 仿宋 share the 15.7 MB Kai file: it is read at most once.
    kai_file = BUNDLED_FONT_FILES["kai"].path.name
    assert sum(Path(p).name == kai_file for p in parsed) <= 1
    # The per-user cache was empty (tests/conftest.py): this first print parsed its fonts and kept them...
    assert parsed and len(list((cache_dir() / "fonts-1").glob("*.bin"))) == len(parsed)
    # ...so the next process parses no font file at all.
    again = cold_print(sqlite_url, "outgoing-draft", records["drafts"][0], tmp_path / "again.pdf")
    assert again["code"] == 0 and again["parsed"] == [] and again["afm_scans"] == []
    modules = report["modules"]
    assert isinstance(modules, list)
    assert "app.printing.documents.outgoing_draft" in modules
    others = {
        "app.printing.documents.archive_forms", "app.printing.claims.form", "app.printing.documents.notice",
        "app.printing.kit.flowchart", "app.printing.documents.incoming_slip", "app.printing.documents.receipt_register",
        "app.printing.kit.urge_slip", "app.services.documents.archives", "app.services.claims.printed", "app.services.claims.records",
        "app.services.documents.reports",
    }
    assert others.isdisjoint(modules), sorted(others.intersection(modules))
    # What a print loads lives until it exits: the cyclic collector, which ran some 400 times over it
    # (a third of the time), is paused as for the GUI's start.
    collections = report["collections"]
    assert isinstance(collections, list) and len(collections) <= 5, collections


@pytest.mark.parametrize(("form", "kind"), [("outgoing-draft", "drafts"), ("incoming-slip", "incoming")])
def test_a_cold_print_of_a_document_form_needs_no_orm(
    sqlite_url: str, records: dict[str, list[int]], tmp_path: Path, form: str, kind: str
) -> None:
    """The 发文稿纸 and the 收文处理笺 read their document on plain tables (app.services.documents.printed):
    SQLAlchemy's ORM, the mapped classes and the configuring of all their mappers were some 0.18 s of a
    0.62 s print. As the start does (tests/services/test_auth.py::test_the_start_needs_no_orm)."""
    target = tmp_path / f"{form}.pdf"
    report = cold_print(sqlite_url, form, records[kind][0], target)
    assert report["code"] == 0 and target.is_file()
    assert report["orm"] == []
    assert "app.services.documents.records" not in report["modules"]  # type: ignore[operator]


@pytest.mark.parametrize(("form", "kind", "title"),
                         [("outgoing-draft", "drafts", "发文稿纸"), ("incoming-slip", "incoming", "收文处理笺")])
def test_a_print_from_the_font_cache_is_the_same_pdf_as_one_that_parsed_the_fonts(
    sqlite_url: str, records: dict[str, list[int]], tmp_path: Path, form: str, kind: str, title: str
) -> None:
    """The first print on a machine parses the font files and keeps what it found; a later process builds its
    fonts from that cache. The PDFs must not differ by a byte (creation date and ID fixed by invariant)."""
    cold, warm = tmp_path / "cold.pdf", tmp_path / "warm.pdf"
    first = cold_print(sqlite_url, form, records[kind][0], cold, GOVDESK_TEST_INVARIANT="1")
    second = cold_print(sqlite_url, form, records[kind][0], warm, GOVDESK_TEST_INVARIANT="1")
    assert first["code"] == 0 and second["code"] == 0
    assert first["parsed"] and second["parsed"] == []
    assert warm.read_bytes() == cold.read_bytes()
    assert text_of(warm) == text_of(cold) and title in text_of(cold)


def test_a_cache_folder_that_cannot_be_written_still_prints(
    sqlite_url: str, records: dict[str, list[int]], tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    for attempt in ("first.pdf", "second.pdf"):
        report = cold_print(sqlite_url, "outgoing-draft", records["drafts"][0], tmp_path / attempt,
                            GOVDESK_CACHE_DIR=str(blocker / "cache"))
        assert report["code"] == 0 and (tmp_path / attempt).is_file()
        assert report["parsed"]  # nothing could be kept, so every process parses
    assert blocker.is_file()


def test_a_batch_stops_at_a_lost_server_instead_of_failing_each_record_in_turn() -> None:
    from app.batch_print import BatchReport, render_each
    from app.core.errors import NotFound, ServerUnavailable

    asked: list[int] = []

    class Registry:
        def get(self, _form: str) -> object:
            return type("Spec", (), {"title": "发文稿纸"})()

        def load_and_render(self, _form: str, _context: object, record_id: int) -> bytes:
            asked.append(record_id)
            if record_id == 2:
                raise NotFound("找不到该公文")
            if record_id == 3:
                raise ServerUnavailable(kind="unreachable")
            return b"%PDF"

    report = BatchReport()
    with pytest.raises(ServerUnavailable):
        list(render_each(Registry(), "outgoing-draft", None, [1, 2, 3, 4, 5], report))  # type: ignore[arg-type]
    assert asked == [1, 2, 3]
    assert report.printed == [1] and report.failed == {2: "找不到该公文"}
