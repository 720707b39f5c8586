"""Reading the spreadsheets (台账) staff already keep, and writing them back out.

Three layers, used by the admin import (django-import-export) and by
`manage.py import_records` alike, so both apply exactly the same parsing and validation:

1. Files → `tablib.Dataset`: CSV in UTF-8, UTF-8 with BOM, GBK/GB18030 (detected, not asked)
   or UTF-16 (Excel's "Unicode text"); XLSX through openpyxl. Trailing empty rows and
   columns are dropped; a title row above the header ("2021年项目台账") is skipped.
2. Cells → Python values: amounts "1,234.50", "1234.5万元", full-width digits; dates
   "2021-04-05", "2021/4/5", "2021年4月5日" and Excel date cells; choices by their Chinese
   label; regions by official code or by name within the partnership's western county.
   Every failure is a `ValueError` whose text a clerk understands.
3. `TrackedResource`: the base of every resource. Natural keys are prefetched (no query per
   row), rows are validated with the model's own `full_clean()`, unchanged rows are
   reported as such, errors name the spreadsheet row and column, and rows are written with
   `bulk_create` / `bulk_update` plus their history, all in one transaction.

Exports go through the same resources: CSV with a BOM (Excel opens it as UTF-8), cells that
start with = + - @ tab or CR neutralised with a leading apostrophe (stripped again on import,
so an exported file imports back unchanged), XLSX with such cells and ID numbers typed as
text.
"""

import codecs
import csv
import datetime
import io
import re
import unicodedata
from collections import OrderedDict, defaultdict
from decimal import Decimal

import tablib
from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import NOT_PROVIDED, Model
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import InvalidRow, Result, RowResult

from . import areas
from .export_limit import limit_exports
from .exports import FORMULA_STARTS, neutralise
from .freshness import bump_data_version, partnerships_of
from .models import Partnership, Region, Tracked

# --------------------------------------------------------------------------------------
# 1. Files
# --------------------------------------------------------------------------------------


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, format, shape)."""


def decode_text(data):
    """Bytes of a text file → str. UTF-8 (with or without BOM) first, then UTF-16 with its BOM,
    then GB18030 (a superset of GBK and GB2312, what Chinese Excel writes), then whatever
    charset-normalizer finds. Nothing to choose for the clerk."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ImportFileError(
            gettext("无法识别文件的字符编码。请在 Excel 中另存为“CSV UTF-8”或 XLSX 后再导入。")
        )
    return str(best)


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _trimmed(headers, rows):
    """Drop trailing empty rows, and trailing columns with neither a header nor a value."""
    while rows and all(_is_blank(v) for v in rows[-1]):
        rows.pop()
    width = len(headers)
    while (
        width
        and _is_blank(headers[width - 1])
        and all(len(r) < width or _is_blank(r[width - 1]) for r in rows)
    ):
        width -= 1
    headers = [("" if h is None else str(h).strip()) for h in headers[:width]]
    return headers, [
        list(r[:width]) if len(r) >= width else [*r, *[None] * (width - len(r))] for r in rows
    ]


def dataset_from_rows(rows):
    """A list of rows (the first one the header) → Dataset, trimmed."""
    rows = [r if r.__class__ is list else list(r) for r in rows]
    if not any(not _is_blank(v) for r in rows for v in r):
        raise ImportFileError(gettext("文件是空的：没有表头，也没有数据行。"))
    # A title line ("2021年协作资金项目台账", one cell) may come before the header: then the
    # header is the first of the first ten lines with the most filled cells.
    counts = [sum(1 for v in r if not _is_blank(v)) for r in rows[:10]]
    start = counts.index(max(counts)) if counts[0] <= 1 else 0
    rows = rows[start:]
    headers, body = _trimmed(rows[0], rows[1:])
    # Values beyond the header would be lost (or shift columns): refuse the file.
    width = len(headers)
    for line, row in enumerate(rows[1 : len(body) + 1], start + 2):
        if len(row) > width and any(not _is_blank(v) for v in row[width:]):
            raise ImportFileError(
                gettext("第%(line)d行的列数多于表头（表头共%(n)d列），请检查是否有多余的逗号。")
                % {"line": line, "n": len(headers)}
            )
    # Blank lines in the middle and 合计 lines are not records: left out, and said so; the
    # kept rows remember their line in the file, which every message names.
    kept, lines, blank, totals = [], [], 0, []
    for line, row in enumerate(body, start + 2):
        if all(_is_blank(v) for v in row):
            blank += 1
        elif _is_total_row(row):
            totals.append(line)
        else:
            kept.append(row)
            lines.append(line)
    dataset = tablib.Dataset(headers=headers)
    # Every row has the header's width (_trimmed pads them): skip tablib's per-row checks,
    # a fifth of the reading time of a 100,000-line file.
    dataset._data = [tablib.core.Row(r) for r in kept]
    dataset.header_line = start + 1
    dataset.line_numbers = lines
    dataset.skipped = (blank, totals)
    return dataset


_TOTAL_WORDS = ("合计", "总计", "小计")


def _is_total_row(row):
    """A 合计 (total) line: its first filled cell says 合计, 总计 or 小计."""
    first = next((v for v in row if not _is_blank(v)), None)
    return isinstance(first, str) and "".join(first.split()).startswith(_TOTAL_WORDS)


def skipped_note(dataset_or_result):
    """What reading left out, in a sentence ("" when nothing): columns that are no field of
    the table, blank lines, 合计 lines."""
    blank, totals = getattr(dataset_or_result, "skipped", (0, []))
    ignored = getattr(dataset_or_result, "ignored_columns", None) or []
    parts = []
    if ignored:
        parts.append(
            gettext("这些列不是本表的字段，未导入：%(cols)s")
            % {"cols": "、".join(f"“{c}”" for c in ignored)}
        )
    if blank:
        parts.append(gettext("跳过空行 %(n)d 行") % {"n": blank})
    if totals:
        parts.append(
            gettext("第%(lines)s行是合计行，已跳过（合计由系统计算）")
            % {"lines": "、".join(map(str, totals))}
        )
    return "；".join(parts) + "。" if parts else ""


def read_csv(data):
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    rows = [
        [cell.strip() for cell in row]
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]
    return dataset_from_rows(rows)


def _xlsx_value(value):
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time(0) else value
    if isinstance(value, str):
        return value.strip()
    return value


def read_xlsx(data):
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException …
        raise ImportFileError(
            gettext(
                "无法读取 XLSX 文件（%(error)s）。请确认文件是 Excel 2007 及以后的 .xlsx 格式。"
            )
            % {"error": type(exc).__name__}
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = [[_xlsx_value(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    unsaved = _formulas_without_values(data, rows)
    if unsaved:
        raise ImportFileError(
            gettext(
                "单元格 %(cells)s 是公式，但文件中没有保存它的计算结果（文件可能由程序生成、"
                "未在 Excel 中打开保存过）。请在 Excel 中打开并保存后再导入，或把公式改为数值。"
            )
            % {"cells": "、".join(unsaved[:10]) + ("……" if len(unsaved) > 10 else "")}
        )
    return dataset_from_rows(rows)


def _has_formula(archive, name):
    """Whether a sheet's XML has a formula element, read a megabyte at a time."""
    tail = b""
    with archive.open(name) as stream:
        while chunk := stream.read(1 << 20):
            if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                return True
            tail = chunk[-3:]
    return False


def _formulas_without_values(data, rows):
    """The cells (A1 names) of the first sheet holding a formula whose result the file does
    not keep: read as values they are empty, and would be taken as blanks or zeros. Only a
    file with formulas is read a second time."""
    import zipfile

    import openpyxl
    from openpyxl.utils import get_column_letter

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [
            n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")
        ]
        if not any(_has_formula(archive, n) for n in sheets):
            return []
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        found = []
        for r, row in enumerate(book.worksheets[0].iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if isinstance(value, str) and value.startswith("="):
                    shown = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
                    if shown is None:
                        found.append(f"{get_column_letter(c + 1)}{r + 1}")
        return found
    finally:
        book.close()


ZIP_SIGNATURE = b"PK\x03\x04"  # an XLSX file is a ZIP archive


def file_kind(head, name):
    """What a file is, from its first bytes and its name: "xlsx" (a ZIP archive, whatever
    its name, or an .xlsx/.xlsm name), "xls" (old Excel), "csv" (a .csv name), else None."""
    lower = (name or "").lower()
    if head.startswith(ZIP_SIGNATURE) or lower.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if lower.endswith(".xls"):
        return "xls"
    return "csv" if lower.endswith(".csv") else None


def read_file(data, name):
    """Bytes of a CSV or XLSX file (by content, or by its name's extension) → Dataset; a
    file of no known kind is read as CSV."""
    kind = file_kind(data[: len(ZIP_SIGNATURE)], name)
    if kind == "xlsx":
        return read_xlsx(data)
    if kind == "xls":
        raise ImportFileError(gettext("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV。"))
    return read_csv(data)


# --------------------------------------------------------------------------------------
# Formula neutralising (exports) and its undoing (imports)
# --------------------------------------------------------------------------------------


def unneutralise(value):
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class CSV(base_formats.CSV):
    """CSV that reads any encoding Chinese Excel writes and writes UTF-8 with a BOM.

    Declared binary so that django-import-export hands over the raw bytes (it would
    otherwise decode them as UTF-8 and fail on GBK)."""

    native_types = False

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return read_csv(in_stream)

    def export_data(self, dataset, **kwargs):
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(dataset.headers or [])
        for row in dataset:
            writer.writerow(["" if v is None else neutralise(str(v)) for v in row])
        return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


class XLSX(base_formats.XLSX):
    """XLSX read with dates kept as dates and empty trailing rows dropped; written with
    numbers and dates as such, and every text cell (ID numbers, "=…") typed as text."""

    native_types = True

    def create_dataset(self, in_stream, **kwargs):
        return read_xlsx(in_stream)

    def export_data(self, dataset, **kwargs):
        import openpyxl
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(list(dataset.headers or []))
        for row in dataset:
            cells = []
            for value in row:
                if isinstance(value, str):
                    # Text stays text (ID numbers too); "=…" gets its apostrophe, as in CSV.
                    cells.append(ILLEGAL_CHARACTERS_RE.sub("\ufffd", neutralise(value)))
                else:
                    cells.append(value)
            sheet.append(cells)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


FORMATS = [CSV, XLSX]


# --------------------------------------------------------------------------------------
# 2. Cells
# --------------------------------------------------------------------------------------


def normalise_text(value):
    """NFKC (full-width digits, letters and punctuation → ASCII), spaces trimmed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


# Characters a spreadsheet hides: zero-width ones (removed), and spaces that are not the
# plain one (no-break, thin …: made plain). The full-width space U+3000 is kept in text, but
# not inside a person's name (PersonNameWidget).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_ODD_SPACES = dict.fromkeys(
    map(
        ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
    ),
    " ",
)


def cell_text(value):
    """A cell as text, for text fields: numbers from XLSX without a trailing ".0", hidden
    characters removed and odd spaces made plain."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    text = str(value).translate(_INVISIBLE).translate(_ODD_SPACES)
    return unneutralise(text.strip())


_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
# Units a clerk may append, and their value in the field's unit (yuan or 万元).
_UNITS_IN_YUAN = {
    "亿元": Decimal(100_000_000),
    "万元": Decimal(10_000),
    "元": Decimal(1),
    "亿": Decimal(100_000_000),
    "万": Decimal(10_000),
}
# What ledgers write in a number's cell for "none": read as a blank cell.
_NOTHING_MARKS = {"—", "——", "-", "－", "–", "/", "／"}


def _no_number(value):
    return value is None or (
        isinstance(value, str) and (not value.strip() or value.strip() in _NOTHING_MARKS)
    )


def parse_decimal(value, *, unit="万元", places=4, what=None):
    """'1,234.50', '1234.5万元', '１２３４．５', 1234.5 (an Excel number) → Decimal in `unit`.

    A cell may name its unit (亿元, 万元, 元); it is converted to the column's unit. More
    decimal places than the field keeps (4 for 万元: exact to the yuan) are refused rather
    than rounded away, except for binary floats from Excel which are rounded. A dash ("—")
    is a blank cell."""
    if _no_number(value):
        return None
    what = what or _("金额")
    if isinstance(value, bool):
        raise ValueError(gettext("'%(v)s' 不是有效的%(what)s") % {"v": value, "what": what})
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places))
    raw = str(value).strip()
    text = normalise_text(raw).replace("，", ",").replace(" ", "")
    factor = Decimal(1)
    for suffix, in_yuan in _UNITS_IN_YUAN.items():
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            factor = in_yuan / _UNITS_IN_YUAN[unit]
            break
    if _GROUPED_NUMBER.match(text):
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.match(text):
        raise ValueError(gettext("'%(v)s' 不是有效的%(what)s") % {"v": raw, "what": what})
    number = Decimal(text) * factor
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise ValueError(
            gettext("'%(v)s' 的小数位太多（最多%(places)d位）") % {"v": raw, "places": places}
        )
    return number.quantize(Decimal(1).scaleb(-places)) if factor != 1 else number


def parse_integer(value, *, what=None):
    if _no_number(value):
        return None
    what = what or _("整数")
    if isinstance(value, bool):
        raise ValueError(gettext("'%(v)s' 不是有效的%(what)s") % {"v": value, "what": what})
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if value == int(value):
            return int(value)
        raise ValueError(gettext("'%(v)s' 不是整数") % {"v": value})
    raw = str(value).strip()
    text = normalise_text(raw).replace(" ", "")
    text = re.sub(r"(人|个|家|次|名|人次|户)$", "", text)
    if _GROUPED_NUMBER.match(text):
        text = text.replace(",", "")
    if re.fullmatch(r"[+-]?\d+(\.0*)?", text):
        return int(Decimal(text))
    if _PLAIN_NUMBER.match(text):
        raise ValueError(gettext("'%(v)s' 不是整数") % {"v": raw})
    raise ValueError(gettext("'%(v)s' 不是有效的%(what)s") % {"v": raw, "what": what})


def parse_year(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.date):
        return value.year
    raw = str(value).strip()
    text = normalise_text(raw)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    match = re.fullmatch(r"(\d{4})\s*(年|年度)?", text)
    if not match or not 1949 <= int(match.group(1)) <= 2100:
        raise ValueError(gettext("'%(v)s' 不是有效的年份") % {"v": raw})
    return int(match.group(1))


_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(\s+0{1,2}:00(:00)?)?$"
)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(value):
    """'2021-04-05', '2021/4/5', '2021.4.5', '2021年4月5日', '20210405', an Excel date cell,
    or an Excel date serial number (44291) → date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # An Excel serial number that lost its date format (1955–2119).
        if 20000 <= value < 80000 and float(value).is_integer():
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise ValueError(gettext("'%(v)s' 不是有效的日期") % {"v": value})
    raw = str(value).strip()
    text = normalise_text(raw)
    match = _DATE_RE.match(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if match:
        try:
            return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    raise ValueError(
        gettext("'%(v)s' 不是有效的日期（可写作 2021-04-05、2021/4/5 或 2021年4月5日）")
        % {"v": raw}
    )


_TRUE = {"是", "√", "✓", "✔", "y", "yes", "true", "1", "对", "已确认", "确认"}
_FALSE = {"否", "×", "x", "n", "no", "false", "0", "", "不是"}


def parse_bool(value):
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float):
        return bool(value)
    text = normalise_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(gettext("'%(v)s' 应填写“是”或“否”") % {"v": value})


def _key(text):
    """The form in which names and labels are compared: NFKC, no spaces."""
    return re.sub(r"\s+", "", normalise_text(text))


# --------------------------------------------------------------------------------------
# Regions by code or by name
# --------------------------------------------------------------------------------------


class RegionIndex:
    """All regions in memory (a few thousand rows), looked up by code or by name.

    A region is found by its name ("大河镇"), its everyday short name ("小河村" for
    "小河村委会"), or its name preceded by those of its parents ("汉滨区大河镇",
    "大河镇小河村", "江苏省常州市武进区"). Lookups are restricted to a region (the
    partnership's western county, a town) and a level, which settles most ambiguity."""

    def __init__(self):
        from .querysets import short_region_name

        rows = list(Region.objects.order_by().values_list("code", "name", "level", "parent_id"))
        self.memo = {}
        self.by_code = {}
        for code, name, level, parent_id in rows:
            self.by_code[code] = Region(code=code, name=name, level=level, parent_id=parent_id)
        self.by_path = defaultdict(list)
        for region in self.by_code.values():
            names = {region.name, short_region_name(region.name)}
            self.by_path_add(names, region)
            prefix = ""
            node = self.by_code.get(region.parent_id)
            while node is not None:
                prefix = node.name + prefix
                self.by_path_add({prefix + n for n in names}, region)
                node = self.by_code.get(node.parent_id)

    def by_path_add(self, names, region):
        for name in names:
            self.by_path[_key(name)].append(region)

    def get(self, code):
        return self.by_code.get(code)

    @staticmethod
    def normalise_code(text):
        """'610902000000' (12-digit form of a county) → '610902'."""
        if len(text) == 12:
            for length in (2, 4, 6, 9):
                if text[length:] == "0" * (12 - length):
                    return text[:length]
        return text

    def find(self, value, *, level=None, within=None, what):
        """The region a cell names, or ValueError saying why not (in Chinese)."""
        memo_key = (value, level, within, str(what))
        found = self.memo.get(memo_key)
        if found is None:
            try:
                found = self._find(value, level=level, within=within, what=what)
            except ValueError as exc:
                found = exc
            self.memo[memo_key] = found
        if isinstance(found, ValueError):
            raise ValueError(str(found))
        return found

    def _find(self, value, *, level, within, what):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        raw = str(value).strip()
        text = _key(raw)
        within_code = getattr(within, "code", within) or ""
        if text.isdecimal():
            region = self.by_code.get(self.normalise_code(text))
            if region is None:
                raise ValueError(gettext("区划代码 %(v)s 不存在") % {"v": raw})
            candidates = [region]
        else:
            candidates = self.by_path.get(text, [])
            if not candidates:
                raise ValueError(self._not_found(raw, within_code, what))
        if level is not None:
            candidates = [r for r in candidates if r.level == level]
        candidates = [r for r in candidates if r.code.startswith(within_code)]
        unique = {r.code: r for r in candidates}
        if not unique:
            raise ValueError(self._not_found(raw, within_code, what))
        if len(unique) > 1:
            raise ValueError(
                gettext("“%(v)s”有%(n)d处同名（%(codes)s），请写上上级名称或填写区划代码")
                % {"v": raw, "n": len(unique), "codes": "、".join(sorted(unique))}
            )
        return next(iter(unique.values()))

    def _not_found(self, raw, within_code, what):
        within = self.by_code.get(within_code)
        if within is not None:
            return gettext("%(county)s没有名为“%(v)s”的%(what)s") % {
                "county": within.name,
                "v": raw,
                "what": what,
            }
        return gettext("找不到名为“%(v)s”的%(what)s") % {"v": raw, "what": what}


# --------------------------------------------------------------------------------------
# Widgets: a cell ⇄ a value, through the parsers above
# --------------------------------------------------------------------------------------


class BoundWidget(widgets.Widget):
    """A widget that can ask its resource (the import in progress) for shared lookups."""

    resource = None

    def bind(self, resource):
        self.resource = resource


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class PersonNameWidget(TextWidget):
    """A person's name: a Chinese name loses every space inside it (张　三, 张 三 → 张三, as
    ledgers pad two-character names); other names keep single spaces."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if any("\u4e00" <= ch <= "\u9fff" for ch in text):
            return "".join(text.split())
        return " ".join(text.split())


class IdTextWidget(TextWidget):
    """Codes and ID numbers: always text, never a number (Excel would print 6.1E+17)."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float):
            self.stored_as_number(f"{value:.6g}")
        return cell_text(value)

    @staticmethod
    def stored_as_number(shown):
        """Refuse a cell that Excel turned into a number (`shown` as the file has it)."""
        raise ValueError(
            gettext("被 Excel 存成了数字（%(v)s），末几位可能已丢失，请把该列设为文本后重新填写")
            % {"v": shown}
        )


class DecimalWidget(widgets.Widget):
    def __init__(self, unit="万元", places=4, what=None, **kwargs):
        super().__init__(**kwargs)
        self.unit, self.places, self.what = unit, places, what

    def clean(self, value, row=None, **kwargs):
        return parse_decimal(value, unit=self.unit, places=self.places, what=self.what)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        # 1234.5000 → "1234.50": two decimals at least, more only when they carry yuan.
        two = value.quantize(Decimal("0.01"))
        return f"{two:f}" if two == value else f"{value.normalize():f}"


class IntegerWidget(widgets.Widget):
    def __init__(self, what=None, **kwargs):
        super().__init__(**kwargs)
        self.what = what

    def clean(self, value, row=None, **kwargs):
        return parse_integer(value, what=self.what)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


class YearWidget(IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        return parse_year(value)


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_date(value)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else value.isoformat()


class BooleanWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_bool(value)

    def render(self, value, obj=None, **kwargs):
        return gettext("是") if value else gettext("否")


class ChoiceWidget(widgets.Widget):
    """A choice by its Chinese label (as exported) or by its stored value."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)

    def _lookup(self):
        """Label (in every language of the site, the default one first) or stored value →
        stored value. Built once per widget, whatever language the request that first needs
        it speaks: a table built in English refused the Chinese labels of every later file."""
        if getattr(self, "_table", None) is None:
            from django.conf import settings
            from django.utils import translation

            table = {}
            codes = [settings.LANGUAGE_CODE] + [c for c, _n in settings.LANGUAGES]
            for code in dict.fromkeys(codes):
                with translation.override(code):
                    for value, label in self.choices:
                        table.setdefault(_key(label), value)
            for value, _label in self.choices:
                table[_key(value)] = value
            self._table = table
        return self._table

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return ""
        table = self._lookup()
        found = table.get(value) if isinstance(value, str) else None
        if found is None:
            found = table.get(_key(value))
        if found is None:
            labels = "、".join(str(label) for _v, label in self.choices)
            raise ValueError(
                gettext("'%(v)s' 不是可选的值（可选：%(labels)s）") % {"v": value, "labels": labels}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class PartnershipWidget(BoundWidget):
    """ "武进区—汉滨区" (as exported), or the name of either county when that is unambiguous.
    A blank cell means the only partnership when there is just one."""

    def clean(self, value, row=None, **kwargs):
        return self.resource.partnership_of(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class RegionWidget(BoundWidget):
    """A region by official code or by name, within the row's partnership's western county
    (`scope="west"`), within the town given in another column (`town_column`), or anywhere
    (`scope=None`)."""

    def __init__(self, level=None, scope="west", town_column=None, what=None, **kwargs):
        super().__init__(**kwargs)
        self.level, self.scope, self.town_column, self.what = level, scope, town_column, what

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        within = None
        if self.scope == "west":
            partnership = self.resource.row_partnership(row)
            within = partnership.west_region_id if partnership else None
            if self.town_column and row and not _is_blank(row.get(self.town_column)):
                try:
                    town = self.resource.regions.find(
                        row[self.town_column], level=Region.Level.TOWN, within=within, what=""
                    )
                    within = town.code
                except ValueError:
                    pass  # the town column reports its own error
        return self.resource.regions.find(
            value, level=self.level, within=within, what=self.what or _("地区")
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.short_name


class LookupWidget(BoundWidget):
    """A record named in a cell, found in a dict the resource prefetched for the import."""

    def __init__(self, lookup, what, **kwargs):
        super().__init__(**kwargs)
        self.lookup, self.what = lookup, what

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        return getattr(self.resource, self.lookup)(cell_text(value), row)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


def field(attribute, label, widget=None, **kwargs):
    """A resource field whose column is the model field's verbose name (what export writes).

    Spreadsheet columns are always titled in the site's default language (Chinese): the title
    is fixed when the resource class is built, which may happen first inside a request of any
    language, and a file must import in every process the same way."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        column_name = str(label)
    return fields.Field(
        attribute=attribute, column_name=column_name, widget=widget or TextWidget(), **kwargs
    )


def model_field(model, name, widget=None, attribute=None):
    """A resource field for `model.name`, its column titled with the verbose name."""
    f = model._meta.get_field(name)
    if widget is None:
        widget = widget_for(f)
    kwargs = {}
    if f.has_default() and not f.null:
        kwargs["default"] = f.default  # a blank cell means the field's default (0 for amounts)
    elif f.blank and not f.null and f.get_internal_type() in ("CharField", "TextField"):
        kwargs["default"] = ""
    return field(attribute or name, f.verbose_name, widget, **kwargs)


def widget_for(f):
    from django.db import models

    if f.choices:
        return ChoiceWidget(f.choices)
    if isinstance(f, models.DecimalField):
        from django.conf import settings
        from django.utils import translation

        with translation.override(settings.LANGUAGE_CODE):  # the unit is in the Chinese title
            title = str(f.verbose_name)
        unit = "元" if "元" in title and "万元" not in title else "万元"
        return DecimalWidget(unit=unit, places=f.decimal_places)
    if isinstance(f, models.BooleanField):
        return BooleanWidget()
    if isinstance(f, models.IntegerField):
        return YearWidget() if f.name.endswith("year") else IntegerWidget()
    if isinstance(f, models.DateField):
        return DateWidget()
    return TextWidget()


# --------------------------------------------------------------------------------------
# 3. Resources
# --------------------------------------------------------------------------------------


class ImportResult(Result):
    """An import's result, with its errors as sentences a clerk understands:
    第5行“资金年度”：'二〇二一' 不是有效的年份"""

    header_line = 1
    line_numbers = None  # the file line of each row, when reading left lines out
    skipped = (0, [])
    ignored_columns = ()

    def line_of(self, number):
        return line_in_file(self, number)

    @property
    def skipped_note(self):
        return skipped_note(self)

    @property
    def messages(self):
        out = []
        for error in self.base_errors:
            out.extend(_error_texts(error.error))
        for number, errors in self.row_errors():
            for error in errors:
                out.append(
                    gettext("第%(line)d行：%(message)s")
                    % {
                        "line": self.line_of(number),
                        "message": "；".join(_error_texts(error.error)),
                    }
                )
        for row in self.invalid_rows:
            for column, texts in row.error_dict.items():
                for text in texts:
                    if column == NON_FIELD_ERRORS:
                        out.append(
                            gettext("第%(line)d行：%(message)s")
                            % {"line": self.line_of(row.number), "message": text}
                        )
                    else:
                        out.append(
                            gettext("第%(line)d行“%(column)s”：%(message)s")
                            % {"line": self.line_of(row.number), "column": column, "message": text}
                        )
        return out

    def append_invalid_row(self, number, row, validation_error):
        values = tuple(row.get(col, "") for col in self.diff_headers)
        invalid = InvalidRow(number=number, validation_error=validation_error, values=values)
        self.invalid_rows.append(invalid)

    def lines(self):
        """(line, row_result) of every row, for the preview."""
        return [(self.line_of(i), r) for i, r in enumerate(self.rows, 1)]

    @property
    def ok(self):
        return not self.has_errors() and not self.has_validation_errors()


def line_in_file(holder, number):
    """The file line of a dataset row (`number` from 1): after the header line, less any
    blank or 合计 line that reading left out (`holder.line_numbers`)."""
    lines = holder.line_numbers
    if lines and 1 <= number <= len(lines):
        return lines[number - 1]
    return number + holder.header_line


def _error_texts(error):
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


# Set by the importer, never read from the file: not worth validating per row.
AUDIT_FIELDS = ("id", "created_at", "updated_at", "version")


def _partnerships_named(partnerships, text):
    """The partnerships a cell names (normalised `text`): by both counties, one county, or
    both codes."""
    return [
        p
        for p in partnerships
        if text
        in {
            p.east_region.name + p.west_region.name,
            p.west_region.name,
            p.east_region.name,
            p.east_region_id + p.west_region_id,
        }
    ]


class NaturalKeyLoader(BaseInstanceLoader):
    """Finds a row's existing record in the dict the resource prefetched (no query per row).
    A key that does not parse means "new": the cell's own error is reported by its field."""

    def get_instance(self, row):
        try:
            key = self.resource.row_key(row)
        except (ValueError, ValidationError, KeyError):
            return None
        return self.resource.existing.get(key)


class StyleFreeDiff(resources.Diff):
    """The import preview's diff of each row with classes instead of the inline styles of
    diff-match-patch (`<ins style="background:…">`), which the Content-Security-Policy
    refuses; static/css/admin.css colours them. The cell text is escaped by diff-match-patch,
    so a cell cannot forge the tags replaced here."""

    TAGS = {
        '<ins style="background:#e6ffe6;">': '<ins class="diff-ins">',
        '<del style="background:#ffe6e6;">': '<del class="diff-del">',
    }

    def as_html(self):
        cells = []
        for html in super().as_html():
            for styled, plain in self.TAGS.items():
                html = html.replace(styled, plain)
            cells.append(mark_safe(html))
        return cells


class TrackedResource(resources.ModelResource):
    """Base of every import/export resource of the project; see the module docstring.

    Subclasses declare their fields with `model_field(...)`, `natural_key` (resource field
    names identifying a record, e.g. ("partnership", "fund_year", "name")) and may override
    `prepare(instance)` to set what `save()` would derive (bulk writes bypass `save()`)."""

    natural_key = ()
    #: {field name: other everyday names of its column}, e.g. {"phone": ("联系电话",)}
    column_synonyms = {}

    def get_diff_class(self):
        return StyleFreeDiff

    #: fields that need a value in every row: their column must be in the file
    required_columns = ()
    #: a resource whose rows show personal data needs labor.view_personal_data
    personal_data = False
    #: resource field names left out of exports for users without that permission
    personal_fields = ()

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        use_bulk = True
        batch_size = 2000
        clean_model_instances = True
        instance_loader_class = NaturalKeyLoader
        import_id_fields = ()

    def __init__(self, user=None, fast=False, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        if fast:
            # The command: no per-row deepcopy and HTML diff (changes are found on snapshots).
            meta = type(self._meta).__new__(type(self._meta))
            meta.__dict__.update(self._meta.__dict__)
            meta.skip_diff = True
            self._meta = meta
        for f in self.fields.values():
            if isinstance(f.widget, BoundWidget):
                f.widget.bind(self)
        self._regions = None
        self._partnerships = None
        self._partnership_cache = {}
        self.existing = {}
        self.snapshots = {}
        self.seen_keys = {}
        self.header_line = 1
        self.line_numbers = None
        self.pending = set()
        self.created, self.updated = [], []

    # -- metadata ------------------------------------------------------------------------

    @classmethod
    def get_display_name(cls):
        return str(cls._meta.model._meta.verbose_name)

    def get_import_id_fields(self):
        return list(self.natural_key)

    def get_result_class(self):
        return ImportResult

    def get_import_fields(self):
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def column_of(self, name):
        """The column title of a model field or resource field name."""
        for key, f in self.fields.items():
            attr = (f.attribute or "").split("__")[-1]
            if name in (key, f.attribute, attr, attr.removesuffix("_id")):
                return f.column_name
        model_field_ = {f.name: f for f in self._meta.model._meta.fields}.get(name)
        return str(model_field_.verbose_name) if model_field_ else name

    # -- shared lookups ------------------------------------------------------------------

    @property
    def regions(self):
        if self._regions is None:
            self._regions = RegionIndex()
        return self._regions

    @property
    def partnerships(self):
        """The partnerships rows may name: those of the importing user's areas (every one
        for the command, which runs without a user)."""
        if self._partnerships is None:
            self._partnerships = list(self.in_area(Partnership.objects.with_regions()))
        return self._partnerships

    def in_area(self, queryset):
        return queryset if self.user is None else areas.scope(queryset, self.user)

    def get_queryset(self):
        """The records a row may find and change: those of the importing user's areas."""
        return self.in_area(super().get_queryset())

    def partnership_of(self, value):
        raw = "" if value is None else str(value).strip()
        if raw in self._partnership_cache:
            return self._partnership_cache[raw]
        if not raw:
            if len(self.partnerships) == 1:
                found = self.partnerships[0]
            else:
                raise ValueError(gettext("请填写协作关系（如“武进区—汉滨区”）"))
        else:
            text = re.sub(r"[-—–－~～/／、,，\s]+", "", normalise_text(raw))
            matches = _partnerships_named(self.partnerships, text)
            if not matches and self.user is not None:
                elsewhere = _partnerships_named(Partnership.objects.with_regions(), text)
                if elsewhere:
                    raise ValueError(
                        gettext("协作关系“%(v)s”不在您的工作地区（%(areas)s）内，不能导入它的记录")
                        % {"v": raw, "areas": areas.names(self.user) or gettext("无")}
                    )
            if len(matches) != 1:
                raise ValueError(
                    gettext("找不到协作关系“%(v)s”（应写作“东部区县—西部区县”，如“%(example)s”）")
                    % {
                        "v": raw,
                        "example": str(self.partnerships[0])
                        if self.partnerships
                        else "武进区—汉滨区",
                    }
                )
            found = matches[0]
        self._partnership_cache[raw] = found
        return found

    def row_partnership(self, row):
        """The partnership of a row, or None when its cell is bad (reported by its field)."""
        column = self.column_of("partnership")
        try:
            return self.partnership_of(row.get(column) if row else None)
        except ValueError:
            return None

    def column_values(self, dataset, *field_names):
        """The distinct non-blank texts of these fields' columns in the file."""
        values = set()
        for name in field_names:
            column = self.fields[name].column_name
            if dataset.headers and column in dataset.headers:
                values.update(cell_text(v) for v in dataset[column] if not _is_blank(v))
        return values

    def load_organisations(self, names):
        from .models import Organisation

        self.orgs_by_name = defaultdict(list)
        for org in Organisation.objects.filter(name__in=names).order_by("region_id", "id"):
            org.region = self.regions.get(org.region_id) or org.region
            self.orgs_by_name[org.name].append(org)

    def organisation_named(self, text, row, side=None):
        """An organisation already registered (admin → 单位), by name, in the row's
        partnership's eastern or western county (or either)."""
        partnership = self.row_partnership(row)
        candidates = getattr(self, "orgs_by_name", {}).get(text, [])
        if partnership is not None:
            counties = {
                "east": [partnership.east_region_id],
                "west": [partnership.west_region_id],
                None: [partnership.east_region_id, partnership.west_region_id],
            }[side]
            inside = [o for o in candidates if o.region_id.startswith(tuple(counties))]
            candidates = inside or candidates
        if not candidates:
            raise ValueError(
                gettext("单位“%(v)s”尚未登记，请先在“单位”中添加（或核对名称）") % {"v": text}
            )
        if len(candidates) > 1:
            raise ValueError(
                gettext("有%(n)d个名为“%(v)s”的单位（%(places)s），无法确定是哪一个")
                % {
                    "n": len(candidates),
                    "v": text,
                    "places": "、".join(o.region.name for o in candidates),
                }
            )
        return candidates[0]

    # -- natural keys ----------------------------------------------------------------------

    def key_value(self, value):
        return value.pk if isinstance(value, Model) else value

    def row_key(self, row):
        return tuple(self.key_value(self.fields[name].clean(row)) for name in self.natural_key)

    def instance_key(self, instance):
        return tuple(
            self.key_value(self.fields[name].get_value(instance)) for name in self.natural_key
        )

    def prefetch_queryset(self, dataset):
        """Existing records that rows of the dataset may name (a superset is fine)."""
        lookup_name = next(n for n in self.natural_key if n != "partnership")
        f = self.fields[lookup_name]
        values = set()
        for row in dataset.dict:
            try:
                values.add(self.key_value(f.clean(row)))
            except (ValueError, KeyError):
                continue
        values.discard(None)
        attribute = f.attribute
        return [
            self.get_queryset().filter(**{f"{attribute}__in": chunk})
            for chunk in _chunked(sorted(values, key=str), 2000)
        ]

    def snapshot(self, instance):
        return tuple(f.get_value(instance) for f in self.get_import_fields() if f.attribute)

    def load_existing(self, dataset):
        for queryset in self.prefetch_queryset(dataset):
            for instance in queryset:
                key = self.instance_key(instance)
                self.existing[key] = instance
                self.snapshots[id(instance)] = self.snapshot(instance)

    # -- the file's shape --------------------------------------------------------------------

    def expected_columns(self):
        return [f.column_name for f in self.get_import_fields()]

    def normalise_headers(self, dataset):
        """Find the header line (a title line may come first), match headers written with
        half-width brackets or spaces, and fill a missing partnership column when there is
        only one partnership."""
        expected = {_key(c): c for c in self.expected_columns()}

        headers = list(dataset.headers or [])
        self.header_line = getattr(dataset, "header_line", 1)
        self.line_numbers = getattr(dataset, "line_numbers", None)
        headers = [expected.get(_key(h), h) if not _is_blank(h) else h for h in headers]
        # A column under another everyday name (联系电话 for 手机号码) is that column, unless
        # the file also has the column itself.
        synonyms = {
            _key(word): self.fields[name].column_name
            for name, words in self.column_synonyms.items()
            for word in words
        }
        for i, h in enumerate(headers):
            column = synonyms.get(_key(h)) if not _is_blank(h) else None
            if column is not None and column not in headers:
                headers[i] = column
        # Any other column is not imported: said in the preview and the summary.
        dataset.ignored_columns = self.ignored_columns = [
            h for h in headers if not _is_blank(h) and h not in expected.values()
        ]
        seen = set()
        for h in headers:
            if h and h in seen:
                raise ValidationError(gettext("表头“%(h)s”出现了两次") % {"h": h})
            seen.add(h)
        dataset.headers = headers
        partnership_column = self.column_of("partnership")
        if partnership_column in expected.values() and partnership_column not in headers:
            if len(self.partnerships) == 1:
                dataset.append_col(
                    [str(self.partnerships[0])] * len(dataset), header=partnership_column
                )
            else:
                raise ValidationError(
                    gettext("文件缺少“%(c)s”列（系统中有多个协作关系，须写明每行属于哪一个）")
                    % {"c": partnership_column}
                )
        for name in self.natural_key:
            # An optional text column of the key (e.g. 销售主体) may be left out: it is blank.
            f = self.fields[name]
            if f.column_name not in dataset.headers and f.default == "":
                dataset.append_col([""] * len(dataset), header=f.column_name)
        required = [self.fields[n].column_name for n in (*self.natural_key, *self.required_columns)]
        missing = [c for c in dict.fromkeys(required) if c not in dataset.headers]
        if missing:
            raise ValidationError(
                gettext("文件缺少这些列：%(cols)s。表头应与导出的文件一致。")
                % {"cols": "、".join(missing)}
            )

    # -- import hooks ----------------------------------------------------------------------

    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
    ):
        self.dry_run = dry_run
        result = super().import_data_inner(
            dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
        )
        result.header_line = self.header_line
        result.line_numbers = self.line_numbers
        result.skipped = getattr(dataset, "skipped", (0, []))
        result.ignored_columns = getattr(self, "ignored_columns", [])
        return result

    def line(self, number):
        return line_in_file(self, number)

    def before_import(self, dataset, **kwargs):
        if kwargs.get("user") is not None and self.user is None:
            self.user = kwargs["user"]
        try:
            self.normalise_headers(dataset)
        except ValidationError:
            del dataset[0 : len(dataset)]  # a file of the wrong shape: no row is read at all
            raise
        self.load_existing(dataset)

    def _check_import_id_fields(self, headers):
        """Done by normalise_headers, with a message in Chinese."""

    def before_import_row(self, row, **kwargs):
        self.row_number = kwargs.get("row_number")

    def import_instance(self, instance, row, **kwargs):
        """Each cell through its widget onto the record (django-import-export's loop, less its
        per-cell overhead). A column that is not in the file leaves the value alone."""
        if getattr(self, "_plan", None) is None:
            self._plan = [
                (f.attribute, f.attribute.split("__"), f.column_name, f.widget, f.default)
                for f in self.get_import_fields()
                if f.attribute and not f.readonly
            ]
        errors = {}
        for attribute, path, column, widget, default in self._plan:
            if column not in row:
                continue
            if isinstance(row[column], str) and "\x00" in row[column]:
                # PostgreSQL refuses NUL in any text, SQLite would store it: refused here,
                # on both, naming the line and the column.
                errors[attribute] = ValidationError(
                    gettext("含有空字符（NUL，\\x00），请删除后再导入"), code="nul"
                )
                continue
            try:
                value = widget.clean(row[column], row=row)
                if value in (None, "") and default is not NOT_PROVIDED:
                    value = default() if callable(default) else default
            except ValueError as exc:
                errors[attribute] = ValidationError(str(exc), code="invalid")
                continue
            target = instance
            for name in path[:-1]:
                target = getattr(target, name)
            setattr(target, path[-1], value)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None or id(instance) in self.pending:
            return False
        return self.snapshots.get(id(instance)) == self.snapshot(instance)

    def full_clean_errors(self, instance, exclude):
        """The model's own validation, less the checks that query per row: uniqueness is
        checked on the natural key against the prefetched dict, and the database enforces
        the constraints again on write."""
        # Foreign keys were resolved by the widgets against prefetched rows (with their level
        # checked), so Django's per-row EXISTS query for each of them is skipped; only
        # "required" is checked here.
        errors = {}
        relations = [f for f in instance._meta.concrete_fields if f.is_relation]
        for f in relations:
            if f.name not in exclude and not f.blank and getattr(instance, f.attname) is None:
                errors[f.name] = [f.error_messages["blank"]]
        exclude = [*exclude, *(f.name for f in relations), *AUDIT_FIELDS]
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            # A blank cell of a required number or date is None: Django's "这个值不能为 null。"
            # says nothing to a clerk; it is the same "此字段不能为空。" as for text.
            for name, found in exc.error_dict.items():
                if name != NON_FIELD_ERRORS:
                    blank = instance._meta.get_field(name).error_messages["blank"]
                    found[:] = [
                        ValidationError(blank, code="blank") if e.code == "null" else e
                        for e in found
                    ]
            errors = exc.update_error_dict(errors)
        return errors

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        errors.update(
            {
                k: v
                for k, v in self.full_clean_errors(
                    instance, exclude=self.clean_exclude(errors)
                ).items()
                if k not in errors
            }
        )
        if not errors:
            errors.update(self.duplicate_errors(instance))
        if errors:
            raise ValidationError(self.errors_by_column(errors))

    def clean_exclude(self, errors):
        return [k.removesuffix("_id") for k in errors]

    def duplicate_errors(self, instance):
        """A second row with the same natural key as an earlier row of the file."""
        key = self.instance_key(instance)
        first = self.seen_keys.setdefault(key, self.row_number)
        if first != self.row_number:
            return {
                NON_FIELD_ERRORS: [
                    gettext("与第%(line)d行是同一条记录（%(cols)s相同），请删除重复行")
                    % {
                        "line": self.line(first),
                        "cols": "、".join(
                            f"“{self.fields[n].column_name}”" for n in self.natural_key
                        ),
                    }
                ]
            }
        return {}

    def errors_by_column(self, errors):
        out = {}
        for name, texts in errors.items():
            column = name if name == NON_FIELD_ERRORS else self.column_of(name)
            if isinstance(texts, ValidationError):
                texts = texts.messages
            out.setdefault(column, []).extend(
                m
                for msg in texts
                for m in (msg.messages if isinstance(msg, ValidationError) else [msg])
            )
        return out

    # -- writing -------------------------------------------------------------------------------

    def prepare(self, instance):
        """Set what the model's save() would derive; bulk writes bypass save()."""

    def save_instance(self, instance, is_create, row, **kwargs):
        now = timezone.now()
        if isinstance(instance, Tracked):
            user = self.user if getattr(self.user, "is_authenticated", False) else None
            if is_create:
                instance.created_by = instance.created_by or user
                instance.created_at = instance.created_at or now
            elif instance.pk is not None and id(instance) not in self.pending:
                # One more version per import, not per line: a record on several lines (a
                # worker with several spells) is one change, and a new one stays at 0.
                instance.version = (instance.version or 0) + 1
            instance.updated_by = user or instance.updated_by
            instance.updated_at = now
        self.prepare(instance)
        if id(instance) in self.pending:
            return
        self.pending.add(id(instance))
        super().save_instance(instance, is_create, row, **kwargs)

    def history_user(self):
        return self.user if getattr(self.user, "is_authenticated", False) else None

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.create_instances:
            return
        model = self._meta.model
        try:
            fast_create(model, self.create_instances)
            fast_history(
                model, self.create_instances, user=self.history_user(), reason=gettext("导入")
            )
            self.created.extend(self.create_instances)
            self.after_bulk_write(self.create_instances, created=True)
            # Bulk writes send no signals: cached figures of these partnerships must not stay.
            bump_data_version(partnerships=partnerships_of(self.create_instances))
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            for instance in self.create_instances:
                self.pending.discard(id(instance))
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.update_instances:
            return
        model = self._meta.model
        names = [
            f.name
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in ("created_at", "created_by")
        ]
        try:
            # The partnerships the records leave and those they join (read before the update).
            touched = partnerships_of(self.update_instances, stored=True)
            model.objects.bulk_update(
                self.update_instances, names, batch_size=self._meta.batch_size
            )
            fast_history(
                model,
                self.update_instances,
                update=True,
                user=self.history_user(),
                reason=gettext("导入"),
            )
            self.updated.extend(self.update_instances)
            self.after_bulk_write(self.update_instances, created=False)
            bump_data_version(partnerships=touched)
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            for instance in self.update_instances:
                self.pending.discard(id(instance))
                self.snapshots[id(instance)] = self.snapshot(instance)
            self.update_instances.clear()

    def after_bulk_write(self, instances, created):
        """Hook: write dependent rows once a batch has its primary keys."""

    def after_import(self, dataset, result, **kwargs):
        """(ModelResource resets sequences here: bulk_create lets the database number rows,
        so there is nothing to reset.)"""

    # -- export ----------------------------------------------------------------------------------

    def get_user_visible_fields(self):
        visible = super().get_user_visible_fields()
        if self.personal_fields and not self.may_see_personal_data():
            hidden = {self.fields[n].column_name for n in self.personal_fields}
            visible = [f for f in visible if f.column_name not in hidden]
        return visible

    def get_export_fields(self, selected_fields=None):
        export_fields = super().get_export_fields(selected_fields)
        if self.personal_fields and not self.may_see_personal_data():
            hidden = {self.fields[n].column_name for n in self.personal_fields}
            export_fields = [f for f in export_fields if f.column_name not in hidden]
        return export_fields

    def may_see_personal_data(self):
        from labor.privacy import can_view_personal_data

        return self.user is not None and can_view_personal_data(self.user)


def reserve_ids(model, count, connection):
    """`count` fresh primary keys for `model`, taken before inserting with them.

    PostgreSQL: from the table's sequence (safe beside other writers). SQLite: above the
    highest id ever used; SQLite has one writer at a time, and a clash would only make the
    import fail as a whole."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) FROM {connection.ops.quote_name(table)}"
        )
        top = cursor.fetchone()[0]
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            top = max(top, row[0] if row else 0)
        return list(range(top + 1, top + 1 + count))


# Values of these field types go to the database as they are (no adaptation needed).
_PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _preparer(field, connection):
    """A function turning a field's Python value into its database value (identity for
    plain types: Django's get_db_prep_save is costly at a million values)."""
    internal = field.get_internal_type()
    if internal in _PLAIN_TYPES and not (
        internal == "ForeignKey" and field.target_field.get_internal_type() not in _PLAIN_TYPES
    ):
        return lambda value: value
    prep = field.get_db_prep_save
    known = {}  # the same dates, times and amounts recur on many rows: adapt each once

    def prepared(value):
        try:
            return known[value]
        except KeyError:
            known[value] = result = prep(value, connection)
            return result

    return prepared


def insert_rows(model, columns, rows, connection):
    """INSERT many rows (tuples of database values) in few statements."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(cursor.cursor, sql + "%s", rows, page_size=2000)
        else:
            cursor.executemany(sql + f"({', '.join(['%s'] * len(columns))})", rows)


def fast_create(model, objs, *, using=None):
    """Like `bulk_create`, without the per-value SQL compilation that makes Django's
    version slow on large files: ids are reserved first, values prepared once per field,
    and rows sent with executemany (SQLite) or multi-row VALUES (PostgreSQL). Callers set
    every field (no `pre_save`: created/updated times are set by the importer)."""
    from django.db import connections, router

    if not objs:
        return objs
    connection = connections[using or router.db_for_write(model)]
    for obj, pk in zip(objs, reserve_ids(model, len(objs), connection), strict=True):
        obj.pk = pk
    fields = model._meta.concrete_fields
    preps = [(f.attname, _preparer(f, connection)) for f in fields]
    rows = [tuple(prep(getattr(obj, attname)) for attname, prep in preps) for obj in objs]
    insert_rows(model, [f.column for f in fields], rows, connection)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def fast_history(model, objs, *, update=False, user=None, reason="", using=None):
    """The simple_history rows of `objs` ("+" created, "~" changed), written like fast_create."""
    from django.conf import settings
    from django.db import connections, router

    if (
        not objs
        or not hasattr(model, "history")
        or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    ):
        return
    history = model.history.model
    connection = connections[using or router.db_for_write(history)]
    tracked = {f.attname for f in history.tracked_fields}
    now = timezone.now()
    fixed = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": "~" if update else "+",
        "history_user_id": getattr(user, "pk", None),
    }
    columns, sources = [], []
    for f in history._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(f.column)
        if f.attname in tracked:
            sources.append((f.attname, None, _preparer(f, connection)))
        else:
            value = fixed[f.attname] if f.attname in fixed else f.get_default()
            sources.append((None, f.get_db_prep_save(value, connection), None))
    rows = [
        tuple(
            prep(getattr(obj, attname)) if attname else constant
            for attname, constant, prep in sources
        )
        for obj in objs
    ]
    insert_rows(history, columns, rows, connection)


def _chunked(values, size):
    for i in range(0, len(values), size):
        yield values[i : i + size]


# --------------------------------------------------------------------------------------
# Running an import outside the admin (the command, tests)
# --------------------------------------------------------------------------------------


def run_import(resource, dataset, *, dry_run=False, progress=None):
    """Import a dataset all-or-nothing; returns the ImportResult (rolled back if not ok).

    `progress(n)` is called as rows are processed (the command's progress bar)."""
    if progress is not None:
        original = resource.before_import_row

        def before_import_row(row, **kwargs):
            original(row, **kwargs)
            progress(1)

        resource.before_import_row = before_import_row
    return resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        collect_failed_rows=False,
    )


def row_counts(result):
    """{'new': n, 'update': n, 'skip': n, 'invalid': n, 'error': n}."""
    totals = OrderedDict(result.totals)
    return {k: totals.get(k, 0) for k in ("new", "update", "skip", "invalid", "error")}


IMPORT_TYPE_LABELS = {
    RowResult.IMPORT_TYPE_NEW: _("新增"),
    RowResult.IMPORT_TYPE_UPDATE: _("修改"),
    RowResult.IMPORT_TYPE_SKIP: _("无变化"),
    RowResult.IMPORT_TYPE_INVALID: _("有错误"),
    RowResult.IMPORT_TYPE_ERROR: _("有错误"),
}


# --------------------------------------------------------------------------------------
# The admin: import with preview, export with the same columns
# --------------------------------------------------------------------------------------


def extension_of(upload):
    """The kind of an uploaded file the admin imports, "csv" or "xlsx" (None for neither):
    `file_kind` of its first bytes and its name."""
    upload.seek(0)
    head = upload.read(len(ZIP_SIGNATURE))
    upload.seek(0)
    kind = file_kind(head, upload.name)
    return kind if kind in ("csv", "xlsx") else None


class SpreadsheetImportForm(ImportForm):
    """The admin's import form with no format to choose: CSV or XLSX is told from the file
    (extension_of). A format still posted (by a script, or a page loaded before) is used."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.fields["format"].required = False
        self.fields["format"].widget = forms.HiddenInput()

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("import_file")
        if upload is None or cleaned_data.get("format"):
            return cleaned_data
        kind = extension_of(upload)
        found = [str(i) for i, f in enumerate(self.formats) if f().get_extension() == kind]
        if not found:
            self.add_error(
                "import_file",
                ValidationError(
                    _(
                        "无法判断“%(name)s”是 CSV 还是 XLSX 文件。请上传 .csv 或 .xlsx 文件"
                        "（旧版 .xls 请先在 Excel 中另存为 .xlsx）。"
                    ),
                    code="unknown_format",
                    params={"name": upload.name},
                ),
            )
        else:
            cleaned_data["format"] = found[0]
        return cleaned_data


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import (CSV/XLSX, preview, all-or-nothing) and export for an admin class:
    `class ProjectAdmin(SpreadsheetAdminMixin, TrackedAdmin): resource_classes = [...]`."""

    formats = FORMATS
    import_form_class = SpreadsheetImportForm
    import_template_name = "admin/import_export/import.html"
    # Large exports are limited like the lists' (cooperation/export_limit.py).
    export_action = method_decorator(limit_exports)(ImportExportMixin.export_action)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_import_data_kwargs(self, **kwargs):
        kwargs.pop("form", None)
        kwargs.pop("request", None)
        # A row that fails on confirmation (data changed since the preview) undoes them all.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_import(self, request, **kwargs):
        """The confirmation. Its temporary file is removed once imported, so confirming the
        same preview again (a double click, the back button) finds none: say so."""
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            messages.warning(
                request,
                gettext(
                    "这次导入已确认过（或预览已过期），没有再次写入。请在列表中核对；"
                    "如需导入，请重新上传文件。"
                ),
            )
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            )

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):  # its text says what is wrong, in words of ours
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def has_import_permission(self, request):
        if not super().has_import_permission(request):
            return False
        if any(getattr(r, "personal_data", False) for r in self.get_resource_classes(request)):
            from labor.privacy import can_view_personal_data

            return can_view_personal_data(request.user)
        return True

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(
            request,
            queryset,
            force_native_type=getattr(file_format, "native_types", False),
            **kwargs,
        )
        self.audit_export(request, file_format, len(data))
        return file_format.export_data(data)

    def audit_export(self, request, file_format, rows):
        """Every admin export leaves an ExportAudit entry (who, when, which filter — the
        changelist's query string —, how many rows, whether personal data was in it), as
        the lists' exports do."""
        from labor.privacy import can_view_personal_data

        from .models import ExportAudit

        personal = any(
            getattr(r, "personal_data", False) for r in self.get_resource_classes(request)
        )
        if request.user.is_authenticated:  # the admin has no anonymous visitors; be sure
            ExportAudit.objects.create(
                user=request.user,
                username=request.user.get_username(),
                list_name=f"admin:{self.model._meta.label_lower}",
                query_string=request.META.get("QUERY_STRING", ""),
                format=file_format.get_extension()[:4],
                rows=rows,
                personal_data=personal and can_view_personal_data(request.user),
            )

    def process_result(self, result, request):
        if not result.ok:
            # Nothing was written (the transaction was rolled back): say so and show why.
            context = self.admin_site.each_context(request)
            context.update(
                {
                    "title": _("导入"),
                    "opts": self.model._meta,
                    "result": result,
                    "form": self.create_import_form(request),
                    "import_error_display": self.import_error_display,
                    "fields_list": [],
                    "refused": True,
                }
            )
            request.current_app = self.admin_site.name
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        counts = row_counts(result)
        messages.success(
            request,
            gettext("导入完成：新增 %(new)d 行，修改 %(update)d 行，无变化 %(skip)d 行。") % counts
            + skipped_note(result),
        )


def spreadsheet(resource_path):
    """The import/export mixin for one resource, named by its dotted path so that admin
    modules need not import resources: `class ProjectAdmin(spreadsheet("projects.resources.
    ProjectResource"), PlacedAdmin)`."""
    from django.utils.module_loading import import_string

    class Mixin(SpreadsheetAdminMixin):
        def get_resource_classes(self, request):
            return [import_string(resource_path)]

    Mixin.__name__ = f"Spreadsheet[{resource_path.rsplit('.', 1)[-1]}]"
    return Mixin
