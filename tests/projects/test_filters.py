"""The FilterSets of the four lists: the contract with the indicators (a figure's list
adds up to the figure), the ordinary filters, and bad parameters rejected with a message."""

from decimal import Decimal as D
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db.models import Count, F, Sum
from django.urls import reverse

from cooperation.dashboard.indicators import percent, registry
from cooperation.models import Region
from projects.filters import (
    ConsumptionSaleFilter,
    DemonstrationVillageFilter,
    DonationFilter,
    IndustrialParkFilter,
    IndustrialParkYearFilter,
    InvestmentFilter,
    ProjectFilter,
)
from projects.models import (
    ConsumptionSale,
    DemonstrationVillage,
    Donation,
    IndustrialPark,
    IndustrialParkYear,
    Investment,
    Project,
)
from projects.querysets import COMPLETED, STARTED, disbursed
from tests.places import LAOCHENG, XINCHENG

pytestmark = pytest.mark.django_db

LISTS = {
    "projects:projects": (ProjectFilter, Project),
    "projects:investments": (InvestmentFilter, Investment),
    "projects:sales": (ConsumptionSaleFilter, ConsumptionSale),
    "projects:donations": (DonationFilter, Donation),
    "projects:parks": (IndustrialParkFilter, IndustrialPark),
    "projects:park_jobs": (IndustrialParkYearFilter, IndustrialParkYear),
    "projects:villages": (DemonstrationVillageFilter, DemonstrationVillage),
}


def rate(part, whole):
    """A rate of the listed rows: two sums of them, then part ÷ whole in % (None over 0)."""

    def compute(rows):
        row = rows.aggregate(part=part, whole=whole)
        return percent(row["part"], row["whole"])

    return compute


# How the rows of each indicator's list add up to it (the list page shows these sums).
ROW_AGGREGATE = {
    "funds.aid": Sum("aid_funds"),
    "funds.projects": Count("id"),
    "funds.beneficiaries": Sum("beneficiaries"),
    "funds.beneficiaries_poverty_exited": Sum("beneficiaries_poverty_exited"),
    "funds.disbursed": Sum(disbursed()),
    "funds.disbursement_rate": rate(Sum(disbursed()), Sum("aid_funds")),
    "funds.started_rate": rate(Count("id", filter=STARTED), Count("id")),
    "funds.completed_rate": rate(Count("id", filter=COMPLETED), Count("id")),
    "funds.donations_cash": Sum("cash"),
    "funds.donations_in_kind": Sum("in_kind"),
    "funds.donations_total": Sum(F("cash") + F("in_kind")),
    "industry.enterprises_settled": Count("enterprise", distinct=True),
    "industry.investment_agreed": Sum("agreed"),
    "industry.investment_arrived": Sum("arrived"),
    "industry.jobs": Sum("jobs"),
    "industry.parks": Count("id"),
    "industry.agricultural_parks": Count("id"),
    "industry.park_enterprises": Count("enterprise", distinct=True),
    "industry.park_investment_arrived": Sum("arrived"),
    "industry.park_jobs": Sum("jobs"),
    "industry.park_jobs_poverty_exited": Sum("poverty_exited_jobs"),
    "pairings.demonstration_villages": Count("id"),
    "pairings.demonstration_village_funds": Sum("funds"),
    "consumption.amount": Sum("amount"),
    "consumption.certified_amount": Sum("certified_amount"),
    "consumption.purchase": Sum("amount"),
    "consumption.purchase_certified": Sum("certified_amount"),
    "consumption.helped": Sum("amount"),
    "consumption.helped_certified": Sum("certified_amount"),
}


def projects_indicators():
    return [i for i in registry if i.source.model.startswith("projects.")]


def filterset_for(url):
    """The FilterSet of the list a URL opens, bound to the URL's query parameters."""
    parts = urlsplit(url)
    for name, (filterset_class, model) in LISTS.items():
        if reverse(name) == parts.path:
            return filterset_class(dict(parse_qsl(parts.query)), queryset=model.objects.all())
    raise AssertionError(f"no FilterSet for {url}")


def test_every_indicator_has_a_row_aggregate():
    assert {i.key for i in projects_indicators()} == set(ROW_AGGREGATE)


@pytest.mark.parametrize("year", [2020, 2021, 2022])
@pytest.mark.parametrize("town_code", [None, LAOCHENG, XINCHENG])
@pytest.mark.parametrize("month", [None, 1, 12])
def test_each_indicator_s_list_adds_up_to_the_indicator(dataset, year, town_code, month):
    town = Region.objects.get(code=town_code) if town_code else None
    checked = 0
    for ind in projects_indicators():
        if month is not None and not ind.by_month:
            continue
        filterset = filterset_for(ind.url(dataset, year, town=town, month=month))
        assert filterset.is_valid(), (ind.key, filterset.errors)
        add_up = ROW_AGGREGATE[ind.key]
        if callable(add_up):  # a rate
            rows_total = add_up(filterset.qs)
        else:
            rows_total = filterset.qs.aggregate(v=add_up)["v"] or 0
        assert rows_total == ind.value(dataset, year, town=town, month=month), ind.key
        checked += 1
    assert checked >= 9  # the 9 indicators that have a month, at least


def test_the_funds_list_leaves_out_cancelled_projects(dataset):
    filterset = filterset_for(registry["funds.aid"].url(dataset, 2021))
    assert "cancelled" not in set(filterset.qs.values_list("status", flat=True))
    # without the indicator's fixed parameter the cancelled project (999) is listed
    everything = ProjectFilter({"partnership": dataset.pk, "year": 2021}, Project.objects.all())
    assert everything.qs.aggregate(v=Sum("aid_funds"))["v"] == D("1309.75")  # 310.75 + 999


def test_the_certified_list_shows_only_sales_with_certified_products(dataset):
    filterset = filterset_for(registry["consumption.certified_amount"].url(dataset, 2021))
    # Jan 100 (60 certified) and Dec 40.1234 (all certified); the Dec e-commerce sale has none
    assert sorted(filterset.qs.values_list("amount", flat=True)) == [D("40.1234"), D("100")]


def test_a_partnership_s_list_holds_none_of_the_other_s_rows(dataset, other_partnership):
    filterset = DonationFilter(
        {"partnership": other_partnership.pk, "year": 2021}, Donation.objects.all()
    )
    assert list(filterset.qs.values_list("cash", flat=True)) == [D("3333")]


@pytest.mark.parametrize(
    "filterset_class,model,params,field,message",
    [
        (ProjectFilter, Project, {"year": "abc"}, "year", "年度应为四位数字，如 2021。"),
        (ProjectFilter, Project, {"year": "99"}, "year", "年度应在1996至2100之间。"),
        (
            InvestmentFilter,
            Investment,
            {"town": "zzz"},
            "town",
            "镇（街道）应为9位统计用区划代码，如 610902001。",
        ),
        (
            DonationFilter,
            Donation,
            {"town": "61090200"},
            "town",
            "镇（街道）应为9位统计用区划代码，如 610902001。",
        ),
        (ConsumptionSaleFilter, ConsumptionSale, {"month": "13"}, "month", "月份应为1至12。"),
        (InvestmentFilter, Investment, {"month": "x"}, "month", "月份应为1至12。"),
        (ProjectFilter, Project, {"status": "lost"}, "status", None),
        (ProjectFilter, Project, {"partnership": "abc"}, "partnership", None),
        (ProjectFilter, Project, {"exclude_cancelled": "yes"}, "exclude_cancelled", None),
        (DonationFilter, Donation, {"kind": "gold"}, "kind", None),
    ],
)
def test_a_bad_parameter_is_a_form_error_and_selects_nothing(
    dataset, filterset_class, model, params, field, message
):
    filterset = filterset_class(params, queryset=model.objects.all())
    assert not filterset.is_valid()
    assert field in filterset.errors
    if message:
        assert filterset.errors[field] == [message]
    # an invalid filter is not silently dropped (which would list every row)
    assert filterset.qs.count() == 0


def test_text_search_finds_a_project_by_its_unofficial_place(dataset):
    filterset = ProjectFilter({"q": "魏埭"}, queryset=Project.objects.all())
    assert list(filterset.qs.values_list("place_text", flat=True)) == ["关山镇魏埭村"]


def test_status_and_category_filters(dataset):
    filterset = ProjectFilter(
        {"partnership": dataset.pk, "status": "building", "category": "infrastructure"},
        queryset=Project.objects.all(),
    )
    assert list(filterset.qs.values_list("aid_funds", flat=True)) == [D("200.25")]


def test_the_channel_filter_keeps_the_sales_of_that_channel(dataset):
    filterset = ConsumptionSaleFilter(
        {"partnership": dataset.pk, "year": "2021", "channel": "832"},
        queryset=ConsumptionSale.objects.all(),
    )
    assert list(filterset.qs.values_list("amount", flat=True)) == [D("40.1234")]


def test_the_kind_filter_keeps_the_donations_of_that_kind(dataset):
    filterset = DonationFilter(
        {"partnership": dataset.pk, "year": "2021", "kind": "in_kind"},
        queryset=Donation.objects.all(),
    )
    assert list(filterset.qs.values_list("in_kind", flat=True)) == [D("7.5")]


def test_filter_labels_are_chinese():
    form = ProjectFilter({}, queryset=Project.objects.none()).form
    labels = {name: str(field.label) for name, field in form.fields.items()}
    assert labels["year"] == "年度" and labels["town"] == "镇（街道）"
    assert labels["exclude_cancelled"] == "不含已取消项目"
