"""Spreadsheet columns are titled in Chinese whatever language the request that first
touches the resources speaks (a process must import the same file the same way)."""

import importlib

from django.utils import translation

import labor.resources
import projects.resources


def test_columns_are_chinese_even_when_built_inside_an_english_request():
    with translation.override("en"):
        module = importlib.reload(projects.resources)
        headers = module.ProjectResource().get_export_headers()
        wage = importlib.reload(labor.resources)
    assert "资金年度" in headers and "项目名称" in headers
    assert not any("Fund year" in h for h in headers)
    # Units are read from the Chinese title too: the monthly wage stays in 元.
    assert "月工资（元）" in wage.WorkerResource().get_export_headers()
    assert wage.WorkerResource().fields["monthly_wage"].widget.unit == "元"
    assert module.ProjectResource().fields["aid_funds"].widget.unit == "万元"
