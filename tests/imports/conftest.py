"""Helpers for the import tests: files built in the tests, in each encoding and format, the
project 台账 rows they hold, and the admin's import and export as a clerk's browser drives
them."""

import codecs
import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cooperation.imports.files import CSV, FORMATS, XLSX, read_file
from cooperation.imports.running import run_import
from labor import idcard
from tests.places import P_NAME

# The project 台账 as staff write it: its header and two good rows of 武进区—汉滨区.
PROJECT_HEAD = [
    "协作关系",
    "资金年度",
    "项目名称",
    "项目类别",
    "镇（街道）",
    "村（社区）",
    "协作资金（万元）",
    "地方配套资金（万元）",
    "受益人数",
    "其中脱贫人口",
    "开工日期",
]
TEA = [
    P_NAME,
    "2021",
    "大河镇茶园",
    "产业发展",
    "大河镇",
    "小河村",
    "1,234.50",
    "100万元",
    "1,200",
    "300",
    "2021年4月5日",
]
ROAD = [
    P_NAME,
    "2021",
    "县河镇道路",
    "基础设施",
    "县河镇",
    "",
    "８８",
    "",
    "",
    "",
    "2021/4/5",
]

# The worker 台账 as staff write it: its header, 张三 on two job lines, 李四 with no job.
HEAD = [
    "协作关系",
    "姓名",
    "身份证号码",
    "手机号码",
    "户籍镇（街道）",
    "户籍村（社区）",
    "户类型",
    "就业单位",
    "就业地",
    "就业开始日期",
    "就业结束日期",
    "月工资（元）",
    "就业渠道",
]
ZHANG = idcard.make("610902", datetime.date(1990, 1, 2), 123)
LI = idcard.make("610902", datetime.date(1991, 3, 4), 124)
ZHANG_1 = [
    "武进区—汉滨区",
    "张三",
    ZHANG,
    "138 1234 5678",
    "大河镇",
    "小河村",
    "脱贫户",
    "常州某机械厂",
    "武进区",
    "2021年4月5日",
    "2021年12月31日",
    "4,500.00",
    "有组织输转",
]
ZHANG_2 = [
    "武进区—汉滨区",
    "张三",
    ZHANG,
    "138 1234 5678",
    "大河镇",
    "小河村",
    "脱贫户",
    "西安某公司",
    "610113",
    "2022/1/5",
    "",
    "3800",
    "自主就业",
]
LI_0 = ["武进区—汉滨区", "李四", LI.lower(), "", "县河镇", "", "一般户"] + [""] * 6

# The admin's format choices, as its forms post them: positions in FORMATS.
CSV_FORMAT, XLSX_FORMAT = str(FORMATS.index(CSV)), str(FORMATS.index(XLSX))


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


def confirm_import(client, model_url, preview):
    """Post the confirmation form of an admin import's preview, as the page fills it in."""
    form = preview.context["confirm_form"]
    return client.post(
        reverse(f"admin:{model_url}_process_import"),
        {name: form.initial.get(name, "") for name in form.fields},
        follow=True,
    )


def admin_export(client, model_url, fmt=CSV_FORMAT):
    """Export every field of a model from the admin: (the format, the file's bytes)."""
    response = client.get(reverse(f"admin:{model_url}_export"))
    form = response.context["form"]
    data = {"format": fmt, "resource": "0"}
    data.update(
        {name: "on" for name in form.fields if name not in ("format", "resource", "export_items")}
    )
    response = client.post(reverse(f"admin:{model_url}_export"), data)
    assert response.status_code == 200, response.content[:500]
    return FORMATS[int(fmt)], response.content


def upload(client, url, data, name, fmt=CSV_FORMAT):
    """Post a file to an admin import page as its form does."""
    return client.post(
        url, {"import_file": SimpleUploadedFile(name, data), "format": fmt, "resource": "0"}
    )
