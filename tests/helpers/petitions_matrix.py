"""The records the permission matrix's 信访 rows act on (tests/services/test_permission_matrix): cases registered
by the office's 信访接待员 (who answers for each, 首问负责), one at each point of the flow, the assigned ones
assigned to the 财政局 alone, each row's act taken from there. Made on TODAY through the real services. No tests
live here."""

from __future__ import annotations

from app.services.petitions import lifecycle, problems, records
from app.services.workflow import parallel
from tests.helpers.document_office import TODAY, Office
from tests.helpers.petitions_office import new_petition

DUE = TODAY.replace(month=12, day=18)


def _assigned(o: Office, name: str) -> int:
    pid = new_petition(o, name=name)
    o.run(lifecycle.assign, o.petition, pid, unit_id=o.units["财政局"], due=DUE, task="核实并报送办理情况",
          today=TODAY)
    return pid


def _report(o: Office, pid: int) -> None:
    instance_id = o.run(records.get_petition, o.director, pid).instance_id
    task = [i for i in o.run(parallel.work_items_of, o.director, instance_id).items if i.lead][-1]
    o.run(parallel.report_work_item, o.liaison_fin, task.id, "已核实，材料齐全")
    o.run(lifecycle.write_reply, o.petition, pid, findings="查明属实", decision="支持", basis="《信访工作条例》",
          today=TODAY)


def prepare_for_matrix(o: Office) -> dict[str, int]:
    ids = {"pt_register": new_petition(o, name="甲"), "pt_handle": _assigned(o, "乙"),
           "pt_objected": _assigned(o, "丙"), "pt_ready": _assigned(o, "丁"), "pt_review": _assigned(o, "戊"),
           "pt_replied": _assigned(o, "己")}
    ids["pt_objection"] = o.run(lifecycle.object_to_assignment, o.liaison_fin, ids["pt_objected"],
                                reason="不属本单位职责", today=TODAY).id
    for key in ("pt_ready", "pt_review", "pt_replied"):
        _report(o, ids[key])
    for key in ("pt_review", "pt_replied"):
        o.run(lifecycle.submit, o.petition, ids[key], today=TODAY)
    o.run(lifecycle.sign, o.director, ids["pt_replied"], today=TODAY)
    ids.update(_problems(o))
    return ids


def _problems(o: Office) -> dict[str, int]:
    """Two 排查问题 of the 财政局 at 化解落实: one its 联络员 has not reported on, one reported."""
    made = {}
    for key in ("pt_problem", "pt_problem_reported"):
        made[key] = o.run(problems.create_problem, o.petition, title="城关镇商品房两证办理问题", category="商品房两证办理",
                          place="城关镇", period_from=TODAY.replace(month=1, day=1), period_to=TODAY, case_count=3,
                          description="查明原因，制定化解措施", unit_id=o.units["财政局"], deadline=DUE, today=TODAY).id
    made["pt_problem_instance"] = o.run(problems.get_problem, o.petition, made["pt_problem"]).instance_id
    o.run(problems.report_problem, o.liaison_fin, made["pt_problem_reported"], "已协调办证", today=TODAY)
    return made
