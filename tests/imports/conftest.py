"""Helpers for the import tests: files built in the tests, in each encoding and format."""

import codecs
import csv
import io

import openpyxl
import pytest

from cooperation.imports.files import read_file
from cooperation.imports.resources import run_import


def csv_bytes(rows, encoding="utf-8"):
    """Rows → CSV bytes as Excel writes them: "utf-8", "utf-8-sig" (BOM) or "gbk"."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    data = out.getvalue().encode("utf-8" if encoding == "utf-8-sig" else encoding)
    return codecs.BOM_UTF8 + data if encoding == "utf-8-sig" else data


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_bytes(rows, kind):
    return xlsx_bytes(rows) if kind == "xlsx" else csv_bytes(rows, kind)


def import_file(resource_class, data, name="data.csv", *, dry_run=False, user=None):
    """Import like the command does; returns the ImportResult."""
    return run_import(resource_class(user=user), read_file(data, name), dry_run=dry_run)


@pytest.fixture
def importer():
    return import_file
