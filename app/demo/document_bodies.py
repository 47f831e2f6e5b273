"""The demo's 发文 bodies: a real .docx for each draft, as the office's drafters write them (the title and 主送 at the
top, an opening, two or three parts of 一、 and （一）, a closing), so that 生成正式公文 has something to typeset."""

from __future__ import annotations

import io
import random
import zipfile
from datetime import datetime

import docx

_STAMP = datetime(2026, 1, 1)
_OPENINGS: dict[str, str] = {
    "通知": "为切实做好有关工作，经县人民政府同意，现就有关事项通知如下：",
    "请示": "为加快推进有关工作，解决当前存在的突出困难，现将有关情况请示如下：",
    "报告": "根据上级有关要求，现将我县有关工作开展情况报告如下：",
    "函": "你单位来函收悉。经研究，现将有关意见函复如下：",
    "批复": "你单位《关于有关事项的请示》收悉。经研究，现批复如下：",
    "意见": "为进一步规范和加强有关工作，结合我县实际，提出如下意见：",
    "纪要": "会议听取了有关单位的工作汇报，研究了有关事项。现将会议议定事项纪要如下：",
}
_CLOSINGS: dict[str, str] = {
    "通知": "请各单位结合实际，认真抓好贯彻落实。",
    "请示": "妥否，请批示。",
    "报告": "特此报告。",
    "函": "特此函复。",
    "批复": "此复。",
}
_PARTS = (
    ("提高思想认识，压实工作责任", "各乡镇、各部门要把这项工作摆上重要议事日程，主要负责同志亲自抓，分管负责同志具体抓，"
     "确保各项措施落到实处。"),
    ("突出工作重点，狠抓任务落实", "要聚焦群众反映强烈的突出问题，逐项建立工作台账，明确责任单位、责任人和完成时限，"
     "实行销号管理。"),
    ("加强督查检查，严肃追责问责", "县政府督查室将适时组织督查，对工作不力、进展缓慢的单位予以通报，"
     "造成严重后果的，依法依规追究有关人员责任。"),
)
_POINTS = (
    ("加强组织领导。", "成立工作专班，建立周调度、月通报工作机制。"),
    ("强化要素保障。", "统筹安排资金、用地等要素，优先保障重点项目需要。"),
    ("注重宣传引导。", "通过政务网站、微信公众号等渠道加强政策宣传，营造良好氛围。"),
)


def demo_body(title: str, doc_type: str, main_recipients: str) -> bytes:
    """A .docx body for a demo draft of this type and title; its choices seeded by the title, so that the demo's
    own random sequence (and every record after this one) stays as it was."""
    rng = random.Random(title)
    document = docx.Document()
    document.add_paragraph(title)
    if main_recipients and doc_type != "纪要":
        document.add_paragraph(f"{main_recipients}：")
    document.add_paragraph(_OPENINGS.get(doc_type, _OPENINGS["通知"]))
    chinese = "一二三"
    for index, (heading, text) in enumerate(rng.sample(_PARTS, k=rng.choice((2, 3)))):
        document.add_paragraph(f"{chinese[index]}、{heading}")
        document.add_paragraph(text)
        if index == 0:
            for point, (lead, detail) in enumerate(rng.sample(_POINTS, k=2)):
                document.add_paragraph(f"（{chinese[point]}）{lead}{detail}")
    closing = _CLOSINGS.get(doc_type)
    if closing:
        document.add_paragraph(closing)
    document.core_properties.created = document.core_properties.modified = _STAMP
    stream = io.BytesIO()
    document.save(stream)
    return _restamped(stream.getvalue())


def _restamped(package: bytes) -> bytes:
    """The package with every entry dated _STAMP: python-docx dates them when it saves, and the same seed must
    give the same demo, file for file."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            stamped = zipfile.ZipInfo(entry.filename, date_time=_STAMP.timetuple()[:6])
            stamped.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(stamped, source.read(entry))
    return out.getvalue()
