"""Official documents (公文): the types, urgency, disclosure and secrecy rules of 《党政机关公文处理工作条例》.

Pure checks that the document services apply; each failure is a ValidationError naming its field.
"""

from __future__ import annotations

import re

from app.core.errors import ValidationError
from app.core.numbering import parse_doc_number
from app.core.printable import check_printable

__all__ = [
    "COSIGN_BASES",
    "COSIGN_UNIT_KINDS",
    "DIRECTIONS",
    "DISCLOSURES",
    "DOC_TYPES",
    "ERROR_KINDS",
    "INCOMING",
    "NOT_DISCLOSED",
    "OUTGOING",
    "REPLY_METHODS",
    "SECRECY_LAW_MESSAGE",
    "SECRET_MARKS",
    "UPWARD_TYPES",
    "URGENCIES",
    "DEFAULT_COPIES",
    "MAX_COPIES",
    "check_copies",
    "check_disclosure",
    "check_doc_type",
    "check_error_kind",
    "check_secrecy",
    "check_source_number",
    "check_title",
    "check_urgency",
    "infer_doc_type",
    "is_upward",
    "FROZEN_FILE_PURPOSES",
    "SIGNED_FILES_MESSAGE",
    "UNSIGNED_STEPS",
    "signed_files_frozen",
]

OUTGOING = "out"
INCOMING = "in"
DIRECTIONS: dict[str, str] = {OUTGOING: "发文", INCOMING: "收文"}

# 条例 Art. 8: the fifteen kinds, in the order the regulation lists them.
DOC_TYPES: tuple[str, ...] = (
    "决议", "决定", "命令（令）", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案",
    "函", "纪要",
)
# 上行文: sent up to a higher authority. They go out over the principal leader's signature (条例 Art. 24).
UPWARD_TYPES: frozenset[str] = frozenset({"请示", "报告"})

URGENCIES: tuple[str, ...] = ("特急", "加急", "")

DISCLOSURES: tuple[str, ...] = ("主动公开", "依申请公开", "不予公开")
NOT_DISCLOSED = "不予公开"

# 差错 recorded against a document when a reviewer returns it (the quarterly notice counts them).
ERROR_KINDS: tuple[str, ...] = ("格式", "文字", "文种", "程序")

SECRET_MARKS: tuple[str, ...] = ("秘密", "机密", "绝密")
SECRECY_LAW_MESSAGE = (
    "本系统为非涉密系统，依照《保守国家秘密法》不得处理涉密公文（{mark}）。"
    "请通过涉密载体和涉密渠道办理"
)
# What may stand in the 密级 box of a document this system handles.
_NON_CLASSIFIED = ("", "无", "非密", "非涉密", "公开")
# A mark with its 保密期限, as GB/T 9704 prints it: 秘密★1年, 机密★.
_MARK_IN_TEXT = re.compile(r"(秘密|机密|绝密)\s*[★☆*]")

TITLE_MAX = 300

# A number typed with the brackets a keyboard has: 江府发[2026]3号, 江府发（2026）3号.
_TYPED_BRACKETS = re.compile(
    r"(?P<prefix>[^\[\]［］【】()（）〔〕\s]+)\s*[\[［【(（]\s*(?P<year>[0-9]{4})\s*[\]］】)）]\s*(?P<seq>[0-9]+)\s*号"
)


def check_secrecy(mark: str | None) -> str:
    """'' for a non-classified document; a 秘密/机密/绝密 mark is refused, citing the secrecy law."""
    text = (mark or "").strip()
    for secret in SECRET_MARKS:
        if secret in text:
            raise ValidationError(SECRECY_LAW_MESSAGE.format(mark=secret), field="secrecy")
    if text not in _NON_CLASSIFIED:
        raise ValidationError("密级只能为空或“非密”：本系统只处理非涉密公文", field="secrecy")
    return ""


# 印制份数: a county office prints tens or hundreds of copies; more than this is a slip of the keyboard.
MAX_COPIES = 100_000
# The 印制份数 offered until the office says otherwise: a county's townships and departments, and a few spare.
DEFAULT_COPIES = 30


def check_copies(copies: object, *, field: str = "copies", what: str = "印制份数") -> int:
    """A number of copies printed (or received): a whole number from 1, never silently replaced."""
    if isinstance(copies, bool) or not isinstance(copies, int):
        raise ValidationError(f"{what}请填写整数", field=field)
    if copies < 1:
        raise ValidationError(f"{what}至少为1份，请填写实际的份数", field=field)
    if copies > MAX_COPIES:
        raise ValidationError(f"{what}不能超过{MAX_COPIES}份，请核对", field=field)
    return copies


def check_title(title: str | None) -> str:
    text = " ".join((title or "").split())
    if not text:
        raise ValidationError("请填写公文标题", field="title")
    if len(text) > TITLE_MAX:
        raise ValidationError(f"标题不能超过{TITLE_MAX}个字", field="title")
    check_printable(text, "标题", field="title")
    found = _MARK_IN_TEXT.search(text)
    if found:
        raise ValidationError(SECRECY_LAW_MESSAGE.format(mark=found.group(1)), field="title")
    return text


def check_doc_type(doc_type: str | None, *, required: bool = True) -> str:
    text = (doc_type or "").strip()
    if text == "命令" or text == "令":
        text = "命令（令）"
    if not text and not required:
        return ""
    if text not in DOC_TYPES:
        raise ValidationError(f"文种应为以下15种之一：{'、'.join(DOC_TYPES)}", field="doc_type")
    return text


def is_upward(doc_type: str) -> bool:
    return doc_type in UPWARD_TYPES


def infer_doc_type(title: str) -> str:
    """The 文种 a title ends with ('关于……的通知' → 通知), or '' when it names none."""
    text = title.strip().rstrip("。）)").strip()
    for kind in sorted(DOC_TYPES, key=len, reverse=True):
        names = ("命令", "令") if kind == "命令（令）" else (kind,)
        if any(text.endswith(name) for name in names):
            return kind
    return ""


def check_urgency(urgency: str | None) -> str:
    text = (urgency or "").strip()
    if text in ("无", "普通", "平件"):
        text = ""
    if text not in URGENCIES:
        raise ValidationError("紧急程度只能是“特急”“加急”或不标注", field="urgency")
    return text


def check_disclosure(disclosure: str | None, reason: str | None, *, required: bool = True) -> tuple[str, str]:
    """(公开属性, 不予公开理由). 不予公开 needs its reason; the other two carry none."""
    text = (disclosure or "").strip()
    why = (reason or "").strip()
    if not text and not required:
        return "", ""
    if text not in DISCLOSURES:
        raise ValidationError("请选择公开属性：主动公开、依申请公开或不予公开", field="disclosure")
    if text == NOT_DISCLOSED:
        if not why:
            raise ValidationError("选择“不予公开”时必须说明理由", field="disclosure_reason")
        if len(why) > 200:
            raise ValidationError("不予公开的理由不能超过200个字", field="disclosure_reason")
        return text, why
    return text, ""


def check_error_kind(kind: str | None) -> str:
    text = (kind or "").strip().removesuffix("差错").removesuffix("错误")
    if text not in ERROR_KINDS:
        raise ValidationError(f"差错类型应为：{'、'.join(ERROR_KINDS)}", field="error_kind")
    return text


def check_source_number(text: str | None) -> str:
    """来文字号 as the issuing body wrote it.

    A number in our own shape (代字〔年〕序号号) is checked strictly, so a typing slip such as [2026] or
    第12号 is caught. Other bodies' numbers are kept as written: party organs, courts and higher
    authorities use shapes of their own (e.g. 江府办函〔2026〕第3号 in older styles, 2026-15), and the
    office registers what the paper says rather than refusing the document.
    """
    value = " ".join((text or "").split())
    if len(value) > 100:
        raise ValidationError("来文字号不能超过100个字", field="source_number")
    check_printable(value, "来文字号", field="source_number")
    typed = _TYPED_BRACKETS.fullmatch(value)
    if typed:
        # 〔〕 is hard to type; every party and government organ prints it (GB/T 9704 §7.2.4).
        value = f"{typed['prefix']}〔{typed['year']}〕{typed['seq']}号"
    if "〔" in value and "〕" in value and value.endswith("号") and "第" not in value:
        try:
            parse_doc_number(value)
        except ValidationError as error:
            raise ValidationError(f"来文字号“{value}”有误：{error.message}", field="source_number") from None
    return value


# On what a 会签 opinion the office records for a unit rests, and how a 来文单位 is answered (答复). The
# services take other wording too (≤ 20 characters): these are what the forms offer first.
COSIGN_BASES: tuple[str, ...] = ("电话", "书面意见", "会议")
REPLY_METHODS: tuple[str, ...] = ("书面函复", "电话", "传真", "电子邮件", "当面答复", "公文交换")
# 会签 is by co-issuing bodies (联合行文): 县政府部门, 乡镇 and bodies outside the county government, never
# the office's own 内设股室 (whose views 核稿 gathers) nor the county's leaders (who sign).
COSIGN_UNIT_KINDS: tuple[str, ...] = ("department", "township", "external")


# The outgoing steps before 签发. After them the signed text is what the leader signed: its 正文 and 附件 may
# change only after a return to the signer (退回签发人), whose new signature then covers the change.
UNSIGNED_STEPS = ("draft", "review", "cosign", "sign")
# 扫描件 stays open: a scan of the signed 发文稿纸 or of the sealed copy is added after signing, and it is
# a record of paper, not part of the text the leader signed.
FROZEN_FILE_PURPOSES = frozenset({"body", "attachment"})
SIGNED_FILES_MESSAGE = "已签发的公文不能更换正文或附件；如需修改，请退回签发人重新签发"


def signed_files_frozen(direction: str, signed: bool, state: str, purpose: str) -> bool:
    """Whether a file of this purpose is frozen: an outgoing document's 正文 and 附件 once it is signed.

    Both the signature and the step are read: a return to the signer clears the signature, and a document
    signed before that rule (its signature kept) is still open again once it is back at 签发 or before.
    """
    return direction == OUTGOING and signed and state not in UNSIGNED_STEPS and purpose in FROZEN_FILE_PURPOSES
