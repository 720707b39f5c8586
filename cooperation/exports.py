"""CSV and XLSX exports of lists and tables.

- CSV is UTF-8 with a BOM, so Excel in Chinese opens it without garbling.
- XLSX is written by openpyxl in write-only mode (rows go to a temporary file, not memory);
  codes such as ID numbers are written as text cells (format "@"), never as numbers.
- Text cells beginning with = + - @, a tab or a carriage return are prefixed with an
  apostrophe so that a spreadsheet never runs them as a formula; numbers (including
  negative ones) are written as numbers and left alone.
- Rows come from an iterator, so a list of a million rows streams in constant memory.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_BATCH = 1000  # rows joined into one chunk of the streamed response


FOUR_PLACES = Decimal("0.0001")


def exact_money(value):
    """An amount in 万元 to its 4 stored places (exact to the yuan), whatever the database
    returned for a sum (SQLite drops trailing zeros, PostgreSQL may add some)."""
    return None if value is None else Decimal(value).quantize(FOUR_PLACES)


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


def xlsx_file(title, headers, rows, text_columns=frozenset()):
    """Write the rows to a temporary XLSX file (write-only: constant memory); return it."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(title))
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=_xlsx_text(str(h)))
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        out = []
        for i, value in enumerate(row):
            if value is None:
                out.append(None)
            elif i in text_columns:
                cell = WriteOnlyCell(ws, value=_xlsx_text(str(value)))
                cell.number_format = "@"
                out.append(cell)
            elif isinstance(value, str):
                out.append(_xlsx_text(value))
            else:
                out.append(value)
        ws.append(out)
    handle = tempfile.TemporaryFile()
    wb.save(handle)
    handle.seek(0)
    return handle


def xlsx_response(filename, title, headers, rows, text_columns=frozenset()):
    handle = xlsx_file(title, headers, rows, text_columns)
    return FileResponse(
        handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE
    )


def _sheet_title(title):
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Sheet"


def table_response(fmt, filename, headers, rows, text_columns=frozenset()):
    """A small in-memory table (dashboard, chart, summary) as CSV or XLSX."""
    if fmt == "csv":
        return csv_response(filename, headers, iter(rows))
    return xlsx_response(filename, filename, headers, rows, text_columns)
