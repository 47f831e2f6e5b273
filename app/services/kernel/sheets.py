"""Reading an .xlsx sheet that someone brings in (a decomposition table, a ledger kept in Excel) as plain rows
of cell values, treating the file as hostile: too large, not a workbook, a zip bomb, XML entity tricks
(openpyxl parses with defusedxml) or a broken file are refused with a message saying what to do, and
nothing else of it is read than the cells' values of its first sheet."""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Sequence

from app.core.errors import ValidationError

MAX_FILE_BYTES = 20 * 1024 * 1024
# What a 20 MB workbook may unpack to; a far larger figure is a zip bomb, not a sheet.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_COLUMNS = 60

Cell = object


def read_first_sheet(data: bytes, filename: str, max_rows: int) -> list[list[Cell]]:
    """The first worksheet's rows, from the first, each a list of cell values (str, number, date … or None),
    at most ``max_rows`` + 1 rows (a longer sheet is refused by the caller's own check)."""
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "文件"
    if name.lower().endswith((".xls", ".et", ".csv")):
        raise ValidationError(f"“{name}”不是 .xlsx 格式，请在 Excel 或 WPS 中“另存为” Excel 工作簿（*.xlsx）后再导入")
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(f"“{name}”超过{MAX_FILE_BYTES // 1024 // 1024} MB，请删去无关的工作表或图片后再导入")
    buffer = io.BytesIO(data)
    if not data or not zipfile.is_zipfile(buffer):
        raise ValidationError(f"“{name}”不是有效的 Excel 工作簿（*.xlsx），请用 Excel 或 WPS 打开并另存后再导入")
    try:
        with zipfile.ZipFile(buffer) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        raise ValidationError(f"“{name}”已损坏，无法读取，请重新保存后再导入") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(f"“{name}”解压后过大，不像是一张普通的表格，已拒绝导入")
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns of features it drops (data validation, conditional formats): the cells stay.
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                if not book.worksheets:
                    raise ValidationError(f"“{name}”中没有工作表")
                rows: list[list[Cell]] = []
                for row in book.worksheets[0].iter_rows(values_only=True):
                    rows.append(_trimmed(row[:MAX_COLUMNS]))
                    if len(rows) > max_rows + 1:
                        break
            finally:
                book.close()
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - any parse failure of a hostile file is the same refusal
        raise ValidationError(f"“{name}”无法读取，可能已损坏或不是 Excel 工作簿，请用 Excel 或 WPS 另存后再导入") from None
    while rows and all(_blank(cell) for cell in rows[-1]):
        rows.pop()
    return rows


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _trimmed(row: Sequence[Cell]) -> list[Cell]:
    cells = list(row)
    while cells and _blank(cells[-1]):
        cells.pop()
    return cells
