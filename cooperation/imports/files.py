"""Files → rows: CSV in any encoding staff use, XLSX, and the import/export formats."""

import codecs
import csv
import datetime
import io
import re
import zipfile
from itertools import chain, islice

import openpyxl
import tablib
from charset_normalizer import from_bytes
from django.utils.translation import gettext
from import_export.formats import base_formats
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import column_index_from_string, get_column_letter

from cooperation.lists.exports import FORMULA_STARTS, neutralise


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
    best = from_bytes(data).best()
    if best is None:
        raise ImportFileError(
            gettext("无法识别文件的字符编码。请在 Excel 中另存为“CSV UTF-8”或 XLSX 后再导入。")
        )
    return str(best)


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


_FIGURE = re.compile(r"^[\s+\-.,:/年月日()（）%％\d万亿元]*$")  # numbers, amounts, dates


def _header_cells(row):
    """How many filled cells a line has if it can be a header (every filled cell is a name:
    text that is not a number, amount or date), else 0."""
    filled = [v for v in row if not is_blank(v)]
    if not all(isinstance(v, str) and not _FIGURE.match(v) for v in filled):
        return 0
    return len(filled)


def header_index(rows):
    """Which of the first ten lines is the header: the first with the most filled cells among
    those that can be one. A title line above it ("2021年协作资金项目台账", even with a date or
    a unit beside it), or the upper line of a two-row header (its group names span several
    columns, so it has fewer filled cells), is left out."""
    counts = [_header_cells(r) for r in rows[:HEADER_SEARCH_LINES]]
    return counts.index(max(counts)) if max(counts, default=0) else 0


HEADER_SEARCH_LINES = 10


def _fill_merged(rows, merged, below):
    """Give every cell of a merged range the value of its top-left cell (a person's name
    merged over his two job lines), for the ranges below line `below` (0-based) only."""
    for top, left, bottom, right in merged:
        if top <= below or top >= len(rows):
            continue
        value = rows[top][left] if left < len(rows[top]) else None
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= right:
                row.extend([None] * (right + 1 - len(row)))
            for c in range(left, right + 1):
                if is_blank(row[c]):
                    row[c] = value


def _width(headers):
    """How many columns the header names: up to its last filled cell."""
    width = len(headers)
    while width and is_blank(headers[width - 1]):
        width -= 1
    return width


class Table:
    """What reading a file found: its header, and its records read as they are needed, so
    that a file of any size is held once (as its text) and never as a list of rows.

    The header is found among the first ten lines (see `header_index`). Below it, blank
    lines and 合计 lines are not records: they are left out and counted (`skipped`, known
    once every row has been read); each kept row remembers its line in the file, which
    every message names. `dataset()` is every record at once, `datasets(n)` n at a time."""

    def __init__(self, rows, size_hint=None):
        rows = iter(rows)
        head = [r if r.__class__ is list else list(r) for r in islice(rows, HEADER_SEARCH_LINES)]
        if all(is_blank(v) for r in head for v in r):
            # Past ten blank lines the file may still hold something: it is read (and
            # refused for its header) rather than called empty.
            first = next((r for r in rows if any(not is_blank(v) for v in r)), None)
            if first is None:
                raise ImportFileError(gettext("文件是空的：没有表头，也没有数据行。"))
            head.append(list(first))
        start = header_index(head)
        self.header_line = start + 1
        header = head[start]
        self.width = _width(header)
        self.headers = [("" if h is None else str(h).strip()) for h in header[: self.width]]
        # About how many records: the lines below the header (blank and 合计 lines too).
        self.size_hint = max((size_hint or 0) - self.header_line, 0)
        self.blank, self.totals = 0, []
        self._rows = enumerate(chain(head[start + 1 :], rows), start + 2)

    @property
    def skipped(self):
        return (self.blank, self.totals)

    def records(self):
        """(line, row) of every record, each row as wide as the header."""
        width, pending_blank = self.width, 0
        for line, row in self._rows:
            if all(is_blank(v) for v in row):
                pending_blank += 1  # a blank line is counted once a record follows it
                continue
            if len(row) > width and any(not is_blank(v) for v in row[width:]):
                # Values beyond the header would be lost (or shift columns): refuse the file.
                raise ImportFileError(
                    gettext("第%(line)d行的列数多于表头（表头共%(n)d列），请检查是否有多余的逗号。")
                    % {"line": line, "n": width}
                )
            if _is_total_row(row):
                self.totals.append(line)
                continue
            self.blank += pending_blank
            pending_blank = 0
            row = list(row[:width])
            if len(row) < width:
                row.extend([None] * (width - len(row)))
            yield line, row

    def datasets(self, size):
        """The records as Datasets of `size` rows (the last one shorter)."""
        records = self.records()
        while batch := list(islice(records, size)):
            yield self._dataset(batch)

    def dataset(self):
        """Every record as one Dataset, with what reading left out (`skipped`)."""
        dataset = self._dataset(list(self.records()))
        dataset.skipped = self.skipped
        return dataset

    def _dataset(self, batch):
        dataset = tablib.Dataset(*(row for _line, row in batch), headers=self.headers)
        dataset.header_line = self.header_line
        dataset.line_numbers = [line for line, _row in batch]
        return dataset


_TOTAL_WORDS = ("合计", "总计", "小计")


def _is_total_row(row):
    """A 合计 (total) line: its first filled cell says 合计, 总计 or 小计."""
    first = next((v for v in row if not is_blank(v)), None)
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


DELIMITERS = (",", "\t", ";", "；")


def delimiter_of(text):
    """The separator of a CSV text: of comma, tab and semicolon (Excel's CSV in some
    locales), the one found most often on the busiest of the first ten lines."""
    lines = text[: 1 << 16].splitlines()[:HEADER_SEARCH_LINES]
    return max(DELIMITERS, key=lambda d: max((line.count(d) for line in lines), default=0))


def open_csv(data):
    """A CSV file's Table, its rows read from the decoded text as they are needed."""
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    lines = text.count("\n") + (not text.endswith("\n"))
    return Table(([cell.strip() for cell in row] for row in reader), lines)


def read_csv(data):
    return open_csv(data).dataset()


def _xlsx_value(value):
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time(0) else value
    if isinstance(value, str):
        return value.strip()
    return value


def open_xlsx(data):
    """The Table of an XLSX file's data sheet (see `_data_sheet`), merged cells filled."""
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
        index, rows = _data_sheet(book)
    finally:
        book.close()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = _sheet_files(archive)
        merged, formulas = _scan_sheet(archive, sheets[index] if index < len(sheets) else None)
    unsaved = _formulas_without_values(data, rows, index) if formulas else []
    if unsaved:
        raise ImportFileError(
            gettext(
                "单元格 %(cells)s 是公式，但文件中没有保存它的计算结果（文件可能由程序生成、"
                "未在 Excel 中打开保存过）。请在 Excel 中打开并保存后再导入，或把公式改为数值。"
            )
            % {"cells": "、".join(unsaved[:10]) + ("……" if len(unsaved) > 10 else "")}
        )
    _fill_merged(rows, merged, header_index(rows))
    return Table(rows, len(rows))


INSTRUCTION_WORDS = ("说明", "填表", "填报要求", "instructions")


def _data_sheet(book):
    """(index, rows) of the sheet that holds the records: the first one that is not an
    instruction sheet (填表说明: named so, or text in one column only)."""
    first = None
    for index, sheet in enumerate(book.worksheets):
        rows = [[_xlsx_value(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        if first is None:
            first = (index, rows)
        named_instructions = any(w in (sheet.title or "").lower() for w in INSTRUCTION_WORDS)
        widest = max((_header_cells(r) for r in rows[:HEADER_SEARCH_LINES]), default=0)
        if not named_instructions and widest >= 2:
            return index, rows
    return first if first is not None else (0, [])


def _sheet_files(archive):
    """The worksheet XML files of an XLSX (an open ZipFile), in the workbook's order."""
    names = set(archive.namelist())
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    targets = {}
    for tag in re.findall(r"<Relationship\b[^>]*>", rels):
        rid, target = re.search(r'\bId="([^"]+)"', tag), re.search(r'\bTarget="([^"]+)"', tag)
        if rid and target:
            targets[rid.group(1)] = target.group(1)
    files = []
    for rid in re.findall(r'<sheet\b[^>]*?r:id="([^"]+)"', workbook):
        target = targets.get(rid, "").lstrip("/")
        name = target if target.startswith("xl/") else f"xl/{target}"
        if name in names:
            files.append(name)
    return files


_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_FORMULA = re.compile(rb"<f[ >/]")


def _scan_sheet(archive, name):
    """What openpyxl's read-only mode does not give, read from a sheet's XML in one pass, a
    megabyte at a time: its merged ranges as 0-based (top, left, bottom, right), and whether
    it holds a formula."""
    if name is None:
        return [], False
    found, formulas, tail = [], False, b""
    with archive.open(name) as stream:
        while chunk := stream.read(1 << 20):
            found += _MERGE.findall(tail + chunk)
            formulas = formulas or bool(_FORMULA.search(tail + chunk))
            tail = chunk[-64:]
    merged = {
        (
            int(r1) - 1,
            column_index_from_string(c1.decode()) - 1,
            int(r2) - 1,
            column_index_from_string(c2.decode()) - 1,
        )
        for c1, r1, c2, r2 in found
    }
    return sorted(merged), formulas


def _formulas_without_values(data, rows, index):
    """The cells (A1 names) of the data sheet holding a formula whose result the file does
    not keep: read as values they are empty, and would be taken as blanks or zeros. (Only a
    sheet with formulas is read this second time.)"""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        found = []
        for r, row in enumerate(book.worksheets[index].iter_rows(values_only=True)):
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


def open_table(data, name):
    """Bytes of a CSV or XLSX file (by content, or by its name's extension) → its Table; a
    file of no known kind is read as CSV."""
    kind = file_kind(data[: len(ZIP_SIGNATURE)], name)
    if kind == "xlsx":
        return open_xlsx(data)
    if kind == "xls":
        raise ImportFileError(gettext("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV。"))
    return open_csv(data)


def read_file(data, name):
    """The same, every record at once in one Dataset."""
    return open_table(data, name).dataset()


def unneutralise(value):
    """Undo the apostrophe an export put before a formula-like cell (`neutralise`)."""
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
        return open_xlsx(in_stream).dataset()

    def export_data(self, dataset, **kwargs):
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
