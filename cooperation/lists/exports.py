"""CSV and XLSX exports of lists and tables.

- CSV is UTF-8 with a BOM, so Excel in Chinese opens it without garbling.
- XLSX is written by openpyxl in write-only mode (rows go to a temporary file, not memory);
  codes such as ID numbers are written as text cells (format "@"), never as numbers. A
  list's file has its header row frozen, column widths and number formats by the kind of
  each column (thousand separators, the column's decimals, dates as yyyy-mm-dd), and the
  footer totals of the page (one aggregate, computed by the database) as its last row.
- Text cells beginning with = + - @, a tab or a carriage return are prefixed with an
  apostrophe so that a spreadsheet never runs them as a formula; numbers (including
  negative ones) are written as numbers and left alone.
- Rows come from an iterator, so a list of a million rows streams in constant memory.
- File names say what is in the file (the list, partnership, year and filters) and are
  safe on every file system; Content-Disposition carries them as UTF-8 (RFC 5987).
"""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cooperation.lists.columns import BOOL, CHOICE, CODE, DATE, DECIMAL, INT, MONEY

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_BATCH = 1000  # rows joined into one chunk of the streamed response
FILENAME_MAX = 120  # characters before the extension
# Characters no file system (Windows is the strictest) accepts in a name, control ones included.
UNSAFE_IN_FILENAMES = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]+')
FOUR_PLACES = Decimal("0.0001")


def exact_money(value):
    """An amount in 万元 to its 4 stored places (exact to the yuan), whatever the database
    returned for a sum (SQLite drops trailing zeros, PostgreSQL may add some)."""
    return None if value is None else Decimal(value).quantize(FOUR_PLACES)


def safe_filename(parts):
    """The parts of a file name (list, partnership, year, filters) joined by "_", with the
    characters file systems refuse replaced, cut to FILENAME_MAX characters."""
    cleaned = [UNSAFE_IN_FILENAMES.sub("_", " ".join(str(p).split())).strip(" ._") for p in parts]
    name = "_".join(p for p in cleaned if p)
    return name[:FILENAME_MAX].rstrip(" ._") or "export"


def neutralise(value):
    """'=cmd|…' → "'=cmd|…" for text; numbers, dates and safe text are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return value


class _Echo:
    """A file-like object whose write() hands back the line (for csv.writer)."""

    def write(self, value):
        return value


def csv_chunks(headers, rows):
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([csv_value(h) for h in headers])
    batch = []
    for row in rows:
        batch.append(writer.writerow([csv_value(v) for v in row]))
        if len(batch) >= CSV_BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def csv_response(filename, headers, rows):
    response = StreamingHttpResponse(
        csv_chunks(headers, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.csv")
    return response


def _xlsx_text(value):
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(value))


GENERAL, TEXT_FORMAT, DATE_FORMAT = "General", "@", "yyyy-mm-dd"


@dataclass(frozen=True)
class XlsxColumn:
    """How one column is laid out in an XLSX file: its width (in characters, None for the
    spreadsheet's default) and the number format of its cells ("@": text, such as ID
    numbers, which are then written as text even when they look like numbers)."""

    width: float | None = None
    number_format: str = GENERAL

    @property
    def text(self):
        return self.number_format == TEXT_FORMAT


PLAIN = XlsxColumn()


def xlsx_column(kind, places=2):
    """The layout of a list column of this kind (see `Column` in columns.py); amounts have
    the decimals shown on screen, codes are kept as text."""
    if kind == INT:
        return XlsxColumn(12, "#,##0")
    if kind in (MONEY, DECIMAL):
        return XlsxColumn(14, "#,##0" + ("." + "0" * places if places > 0 else ""))
    if kind == DATE:
        return XlsxColumn(12, DATE_FORMAT)
    if kind == CODE:
        return XlsxColumn(20, TEXT_FORMAT)
    if kind == CHOICE:
        return XlsxColumn(14)
    if kind == BOOL:
        return XlsxColumn(8)
    return XlsxColumn(28)  # text: names, units, places


def _xlsx_cells(ws, values, layout, font=None):
    """One row's cells: text neutralised, codes as text, a cell of its own (with its number
    format) where the column has one."""
    out = []
    for i, value in enumerate(values):
        column = layout[i] if i < len(layout) else PLAIN
        if value is None:
            out.append(None)
            continue
        if column.text:
            value = _xlsx_text(str(value))
        elif isinstance(value, str):
            value = _xlsx_text(value)
        if column.number_format == GENERAL and font is None:
            out.append(value)
            continue
        cell = WriteOnlyCell(ws, value=value)
        if column.number_format != GENERAL:
            cell.number_format = column.number_format
        if font is not None:
            cell.font = font
        out.append(cell)
    return out


def xlsx_file(title, headers, rows, *, layout=(), totals=None):
    """Write the rows to a temporary XLSX file (write-only: constant memory); return it.

    `layout` gives each column's width and number format (an `XlsxColumn` each; PLAIN
    for the columns it leaves out). `totals`, if given, is written as the last row, in
    bold (a value or None per column)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(title))
    # A write-only sheet takes its view and columns before its first row.
    ws.freeze_panes = "A2"
    for i, column in enumerate(layout, start=1):
        if column.width is not None:
            ws.column_dimensions[get_column_letter(i)].width = column.width
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=_xlsx_text(str(h)))
        cell.font = bold
        cell.alignment = wrap  # a long header wraps within its column's width
        header_cells.append(cell)
    ws.append(header_cells)
    try:
        for row in rows:
            ws.append(_xlsx_cells(ws, row, layout))
    except BaseException:
        # The rows failed (a query error, the client gone): close the sheet's writer while
        # its temporary file is open, rather than leave it to the garbage collector.
        ws.close()
        raise
    if totals is not None:
        ws.append(_xlsx_cells(ws, totals, layout, font=bold))
    handle = tempfile.TemporaryFile()
    wb.save(handle)
    handle.seek(0)
    return handle


def xlsx_response(filename, title, headers, rows, *, layout=(), totals=None):
    handle = xlsx_file(title, headers, rows, layout=layout, totals=totals)
    return FileResponse(
        handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE
    )


def _sheet_title(title):
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Sheet"


def table_response(fmt, filename, headers, rows):
    """A small in-memory table (dashboard, chart, summary) as CSV or XLSX."""
    if fmt == "csv":
        return csv_response(filename, headers, iter(rows))
    return xlsx_response(filename, filename, headers, rows)
