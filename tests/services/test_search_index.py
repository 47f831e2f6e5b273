"""The 综合查询 index as a whole, on 公文 made through the real services, on every database: the same queries
give the results a plain reading of the records gives (so the same on SQLite, PostgreSQL and MariaDB), a record
is found the moment its transaction commits and not before, files' text is searched, the rebuild gives the index
the upkeep keeps, and an index that is not complete says so."""

from __future__ import annotations

import sqlite3
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from app.bootstrap import AppContext
from app.core.search_text import fold, parse_query
from app.db.tables import search_pending, search_postings, search_records, search_state
from app.services.documents import outgoing
from app.services.documents import records as documents
from app.services.search import query as search
from app.services.search import upkeep
from app.services.search.reindex import reindex
from tests.helpers import search_checks
from tests.helpers.document_office import Office, build_office, new_draft, new_incoming
from tests.helpers.docx_bodies import paragraphs

# Titles, sending units and numbers with one-, two- and four-character terms that overlap on purpose.
RECORDS = [
    ("关于做好农村公路养护工作的通知", "县交通运输局", "交发〔2026〕3号"),
    ("关于开展安全生产大检查的通知", "江州市人民政府办公室", "江府办发〔2026〕45号"),
    ("关于农村饮水安全工程建设的报告", "县水利局", "水报〔2026〕7号"),
    ("关于公路安全隐患排查的请示", "县公安局", "公请〔2025〕12号"),
    ("青山镇关于农村公路建设资金的请示", "青山镇人民政府", "青政请〔2026〕2号"),
    ("关于召开全县信访工作会议的通知", "县信访局", "信发〔2026〕9号"),
]
QUERIES = ["安", "安全", "农村公路", "公路 安全", "青山镇", "2026", "45号", "请示", "信访", "水", "不存在的词",
           "县政府", "江府办发〔2026〕45号"]


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _made(office: Office) -> dict[int, tuple[str, str, str]]:
    made = {}
    for title, unit, number in RECORDS:
        made[new_incoming(office, title=title, source_unit=unit, source_number=number)] = (title, unit, number)
    return made


def _expected(made: dict[int, tuple[str, str, str]], typed: str) -> list[int]:
    """The plain reading: every word of the query in one of the record's fields; title matches first, newest."""
    needles = parse_query(typed).needles
    if not needles:
        return []
    found = [
        doc for doc, fields in made.items()
        if all(any(needle in fold(field) for field in fields) for needle in needles)
    ]
    in_title = {doc for doc in found if all(needle in fold(made[doc][0]) for needle in needles)}
    return sorted(found, key=lambda doc: (doc not in in_title, -doc))


def _found(office: Office, typed: str, **filters: object) -> list[int]:
    results = office.run(
        search.search_kind, office.director, "document", typed, search.SearchFilters(**filters), 0, 100  # type: ignore[arg-type]
    )
    return [hit.record_id for hit in results.hits]


@pytest.mark.parametrize("posted", ["none", "half", "all"])
def test_the_same_queries_give_what_a_plain_reading_of_the_records_gives(office: Office, posted: str) -> None:
    """Whether the records still wait to be posted (matched on their text), are posted (matched on their
    postings), or some of each."""
    made: dict[int, tuple[str, str, str]] = {}
    for number, (title, unit, doc_number) in enumerate(RECORDS):
        made[new_incoming(office, title=title, source_unit=unit, source_number=doc_number)] = (title, unit, doc_number)
        if posted == "half" and number == len(RECORDS) // 2:
            _post_waiting(office)
    if posted == "all":
        _post_waiting(office)
    with office.ctx.uow() as uow:
        waiting = uow.execute(select(func.count()).select_from(search_pending)).scalar_one()
    assert waiting == {"none": len(RECORDS), "half": len(RECORDS) - len(RECORDS) // 2 - 1, "all": 0}[posted]
    for typed in QUERIES:
        assert _found(office, typed) == _expected(made, typed), typed


def _post_waiting(office: Office) -> None:
    with office.ctx.uow() as uow:
        assert upkeep.post_waiting(uow) > 0
        uow.commit()


def test_results_are_grouped_by_kind_with_highlights_and_snippets(office: Office) -> None:
    _made(office)
    results = office.run(search.search, office.director, "农村 公路")
    (documents_found,) = [kind for kind in results.kinds if kind.entity_type == "document"]
    assert documents_found.label == "公文"
    assert documents_found.total == 2 and not documents_found.more
    first = documents_found.hits[0]
    assert [first.title[s:e] for s, e in first.title_spans] == ["农村公路"]
    assert first.state and not first.closed
    assert results.index_complete


def test_a_record_is_found_the_moment_its_transaction_commits_and_not_before(office: Office) -> None:
    from app.services.documents import incoming

    with office.ctx.uow() as writing:
        with writing.as_one():
            incoming.create_incoming(writing, office.clerk, title="关于独一无二测试事项的通知", source_unit="县档案局")
        # Written and flushed in the writer's transaction, which has not committed.
        assert _found(office, "独一无二") == []
        writing.commit()
    assert len(_found(office, "独一无二")) == 1


def test_a_changed_field_replaces_its_old_text(office: Office) -> None:
    doc = new_draft(office, title="关于旧标题词语的通知")
    assert _found(office, "旧标题") == [doc]
    with office.ctx.uow() as uow:
        outgoing.update_draft(uow, office.clerk, doc, title="关于新标题词语的通知")
    assert _found(office, "旧标题") == []
    assert _found(office, "新标题") == [doc]


def test_a_files_text_is_searched_and_leaves_with_the_file(office: Office) -> None:
    doc = new_incoming(office, title="关于转发文件的通知", source_unit="县档案局")
    body = paragraphs("一、总体要求", "全面推进河长制湖长制落实，确保水清岸绿。")
    with office.ctx.uow() as uow:
        info = documents.add_file(uow, office.clerk, doc, filename="来文.docx", data=body)
        uow.commit()
    assert _found(office, "河长制") == [doc]
    hit = office.run(search.search_kind, office.director, "document", "河长制").hits[0]
    assert hit.snippet is not None and "河长制" in hit.snippet.text
    with office.ctx.uow() as uow:
        documents.remove_file(uow, office.clerk, doc, info.id)
        uow.commit()
    assert _found(office, "河长制") == []


def test_a_hostile_file_is_searched_by_its_name_only(office: Office) -> None:
    doc = new_incoming(office, title="关于可疑文件的通知", source_unit="县档案局")
    bomb = BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + "炸" * 30_000_000 + "</w:document>")
    with office.ctx.uow() as uow:
        documents.add_file(uow, office.clerk, doc, filename="压缩炸弹.docx", data=bomb.getvalue())
        uow.commit()
    assert _found(office, "压缩炸弹") == [doc]
    assert _found(office, "炸炸") == []


def test_the_rebuild_gives_the_index_the_upkeep_keeps(office: Office) -> None:
    _made(office)
    doc = new_draft(office, title="关于旧标题的农村公路通知")
    with office.ctx.uow() as uow:
        outgoing.update_draft(uow, office.clerk, doc, title="关于改过标题的农村公路通知")
    with office.ctx.uow() as uow:
        documents.add_file(uow, office.clerk, doc, filename="说明.docx", data=paragraphs("河道疏浚工程"))
        uow.commit()
    kept = search_checks.index_now(office.ctx)
    # The kept rows are what the records say now, and what a rebuild writes; the rebuild counts them.
    search_checks.assert_upkeep_is_a_rebuild("document", office.ctx)
    assert reindex(office.ctx.uow).records == len(kept[0])
    assert search_checks.index_now(office.ctx) == kept


def test_an_index_without_every_record_says_so_until_it_is_rebuilt(office: Office) -> None:
    made = _made(office)
    with office.ctx.uow() as uow:
        uow.execute(delete(search_postings))
        uow.execute(delete(search_records))
        uow.execute(delete(search_state))
        uow.commit()
    results = office.run(search.search, office.director, "农村公路")
    assert not results.index_complete and results.total == 0
    progress: list[tuple[int, int]] = []
    reindex(office.ctx.uow, progress=lambda done, total, _: progress.append((done, total)))
    assert progress[-1] == (len(made), len(made))
    results = office.run(search.search, office.director, "农村公路")
    assert results.index_complete and results.total == len(_expected(made, "农村公路"))


def test_a_stopped_rebuild_leaves_the_index_marked_incomplete(office: Office) -> None:
    from app.core.errors import WorkCancelled

    _made(office)
    with pytest.raises(WorkCancelled):
        reindex(office.ctx.uow, cancelled=lambda: True)
    with office.ctx.uow() as uow:
        assert not search.index_complete(uow)
        assert uow.execute(select(func.count()).select_from(search_records)).scalar_one() == 0
    reindex(office.ctx.uow)  # the next test on this server database starts from a complete index


def test_filters_narrow_by_year_and_state(office: Office) -> None:
    made = _made(office)
    years = office.run(search.search_years, office.director)
    assert years
    assert _found(office, "通知", year=years[0]) == _expected(made, "通知")
    assert _found(office, "通知", year=1999) == []
    assert _found(office, "通知", state=search.CLOSED) == []
    assert _found(office, "通知", state=search.OPEN) == _expected(made, "通知")


def test_a_query_too_long_is_refused_in_words_the_user_can_act_on(office: Office) -> None:
    from app.core.errors import ValidationError

    with pytest.raises(ValidationError, match="关键词"):
        office.run(search.search, office.director, "安" * 3000)


def test_a_restore_leaves_the_old_index_behind_and_rebuilds_it(office: Office, tmp_path: Path) -> None:
    """A backup carries no index; the restored records are found, and what came after the backup is not."""
    from app.db.backup import backup
    from app.db.backup_signature import BackupMaker
    from app.db.office_key import create_office_key
    from app.services.admin import maintenance

    create_office_key()
    made = _made(office)
    saved = backup(office.ctx.engine, tmp_path / "office", maker=BackupMaker("admin", "系统管理员"))
    if zipfile.is_zipfile(saved):
        with zipfile.ZipFile(saved) as archive:
            assert not [name for name in archive.namelist() if "search_" in name]
    else:  # a local database's backup is a SQLite file: the index tables are there, empty
        with sqlite3.connect(saved) as copy:
            assert copy.execute("SELECT count(*) FROM search_postings").fetchone() == (0,)
        copy.close()
    later = new_incoming(office, title="关于备份之后新到文件的通知", source_unit="县档案局")
    assert _found(office, "备份之后") == [later]
    with office.ctx.uow() as uow:
        maintenance.restore_database(uow, office.admin, saved)
    assert _found(office, "备份之后") == []
    assert _found(office, "农村公路") == _expected(made, "农村公路")
    with office.ctx.uow() as uow:
        assert search.index_complete(uow)


@pytest.mark.parametrize("posted", [False, True])
def test_a_renamed_unit_is_found_by_its_new_name_only(office: Office, posted: bool) -> None:
    """A unit named by its id (the 拟稿单位) follows a rename; a name the record keeps as written (the 拟稿人,
    signed with the name they had then) stays as it was. The records holding the old name are found through the
    postings, or through the text of those waiting to be posted."""
    from app.services.admin import users as admin

    doc = new_draft(office, title="关于改名测试的通知")  # drafted in 秘书股 by 张文秘
    if posted:
        _post_waiting(office)
    assert _found(office, "秘书股") == [doc] and _found(office, "张文秘") == [doc]
    with office.ctx.uow() as uow:
        admin.update_unit(uow, office.admin, office.units["秘书股"],
                          expected_version=_version(office, "units", office.units["秘书股"]), name="综合股")
    with office.ctx.uow() as uow:
        admin.update_user(uow, office.admin, office.clerk.id, expected_version=_version(office, "users", office.clerk.id),
                          full_name="张文书")
    assert _found(office, "秘书股") == [] and _found(office, "综合股") == [doc]
    assert _found(office, "张文秘") == [doc] and _found(office, "张文书") == []
    search_checks.assert_upkeep_is_a_rebuild("document", office.ctx)


def _version(office: Office, table: str, key: int) -> int:
    from sqlalchemy import text

    with office.ctx.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT version FROM {table} WHERE id = :id"), {"id": key}).scalar_one())
