"""The program's areas, in navigation order, with what each will hold."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.areas import area_of_navigation
from app.ui.i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class Area:
    """One area of the navigation: its label, what it will hold, and its flows."""

    key: str
    label: str
    summary: str
    features: tuple[str, ...]

    @property
    def flow_keys(self) -> tuple[str, ...]:
        """The flows of the area built here, from its manifest (app.core.areas); none for one still to come."""
        manifest = area_of_navigation(self.key)
        return manifest.flow_keys if manifest is not None else ()


AREAS: tuple[Area, ...] = (
    Area("workbench", QT_TRANSLATE_NOOP("GovDesk", '工作台'), QT_TRANSLATE_NOOP("GovDesk", '我的待办、即将到期和已逾期事项'), ()),
    Area(
        "documents", QT_TRANSLATE_NOOP("GovDesk", '公文'), QT_TRANSLATE_NOOP("GovDesk", '发文和收文办理（文会办理）'),
        (QT_TRANSLATE_NOOP("GovDesk", '发文：拟稿、核稿、会签、签发、编号、印制、用印、分发、归档'), QT_TRANSLATE_NOOP("GovDesk", '收文：签收、登记、初审、拟办、批办、承办、传阅、办结'),
         QT_TRANSLATE_NOOP("GovDesk", '催办、归档章与归档文件目录'), QT_TRANSLATE_NOOP("GovDesk", '打印发文稿纸、收文处理笺、收文登记簿')),
    ),
    Area(
        "meetings", QT_TRANSLATE_NOOP("GovDesk", '会议'), QT_TRANSLATE_NOOP("GovDesk", '会议方案、议题、通知、签到、座次和会议纪要'),
        (QT_TRANSLATE_NOOP("GovDesk", '会议方案五个阶段的任务清单'), QT_TRANSLATE_NOOP("GovDesk", '常务会议议题的申报和审定'), QT_TRANSLATE_NOOP("GovDesk", '会议通知、签到表和座次图'), QT_TRANSLATE_NOOP("GovDesk", '会议纪要与议定事项转督办')),
    ),
    Area(
        "supervision", QT_TRANSLATE_NOOP("GovDesk", '督查督办'), QT_TRANSLATE_NOOP("GovDesk", '政府工作报告目标、常务会议决定、上级交办和领导批示的督办'),
        (QT_TRANSLATE_NOOP("GovDesk", '一事一人：责任人和牵头单位'), QT_TRANSLATE_NOOP("GovDesk", '重点督办、马上督办、定期督办的反馈节奏'), QT_TRANSLATE_NOOP("GovDesk", '督办台账、办结销号'), QT_TRANSLATE_NOOP("GovDesk", '定期通报和排名')),
    ),
    Area(
        "petitions", QT_TRANSLATE_NOOP("GovDesk", '信访'), QT_TRANSLATE_NOOP("GovDesk", '来信、来访、来电、网上信访的登记和办理'),
        (QT_TRANSLATE_NOOP("GovDesk", '登记与重复信访识别'), QT_TRANSLATE_NOOP("GovDesk", '受理、转送、交办和办结时限'), QT_TRANSLATE_NOOP("GovDesk", '处理意见书与回访'), QT_TRANSLATE_NOOP("GovDesk", '热点问题排查')),
    ),
    Area(
        "reimbursement", QT_TRANSLATE_NOOP("GovDesk", '报账'), QT_TRANSLATE_NOOP("GovDesk", '报销单填报、审批流程和报账流程图'),
        (QT_TRANSLATE_NOOP("GovDesk", '按金额和预算自动分流的审批'), QT_TRANSLATE_NOOP("GovDesk", '流程图显示当前环节和办理轨迹'), QT_TRANSLATE_NOOP("GovDesk", '打印报销单（含大写金额与签字栏）')),
    ),
    Area(
        "information", QT_TRANSLATE_NOOP("GovDesk", '信息调研'), QT_TRANSLATE_NOOP("GovDesk", '政务信息编报、调研文章、采用计分和周一学习'),
        (QT_TRANSLATE_NOOP("GovDesk", '8个信息组的周任务和半年任务'), QT_TRANSLATE_NOOP("GovDesk", '上级采用计分'), QT_TRANSLATE_NOOP("GovDesk", '编印《政务信息》'), QT_TRANSLATE_NOOP("GovDesk", '周一学习轮值')),
    ),
    Area("admin", QT_TRANSLATE_NOOP("GovDesk", '系统管理'), QT_TRANSLATE_NOOP("GovDesk", '用户、单位、系统设置、节假日、备份恢复和审计日志'), ()),
)

AREA_BY_KEY = {area.key: area for area in AREAS}


def area_for_flow(flow_key: str) -> Area | None:
    for area in AREAS:
        if flow_key in area.flow_keys:
            return area
    return None
