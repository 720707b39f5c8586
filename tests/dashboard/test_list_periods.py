"""Lists of a period (`?since=2020&year=2021`): every list lists the records that some year of
the period would list, each once, with the same flags (so a card of a period links to the
rows that add up to it: test_card_links.py); a bad period is refused with a message naming
`since`, and the export's name says the period."""

import html
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.urls import reverse

from cooperation.dashboard import views as core_views
from cooperation.dashboard.indicators import registry
from cooperation.dashboard.scopes import of_partnership
from labor import views as labor_views
from projects import views as project_views
from tests.conftest import ALL_LISTS, YEAR
from tests.dashboard.conftest import MAX_LIST_QUERIES, SINCE
from tests.dashboard.helpers import footer

pytestmark = pytest.mark.django_db

SPECS = [
    core_views.pairing_list,
    core_views.posting_list,
    core_views.visit_list,
    core_views.cadre_training_list,
    project_views.project_list,
    project_views.investment_list,
    project_views.sale_list,
    project_views.donation_list,
    project_views.park_list,
    project_views.park_year_list,
    project_views.village_list,
    labor_views.worker_list,
    labor_views.employment_list,
    labor_views.job_fair_list,
    labor_views.course_list,
    labor_views.factory_list,
]
BY_PATH = {spec.url_path(): spec for spec in SPECS}


def test_every_list_is_checked_here():
    assert sorted(spec.url_name for spec in SPECS) == sorted(ALL_LISTS)


def listed(spec, params):
    """The primary keys the list's FilterSet selects for the query parameters."""
    filterset = spec.filterset_class(params, queryset=spec.queryset())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


def link(indicator, scope, since):
    """(the list's spec, its query parameters) of an indicator's card."""
    url = urlsplit(indicator.url(scope, YEAR, since=since))
    return BY_PATH[url.path], QueryDict(url.query, mutable=True)


@pytest.mark.parametrize(
    "key", sorted(ind.key for ind in registry.all() if ind.over_years and ind.list_url)
)
def test_a_list_of_a_period_is_the_union_of_the_lists_of_its_years(data, key):
    indicator, scope = registry[key], of_partnership(data)
    spec, params = link(indicator, scope, SINCE)
    assert params["since"] == str(SINCE)
    period = listed(spec, params)
    years = []
    for year in (SINCE, YEAR):
        params["since"], params["year"] = "", str(year)
        years.append(listed(spec, params))
    assert period == years[0] | years[1]


def test_a_posting_on_post_in_both_years_is_listed_once(staff_client, data):
    both = {"partnership": data.pk, "on_post_in_year": 1}
    rows = {
        y: footer(staff_client.get("/postings/", {**both, "year": y}))["rows"] for y in (2020, 2021)
    }
    period = footer(staff_client.get("/postings/", {**both, "year": YEAR, "since": SINCE}))
    assert period["rows"] < rows[2020] + rows[2021]  # someone on post in both years: once
    assert period["rows"] >= max(rows.values())


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": 2022, "year": 2021}, "起始年度不能晚于年度。"),
        ({"since": 2020}, "请同时选择年度。"),
        ({"since": 2020, "year": 2021, "month": 3}, "按月份筛选时不能选择起始年度。"),
        ({"since": 2000, "year": 2040}, "统计期间不能超过40年。"),
        ({"since": "二〇二〇", "year": 2021}, "年度应为四位数字，如 2021。"),
    ],
)
@pytest.mark.parametrize("name", ALL_LISTS)
def test_a_bad_period_is_refused_with_a_message(staff_client, data, name, params, message):
    if "month" in params and "month" not in BY_PATH[reverse(name)].filterset_class.base_filters:
        return  # a list without months: nothing to refuse
    response = staff_client.get(reverse(name), params)
    assert response.status_code == 400
    assert message in response.context["form"].errors["since"]
    assert message in html.unescape(response.content.decode())


def test_since_the_year_itself_is_the_year(staff_client, data):
    alone = staff_client.get("/projects/", {"partnership": data.pk, "year": YEAR})
    same = staff_client.get("/projects/", {"partnership": data.pk, "year": YEAR, "since": YEAR})
    assert footer(same) == footer(alone)
    assert "统计期间" not in same.content.decode()


def test_the_list_of_a_period_says_the_period(client, data):
    response = client.get("/projects/", {"partnership": data.pk, "year": YEAR, "since": SINCE})
    assert "统计期间：2020—2021年累计（各年度的记录，每条只列一次）" in response.content.decode()


def test_the_export_of_a_period_names_it(client, data):
    response = client.get(
        reverse("projects:projects_export", args=["csv"]),
        {"partnership": data.pk, "year": YEAR, "since": SINCE},
    )
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "2020%E2%80%942021%E5%B9%B4%E7%B4%AF%E8%AE%A1" in disposition  # 2020—2021年累计
    assert "since" not in disposition


def test_the_worker_list_of_a_period_has_no_wage_column_of_one_year(staff_client, data):
    params = {"partnership": data.pk, "year": YEAR, "transferred": 1}
    year = staff_client.get(reverse("labor:workers"), params)
    period = staff_client.get(reverse("labor:workers"), {**params, "since": SINCE})
    assert "本年度月均工资（元）" in [h["label"] for h in year.context["headers"]]
    assert "本年度月均工资（元）" not in [h["label"] for h in period.context["headers"]]
    label = {t.key: t.label for t in period.context["totals"]}["average_wage"]
    assert label == "期间月均工资（元）"


def test_the_list_of_a_period_is_sorted_as_asked(client, data):
    params = {"partnership": data.pk, "year": YEAR, "since": SINCE, "sort": "-aid_funds"}
    page = client.get("/projects/", params).context
    column = [h["label"] for h in page["headers"]].index("协作资金（万元）")
    funds = [Decimal(row[column].text.replace(",", "")) for row in page["rows"]]
    assert len(funds) >= 2 and funds == sorted(funds, reverse=True)


@pytest.mark.parametrize("name", ALL_LISTS)
def test_a_list_of_a_long_period_runs_no_more_queries_than_one_year(
    staff_client, data, django_assert_max_num_queries, name
):
    cache.clear()
    with django_assert_max_num_queries(MAX_LIST_QUERIES) as one_year:
        staff_client.get(reverse(name), {"partnership": data.pk, "year": YEAR})
    cache.clear()
    with django_assert_max_num_queries(MAX_LIST_QUERIES) as period:
        staff_client.get(reverse(name), {"partnership": data.pk, "year": YEAR, "since": 1996})
    assert len(period) <= len(one_year)  # the postings' months on post are of one year only


@pytest.mark.parametrize("name", ALL_LISTS)
def test_the_filter_form_offers_the_first_year_right_after_the_year(staff_client, name):
    fields = list(staff_client.get(reverse(name)).context["form"].fields)
    assert fields[fields.index("year") + 1] == "since"
