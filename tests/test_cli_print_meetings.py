"""会议's forms from `govdesk print FORM --id N`: refused to a user whose unit neither attends nor organizes the
meeting (one Chinese line, exit code 2, no PDF, nothing in the audit log), printed for the office's 文秘 and
audited as made on the command line. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.bootstrap import AppContext
from app.core.areas.meetings import MANIFEST
from app.forms import build_registry
from tests.helpers import PASSWORD
from tests.helpers.cli_print import Cli, prints, text_of
from tests.helpers.document_office import build_office
from tests.helpers.meetings_office import add_rooms, new_meeting

REFUSED = "您的单位不参加也不承办这个会议，不能查看"
SAYS: dict[str, tuple[str, ...]] = {
    "meeting-notice": ("关于召开财政工作专题会议的通知", "县财政局：", "会议地点：第一会议室（县政府办公楼三楼）"),
    "meeting-sign-in": ("财政工作专题会议签到表", "序号单位姓名职务签名备注", "应到1人"),
    "meeting-seating": ("财政工作专题会议座次图", "面向主席台，从左至右", "钱局长"),
    "meeting-plan": ("财政工作专题会议方案", "一、材料准备", "五、会议总结", "本阶段暂无工作任务"),
}


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_url: str) -> Cli:
    return Cli(capsys, db_url)


def test_every_meeting_form_is_tested_here() -> None:
    assert sorted(SAYS) == sorted(form.name for form in MANIFEST.forms)


@pytest.mark.parametrize("form", sorted(SAYS))
def test_a_meeting_form_prints_for_whoever_sees_the_meeting(
    cli: Cli, ctx: AppContext, tmp_path: Path, form: str
) -> None:
    o = build_office(ctx)
    from app.services.meetings.records import AttendeeInput

    meeting = new_meeting(o, add_rooms(o)["第一会议室"], title="财政工作专题会议", meeting_type="专题会议",
                          attendees=[AttendeeInput(unit_id=o.units["财政局"], name="钱局长", post="局长")])
    refused = tmp_path / "refused.pdf"
    code, out, err = cli("print", form, "--id", str(meeting), "--out", str(refused), "--as", o.liaison_edu.username,
                         stdin=f"{PASSWORD}\n")
    assert (code, out, err) == (2, "", f"错误：{REFUSED}\n")
    assert not refused.exists() and prints(ctx) == []

    printed = tmp_path / f"{form}.pdf"
    code, out, err = cli("print", form, "--id", str(meeting), "--out", str(printed), "--as", o.liaison_fin.username,
                         stdin=f"{PASSWORD}\n")
    assert (code, err) == (0, "") and out.startswith(f"已输出 {build_registry().get(form).title}")
    text = text_of(printed)
    for words in SAYS[form]:
        assert words in text, words
    ((user_id, _username, entity_type, entity_id, detail),) = prints(ctx)
    assert (user_id, entity_type, entity_id) == (o.liaison_fin.id, "meeting", meeting)
    facts = json.loads(detail)
    assert (facts["form"], facts["via"]) == (form, "cli") and facts["account"]
