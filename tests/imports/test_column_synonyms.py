"""Columns under the everyday names county ledgers use (年度, 东西部协作资金（万元）, 所在镇…)
are read as the columns they mean, for every resource; a synonym never shadows a real column."""

import pytest

from cooperation.imports.cells import comparable
from cooperation.imports.files import read_file, skipped_note
from cooperation.imports.running import run_import
from cooperation.management.commands.import_records import resource_classes
from projects.models import Project
from projects.resources import ProjectResource
from tests.imports.conftest import PROJECT_HEAD, TEA, csv_bytes

RESOURCES = sorted(set(resource_classes().values()), key=lambda cls: cls.__name__)


@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda cls: cls.__name__)
def test_every_synonym_names_a_field_and_no_real_column(resource_class):
    resource = resource_class()
    columns = {comparable(c) for c in resource.expected_columns()}
    seen = {}
    for name, words in resource_class.column_synonyms.items():
        assert name in resource.fields, f"{resource_class.__name__}: no field {name}"
        for word in words:
            assert comparable(word) not in columns, f"“{word}” is a real column"
            assert seen.setdefault(comparable(word), name) == name, f"“{word}” means two fields"


@pytest.mark.django_db
def test_a_project_ledger_under_everyday_column_names_imports_every_value(partnership):
    everyday = {
        "资金年度": "年度",
        "协作资金（万元）": "东西部协作资金（万元）",
        "镇（街道）": "所在镇",
        "村（社区）": "所在村",
        "受益人数": "受益群众（人）",
        "开工日期": "开工时间",
    }
    head = [everyday.get(h, h) for h in PROJECT_HEAD]
    result = run_import(ProjectResource(), read_file(csv_bytes([head, TEA]), "p.csv"))
    assert result.ok, result.messages
    assert skipped_note(result) == ""  # no column left out
    project = Project.objects.get(name="大河镇茶园")
    assert (project.fund_year, str(project.aid_funds), project.town_id, project.village_id) == (
        2021,
        "1234.5000",
        "610902115",
        "610902115208",
    )
    assert (project.beneficiaries, project.start_date.isoformat()) == (1200, "2021-04-05")
