"""Reading pages and exports back in tests."""

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook


def footer(response):
    """The footer totals of a list page, by key (raw values, not the formatted text)."""
    return {t.key: t.value for t in response.context["totals"]}


def cards(response):
    """{indicator key: Figure} of a dashboard (or summary) page."""
    return {f.indicator.key: f for _, figures in response.context["groups"] for f in figures}


def streamed(response):
    return b"".join(response.streaming_content)


def read_csv(response):
    raw = streamed(response)
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def read_xlsx(response):
    """The first sheet's rows as lists of cells (openpyxl cells, to check their types)."""
    wb = load_workbook(io.BytesIO(streamed(response)))
    ws = wb.worksheets[0]
    return [list(row) for row in ws.iter_rows()]


def screen_rows(response):
    """The rows of a list page as the text shown in each cell."""
    return [[cell.text for cell in row] for row in response.context["rows"]]


def as_decimal(value):
    return Decimal(str(value))
