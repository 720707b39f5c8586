"""The admin as a clerk meets it: the only partnership chosen for him on every add form, no
links beside the official regions, year filters that offer the years with data, a worker
list that fits the screen, and imports that need no format."""

import datetime
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cooperation.models import Partnership, Region
from projects.models import Project
from tests.imports.conftest import (
    CSV_FORMAT,
    PROJECT_HEAD,
    ROAD,
    TEA,
    XLSX_FORMAT,
    confirm_import,
    csv_bytes,
    xlsx_bytes,
)
from tests.labor.factories import EmploymentFactory, WorkerFactory
from tests.projects.factories import second_partnership

pytestmark = pytest.mark.django_db

D = datetime.date


def _models_with_a_partnership():
    return [
        model
        for model in apps.get_models()
        if admin.site.is_registered(model)
        and any(
            f.is_relation and f.related_model is Partnership for f in model._meta.concrete_fields
        )
    ]


def _add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


# 1. The only partnership is preselected ------------------------------------------------


def test_every_add_form_with_a_partnership_preselects_the_only_one(client, clerk, partnership):
    client.force_login(clerk)
    models = _models_with_a_partnership()
    assert len(models) >= 12  # pairings, postings, … workers, projects, donations

    for model in models:
        response = client.get(_add_url(model))

        assert response.status_code == 200, model
        assert response.context["adminform"].form.initial["partnership"] == partnership.pk, model
        # Shown chosen, in a plain select as in an autocomplete one.
        assert re.search(rf'<option value="{partnership.pk}" selected>', response.content.decode())


def test_no_partnership_is_preselected_when_there_are_two(client, clerk, partnership):
    second_partnership()
    client.force_login(clerk)

    for url in (reverse("admin:projects_project_add"), reverse("admin:labor_worker_add")):
        response = client.get(url)

        assert "partnership" not in response.context["adminform"].form.initial
        assert not re.search(r'<option value="\d+" selected>', response.content.decode())


def test_the_choosable_partnerships_are_asked_in_one_place(rf, monkeypatch, clerk, partnership):
    other = second_partnership()
    project_admin = admin.site.get_model_admin(Project)
    request = rf.get(_add_url(Project))
    request.user = clerk

    only_other = Partnership.objects.filter(pk=other.pk)
    monkeypatch.setattr(project_admin, "partnerships_for", lambda request: only_other)

    assert project_admin.get_changeform_initial_data(request) == {"partnership": other.pk}


# 2. No add / change / delete / view links beside an official region -------------------


def _region_fields(model, form):
    return [
        (model.__name__, name, field.widget)
        for name, field in form.base_fields.items()
        if any(
            f.name == name and f.is_relation and f.related_model is Region
            for f in model._meta.concrete_fields
        )
    ]


def test_no_region_field_of_any_admin_form_offers_a_link(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user  # a superuser: every link would be offered
    region_fields = []
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        region_fields += _region_fields(model, model_admin.get_form(request))
        for inline in model_admin.get_inline_instances(request):
            region_fields += _region_fields(inline.model, inline.get_formset(request).form)

    assert len(region_fields) >= 12  # regions, organisations, places, towns, destinations …
    offered = [
        (model, name)
        for model, name, widget in region_fields
        if widget.can_add_related
        or widget.can_change_related
        or widget.can_delete_related
        or widget.can_view_related
    ]
    assert offered == []


def test_a_clerk_sees_no_link_beside_a_region_but_keeps_them_beside_others(client, clerk):
    client.force_login(clerk)

    organisation = client.get(reverse("admin:cooperation_organisation_add")).content.decode()
    worker = client.get(reverse("admin:labor_worker_add")).content.decode()
    partnership = client.get(reverse("admin:cooperation_partnership_add")).content.decode()

    assert "related-widget-wrapper-link" not in organisation  # its only relation: region
    for name in ("home_town", "home_village", "employments-__prefix__-destination"):
        assert f"_id_{name}" not in worker
    assert 'id="add_id_partnership"' in worker  # a partnership a clerk may add
    assert 'id="view_id_east_region"' not in partnership


def test_a_region_is_still_chosen_by_autocomplete(client, clerk):
    client.force_login(clerk)
    page = client.get(reverse("admin:cooperation_organisation_add")).content.decode()

    assert re.search(r'<select name="region"[^>]*class="admin-autocomplete', page)


# 3. Year filters offer the years with data, newest first --------------------------------


def _year_filter(response, parameter):
    """The list's year filter (SimpleListFilter) taking `parameter`, or None."""
    specs = response.context["cl"].filter_specs
    return next((s for s in specs if getattr(s, "parameter_name", None) == parameter), None)


def _choices(response, parameter):
    return _year_filter(response, parameter).lookup_choices


def test_transferred_year_offers_the_years_an_employment_starts(client, reviewer, partnership):
    """From the latest start back to the earliest (a year between them without a start is
    offered too: the index answers MIN and MAX, not every distinct year)."""
    for year in (2019, 2021, 2021):
        EmploymentFactory(worker__partnership=partnership, start_date=D(year, 3, 1))
    client.force_login(reviewer)

    response = client.get(reverse("admin:labor_worker_changelist"))

    assert _choices(response, "transferred_year") == [
        ("2021", "2021"),
        ("2020", "2020"),
        ("2019", "2019"),
    ]


def test_start_year_offers_the_years_with_employments(client, reviewer, partnership):
    EmploymentFactory(worker__partnership=partnership, start_date=D(2020, 12, 31))
    EmploymentFactory(worker__partnership=partnership, start_date=D(2022, 1, 1))
    client.force_login(reviewer)

    response = client.get(reverse("admin:labor_employment_changelist"))

    # Nothing after the latest start (2023–2026 were offered before).
    assert _choices(response, "start_year") == [
        ("2022", "2022"),
        ("2021", "2021"),
        ("2020", "2020"),
    ]


def test_a_year_filter_offers_nothing_without_data(client, reviewer, partnership):
    client.force_login(reviewer)

    response = client.get(reverse("admin:labor_employment_changelist"))

    assert _year_filter(response, "start_year") is None


def test_a_year_filter_costs_one_query_whatever_the_years(
    client, reviewer, partnership, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(reviewer)
    url = reverse("admin:labor_employment_changelist")
    EmploymentFactory(worker__partnership=partnership, start_date=D(2021, 3, 1))
    client.get(url)  # warm up (session, content types)
    with django_assert_max_num_queries(30) as one_year:
        client.get(url)
    for year in range(2015, 2021):
        EmploymentFactory(worker__partnership=partnership, start_date=D(year, 3, 1))

    with django_assert_num_queries(len(one_year.captured_queries)):
        response = client.get(url)

    assert len(_choices(response, "start_year")) == 7


def test_a_year_without_data_can_still_be_asked_for(client, reviewer, partnership):
    EmploymentFactory(worker__partnership=partnership, start_date=D(2021, 3, 1))
    client.force_login(reviewer)

    response = client.get(reverse("admin:labor_employment_changelist"), {"start_year": "2020"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


# 4. The worker list fits a 1366 px screen ---------------------------------------------


@pytest.mark.parametrize(
    "role, columns",
    [
        ("clerk", ["name", "id_number", "gender", "phone"]),
        ("official", ["masked_name", "masked_id_number", "gender", "masked_phone"]),
    ],
)
def test_the_worker_list_has_no_birth_date_nor_record_number(
    client, request, partnership, role, columns
):
    WorkerFactory(partnership=partnership)
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("admin:labor_worker_changelist"))

    shown = [c for c in response.context["cl"].list_display if c != "action_checkbox"]
    assert shown == [*columns, "household", "home_town", "partnership"]
    header = response.content.decode().split('id="result_list"')[1].split("</thead>")[0]
    assert "出生日期" not in header
    assert not re.search(r"column-id\b(?!_)", header)


def test_the_worker_list_still_links_each_row_to_its_worker(client, clerk, partnership):
    worker = WorkerFactory(partnership=partnership, name="韩廷勤")
    client.force_login(clerk)

    page = client.get(reverse("admin:labor_worker_changelist")).content.decode()

    change = reverse("admin:labor_worker_change", args=[worker.pk])
    assert re.search(rf'<a href="{change}[^"]*">韩廷勤</a>', page)


# 5. Imports tell CSV from XLSX by the file ---------------------------------------------


def _upload(client, name, data):
    return client.post(
        reverse("admin:projects_project_import"),
        {"import_file": SimpleUploadedFile(name, data), "resource": "0"},
    )


def test_the_import_page_asks_for_no_format(client, clerk):
    client.force_login(clerk)

    page = client.get(reverse("admin:projects_project_import")).content.decode()

    assert 'name="import_file"' in page
    assert 'name="format"' in page and '<select name="format"' not in page


@pytest.mark.parametrize(
    "name, data, fmt",
    [
        ("2021年项目台账.csv", csv_bytes([PROJECT_HEAD, TEA, ROAD], "gbk"), CSV_FORMAT),
        ("2021年项目台账.CSV", csv_bytes([PROJECT_HEAD, TEA, ROAD], "utf-8-sig"), CSV_FORMAT),
        ("2021年项目台账.xlsx", xlsx_bytes([PROJECT_HEAD, TEA, ROAD]), XLSX_FORMAT),
        # no extension: told by its content
        ("2021年项目台账", xlsx_bytes([PROJECT_HEAD, TEA, ROAD]), XLSX_FORMAT),
        # an .xlsx misnamed
        ("2021年项目台账.csv", xlsx_bytes([PROJECT_HEAD, TEA, ROAD]), XLSX_FORMAT),
    ],
)
def test_a_file_imports_without_choosing_its_format(client, clerk, partnership, name, data, fmt):
    client.force_login(clerk)

    preview = _upload(client, name, data)

    assert preview.status_code == 200
    assert "新增 2 行，修改 0 行，无变化 0 行" in preview.content.decode()
    assert preview.context["confirm_form"].initial["format"] == fmt
    assert Project.objects.count() == 0
    done = confirm_import(client, "projects_project", preview)
    assert "导入完成：新增 2 行" in done.content.decode()
    assert Project.objects.count() == 2


@pytest.mark.parametrize("name", ["2021年项目台账.txt", "2021年项目台账.xls", "2021年项目台账"])
def test_a_file_neither_csv_nor_xlsx_is_refused_by_name(client, clerk, partnership, name):
    client.force_login(clerk)

    response = _upload(client, name, csv_bytes([PROJECT_HEAD, TEA, ROAD], "utf-8"))

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    page = response.content.decode()
    assert f"无法判断“{name}”是 CSV 还是 XLSX 文件" in page
    assert Project.objects.count() == 0


def test_an_unreadable_xlsx_is_explained_in_chinese(client, clerk, partnership):
    client.force_login(clerk)

    response = _upload(client, "2021年项目台账.xlsx", b"not a workbook")

    page = response.content.decode()
    assert "无法读取 XLSX 文件" in page and "encountered" not in page
    assert "confirm_form" not in response.context


def test_a_chosen_format_is_still_used(client, clerk, partnership):
    client.force_login(clerk)

    response = client.post(
        reverse("admin:projects_project_import"),
        {
            "import_file": SimpleUploadedFile("台账.txt", csv_bytes([PROJECT_HEAD, TEA, ROAD])),
            "format": "0",
            "resource": "0",
        },
    )

    assert response.context["confirm_form"].initial["format"] == "0"
