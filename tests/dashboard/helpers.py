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


def body(response):
    """A response's content; one that streams is read to its end, so that the test client
    closes it itself (an XLSX export streams from a temporary file: closing it again would
    send request_finished, which closes the test's database connection)."""
    return streamed(response) if response.streaming else response.content


def read_csv(response):
    raw = streamed(response)
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def read_xlsx(response):
    """The first sheet's rows as lists of cells (openpyxl cells, to check their types)."""
    wb = load_workbook(io.BytesIO(streamed(response)))
    ws = wb.worksheets[0]
    return [list(row) for row in ws.iter_rows()]


def xlsx_text(content):
    """The first sheet of an XLSX file as text: a line per row, its cells tab-separated."""
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row)
        for row in sheet.iter_rows(values_only=True)
    )


def screen_rows(response):
    """The rows of a list page as the text shown in each cell."""
    return [[cell.text for cell in row] for row in response.context["rows"]]


def as_decimal(value):
    return Decimal(str(value))
