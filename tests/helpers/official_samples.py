"""Realistic 公文 for the typesetter's tests: a 下行文 通知 whose body has all four structure levels, a table,
a picture and a typeset 附件; a 上行文 请示 with its 签发人; a 纪要 with its 出席/请假/列席 lines; and a 函 in the
信函格式."""

from __future__ import annotations

import io
from datetime import date

from app.core.document_body import (
    LEVEL_1,
    LEVEL_2,
    LEVEL_3,
    LEVEL_4,
    Body,
    BodyImage,
    BodyParagraph,
    BodyTable,
    CellSpan,
)
from app.printing.documents.official.data import MinutesPeople, OfficialAttachment, OfficialDocumentData

OFFICE = "青山县人民政府办公室"


def png(width: int = 240, height: int = 120) -> bytes:
    """A small real PNG, a solid blue block, written with zlib alone."""
    import struct
    import zlib

    raw = b"".join(b"\x00" + bytes((40, 90, 160) * width) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    stream = io.BytesIO()
    stream.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return stream.getvalue()


def p(text: str, level: int = 0) -> BodyParagraph:
    return BodyParagraph(text, level)


NOTICE_BODY = Body((
    p("为切实做好2027年元旦春节期间安全生产工作，确保全县人民群众度过一个欢乐祥和的节日，经县人民政府同意，现就有关事项通知如下："),
    p("一、提高思想认识，压实安全责任", LEVEL_1),
    p("各乡镇人民政府、县政府各部门要深刻认识做好节日期间安全生产工作的重要性，坚持人民至上、生命至上，"
      "严格落实党政同责、一岗双责、齐抓共管、失职追责，把安全生产责任落实到岗位、落实到人头。"),
    p("（一）落实属地管理责任。", LEVEL_2),
    p("各乡镇要组织开展一次全覆盖的安全隐患排查，对排查出的问题建立台账，明确整改责任人和整改时限，"
      "确保整改到位。"),
    p("1. 道路交通安全。", LEVEL_3),
    p("公安、交通运输部门要加强对客运车辆、校车、危险化学品运输车辆的检查，严厉打击超速、超员、"
      "疲劳驾驶、酒后驾驶等违法行为。"),
    p("（1）加强重点路段管控。", LEVEL_4),
    p("在临水临崖、急弯陡坡等重点路段设置警示标志，必要时安排专人值守。"),
    p("（二）落实部门监管责任。", LEVEL_2),
    p("各行业主管部门要按照“管行业必须管安全、管业务必须管安全、管生产经营必须管安全”的要求，"
      "督促企业落实主体责任。各部门检查情况见下表。"),
    # A heading of two rows as offices draw it: 检查安排 merged across two columns, 序号 and 完成时限 merged down
    # (three rows below it, so that the picture still stands on page 2 and the 版记 shares 附件1's page).
    BodyTable(
        (
            ("序号", "检查安排", "", "完成时限"),
            ("", "检查领域", "牵头单位", ""),
            ("1", "道路交通", "县公安局、县交通运输局", "2026年12月31日"),
            ("2", "消防安全", "县消防救援大队", "2026年12月31日"),
            ("3", "危险化学品", "县应急管理局", "2027年1月10日"),
        ),
        header_rows=2,
        spans=(CellSpan(0, 0, rows=2), CellSpan(0, 1, columns=2), CellSpan(0, 3, rows=2)),
    ),
    p("二、强化值班值守，做好应急准备", LEVEL_1),
    p("节日期间，各单位要严格执行24小时值班和领导带班制度，值班人员要坚守岗位，保持通信畅通。"
      "遇有重大突发事件，要按规定及时报告，不得迟报、漏报、瞒报。全县值班安排如下图所示。"),
    BodyImage(png(), 120.0, 60.0, "值班安排图"),
    p("三、加强督查检查，严肃追责问责", LEVEL_1),
    p("县安委会办公室将组织督查组对各乡镇、各部门节日期间安全生产工作开展督查，"
      "对工作不力、造成严重后果的，依法依规严肃追究有关单位和人员的责任。"),
))

CONTACTS_BODY = Body((
    BodyTable((
        ("单位", "值班电话", "带班领导"),
        ("县应急管理局", "0791-6123456", "李明"),
        ("县公安局", "0791-6123110", "王强"),
        ("县消防救援大队", "0791-6123119", "赵刚"),
    )),
))


def down_going() -> OfficialDocumentData:
    """县政府办公室's 通知 to the townships and departments, with one typeset 附件 and one named only."""
    return OfficialDocumentData(
        layout="down",
        doc_type="通知",
        issuer_mark=f"{OFFICE}文件",
        doc_number="县政办发〔2026〕12号",
        title="青山县人民政府办公室关于做好2027年元旦春节期间安全生产工作的通知",
        main_recipients="各乡镇人民政府，县政府各部门",
        body=NOTICE_BODY,
        issuer_names=(OFFICE,),
        signed_on=date(2026, 12, 20),
        printer=OFFICE,
        printed_on=date(2026, 12, 21),
        attachments=(
            OfficialAttachment("青山县2027年元旦春节期间值班安排表", CONTACTS_BODY),
            OfficialAttachment("青山县节日期间安全检查工作方案"),
        ),
        note="此件公开发布",
        copy_to="县委办公室，县人大常委会办公室，县政协办公室",
        urgency="特急",
    )


def up_going() -> OfficialDocumentData:
    """县政府's 请示 to the city government, over the county magistrate's signature."""
    return OfficialDocumentData(
        layout="up",
        doc_type="请示",
        issuer_mark="青山县人民政府文件",
        doc_number="青政〔2026〕8号",
        title="青山县人民政府关于申请安排2027年农村公路提质改造专项资金的请示",
        main_recipients="江州市人民政府",
        body=Body((
            p("我县农村公路总里程1280公里，其中四级及以下公路占78%，路面窄、弯道急、安全设施不足，"
              "群众出行难的问题仍然突出。为加快补齐农村交通短板，现就有关事项请示如下："),
            p("一、项目基本情况", LEVEL_1),
            p("2027年我县计划实施农村公路提质改造项目36个，总里程215公里，估算总投资2.6亿元。"),
            p("二、资金需求", LEVEL_1),
            p("项目已落实县级配套资金0.8亿元，尚有资金缺口1.8亿元。恳请市政府在2027年度专项资金中予以倾斜支持。"),
            p("妥否，请批示。"),
        )),
        issuer_names=("青山县人民政府",),
        signed_on=date(2026, 12, 15),
        printer=OFFICE,
        printed_on=date(2026, 12, 16),
        signers=("陈建国",),
        note="联系人：刘洋，联系电话：0791-6128866",
        copy_to="江州市交通运输局",
    )


def minutes() -> OfficialDocumentData:
    """县政府常务会议's 纪要: no 主送, no signature or seal; 出席/请假/列席 after the body."""
    return OfficialDocumentData(
        layout="minutes",
        doc_type="纪要",
        issuer_mark="青山县人民政府常务会议纪要",
        doc_number="第12期",
        title="县政府第十二次常务会议纪要",
        main_recipients="",
        body=Body((
            p("2026年12月10日，县长陈建国主持召开县政府第十二次常务会议，研究2027年元旦春节期间安全生产、"
              "农村公路提质改造等工作。纪要如下："),
            p("一、关于2027年元旦春节期间安全生产工作", LEVEL_1),
            p("会议听取了县应急管理局关于节日期间安全生产工作的汇报。会议要求，各乡镇、各部门要压实责任，"
              "全面排查整治安全隐患。"),
            p("二、关于农村公路提质改造项目", LEVEL_1),
            p("会议原则同意县交通运输局提出的2027年农村公路提质改造计划，由县财政局统筹落实配套资金。"),
        )),
        issuer_names=("青山县人民政府",),
        signed_on=date(2026, 12, 11),
        printer=OFFICE,
        printed_on=date(2026, 12, 11),
        sealed=False,
        copy_to="县委办公室，县人大常委会办公室，县政协办公室，各乡镇人民政府，县政府各部门",
        minutes_people=MinutesPeople(
            present="陈建国、李华、张伟、王芳、刘洋",
            absent="赵明（出差）",
            attending="县财政局、县交通运输局、县应急管理局主要负责同志",
        ),
    )


def letter() -> OfficialDocumentData:
    """县政府办公室's 函 to the city's 交通运输局 in the 信函格式 (GB/T 9704 §10.1): two pages, with 抄送."""
    return OfficialDocumentData(
        layout="letter",
        doc_type="函",
        issuer_mark=OFFICE,
        doc_number="县政办函〔2026〕5号",
        title="青山县人民政府办公室关于商请支持G320国道青山段改扩建工程前期工作的函",
        main_recipients="江州市交通运输局",
        body=Body((
            p("G320国道青山段是我县连接江州市区和沿江经济带的主要通道，全长42.6公里，现为二级公路，"
              "建成通车已逾二十年。近年来，随着沿线工业园区和乡村旅游的发展，日均交通量已超过1.8万辆，"
              "路面破损、通行能力不足的问题日益突出，群众反映强烈。"),
            p("为加快改善沿线群众出行条件，我县拟对G320国道青山段实施改扩建，按一级公路标准建设，"
              "估算总投资约9.8亿元。目前，项目建议书已编制完成，工程可行性研究报告正在编制。"
              "为推进项目前期工作，现商请贵局给予以下支持："),
            p("一、将G320国道青山段改扩建工程列入全市“十五五”普通国省道建设规划和2027年度前期工作计划。", LEVEL_1),
            p("二、指导我县开展工程可行性研究报告编制和技术审查工作，协调解决项目选址、用地等方面的问题。", LEVEL_1),
            p("三、在车购税补助资金安排上给予倾斜支持，帮助我县缓解项目建设资金压力。", LEVEL_1),
            p("我县将按照贵局要求，积极做好征地拆迁、资金筹措等工作，全力保障项目顺利实施。"
              "为便于工作衔接，县政府已明确县交通运输局为项目牵头单位，县发展改革委、县自然资源局、"
              "县财政局等部门配合，建立周调度工作机制，及时研究解决项目推进中的困难和问题。"),
            p("项目沿线涉及青山镇、河口镇、石桥乡等5个乡镇，需征收土地约1860亩，拆迁房屋约320户。"
              "我县已组织有关乡镇开展前期摸底调查，群众支持率达95%以上，具备较好的实施条件。"
              "同时，我县已将项目纳入县级重点项目库，并在2027年县级财政预算中安排前期工作经费1200万元。"),
            p("恳请贵局予以大力支持。"),
            p("请予函复。"),
        )),
        issuer_names=(OFFICE,),
        signed_on=date(2026, 12, 18),
        printer=OFFICE,
        printed_on=date(2026, 12, 18),
        note="联系人：刘洋，联系电话：0791-6128866",
        copy_to="江州市发展和改革委员会，县交通运输局，县财政局",
    )
