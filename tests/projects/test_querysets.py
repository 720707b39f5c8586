"""The grouped figures (charts) and totals of the QuerySets, against the data set of
conftest.py worked out by hand."""

from decimal import Decimal as D

import pytest

from projects.models import ConsumptionSale, Donation, Investment, Project
from tests.places import LAOCHENG, XIDAJIE, XINCHENG
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_project_totals_leave_out_cancelled_projects(dataset):
    totals = Project.objects.for_partnership(dataset).in_year(2021).totals()
    assert totals == {
        "aid_funds": D("310.75"),  # 100.5 + 200.25 + 10
        "local_funds": D("0"),
        "other_funds": D("0"),
        "projects": 3,
        "beneficiaries": 42,  # 10 + 30 + 2
        "beneficiaries_poverty_exited": 18,  # 4 + 12 + 2
    }


def test_aid_funds_by_year(dataset):
    rows = Project.objects.for_partnership(dataset).aid_funds_by_year()
    assert rows == [
        {"year": 2021, "aid_funds": D("310.75"), "projects": 3},
        {"year": 2022, "aid_funds": D("50"), "projects": 1},
    ]


def test_aid_funds_by_town_lists_text_placed_projects_last(dataset):
    rows = Project.objects.for_partnership(dataset).aid_funds_by_town(2021)
    assert rows == [
        {"town": LAOCHENG, "town_name": "老城街道", "aid_funds": D("100.5"), "projects": 1},
        {"town": XINCHENG, "town_name": "新城街道", "aid_funds": D("200.25"), "projects": 1},
        {"town": None, "town_name": None, "aid_funds": D("10"), "projects": 1},
    ]


def test_aid_funds_by_category_in_the_categories_order(dataset):
    rows = Project.objects.for_partnership(dataset).aid_funds_by_category(2021)
    # education (999) is the cancelled project: no row for it
    assert rows == [
        {"category": "industry", "label": "产业发展", "aid_funds": D("100.5"), "projects": 1},
        {
            "category": "infrastructure",
            "label": "基础设施",
            "aid_funds": D("200.25"),
            "projects": 1,
        },
        {"category": "other", "label": "其他", "aid_funds": D("10"), "projects": 1},
    ]


def test_investment_totals_count_an_enterprise_signing_twice_once(dataset):
    totals = Investment.objects.for_partnership(dataset).in_year(2021).totals()
    assert totals == {
        "enterprises": 2,  # 企业甲 (twice), 企业乙
        "agreed": D("1700.5"),  # 1000 + 500.5 + 200
        "arrived": D("1500"),  # 600 + 700 + 200
        "jobs": 40,  # 20 + 15 + 5
    }


def test_investments_by_year_split_at_new_year(dataset):
    rows = Investment.objects.for_partnership(dataset).totals_by_year()
    # 31 Dec 2021 (企业乙) counts in 2021, 1 Jan 2022 (企业丙) in 2022
    assert rows == [
        {"year": 2021, "enterprises": 2, "agreed": D("1700.5"), "arrived": D("1500"), "jobs": 40},
        {"year": 2022, "enterprises": 1, "agreed": D("3000"), "arrived": D("0"), "jobs": 100},
    ]


def test_investments_by_month_has_twelve_rows(dataset):
    rows = Investment.objects.for_partnership(dataset).totals_by_month(2021)
    assert [r["month"] for r in rows] == list(range(1, 13))
    assert rows[2] == {
        "month": 3,
        "enterprises": 1,
        "agreed": D("1000"),
        "arrived": D("600"),
        "jobs": 20,
    }
    assert rows[11]["agreed"] == D("500.5") and rows[11]["jobs"] == 15
    assert rows[0] == {"month": 1, "enterprises": 0, "agreed": D("0"), "arrived": D("0"), "jobs": 0}


def test_investments_by_town_count_enterprises_and_add_up_amounts(dataset):
    rows = Investment.objects.for_partnership(dataset).totals_by_town(2021)
    assert [(r["town"], r["enterprises"], r["agreed"]) for r in rows] == [
        (LAOCHENG, 1, D("1200")),  # 企业甲: 1000 + 200
        (XINCHENG, 1, D("500.5")),
    ]


def test_sales_by_month_fill_empty_months_with_zero(dataset):
    rows = ConsumptionSale.objects.for_partnership(dataset).amounts_by_month(2021)
    assert len(rows) == 12
    assert rows[0] == {"month": 1, "amount": D("100"), "certified_amount": D("60")}
    # December: 40.1234 + 9.8766 = 50; certified 40.1234 + 0
    assert rows[11] == {"month": 12, "amount": D("50"), "certified_amount": D("40.1234")}
    assert rows[5] == {"month": 6, "amount": D("0"), "certified_amount": D("0")}


def test_sales_by_channel_in_the_channels_order(dataset):
    rows = ConsumptionSale.objects.for_partnership(dataset).amounts_by_channel(2021)
    assert [(r["channel"], r["label"], r["amount"], r["certified_amount"]) for r in rows] == [
        ("counter", "东部专馆专柜", D("100"), D("60")),
        ("832", "832平台", D("40.1234"), D("40.1234")),
        ("ecommerce", "电商", D("9.8766"), D("0")),
    ]


def test_sales_by_channel_in_one_month(dataset):
    rows = ConsumptionSale.objects.for_partnership(dataset).amounts_by_channel(2021, month=1)
    assert [(r["channel"], r["amount"]) for r in rows] == [("counter", D("100"))]


def test_sales_by_year_and_by_product_category(dataset):
    qs = ConsumptionSale.objects.for_partnership(dataset)
    assert qs.amounts_by_year() == [
        {"year": 2021, "amount": D("150"), "certified_amount": D("100.1234")},
        {"year": 2022, "amount": D("77"), "certified_amount": D("7")},
    ]
    # every sale of the data set is tea (the factory's default): 100 + 40.1234 + 9.8766
    assert qs.amounts_by_product_category(2021) == [
        {
            "product_category": "tea",
            "label": "茶叶",
            "amount": D("150"),
            "certified_amount": D("100.1234"),
        }
    ]


def test_donation_totals_and_by_year(dataset):
    qs = Donation.objects.for_partnership(dataset)
    assert qs.in_year(2021).totals() == {
        "cash": D("12.5"),  # 10 + 2.5
        "in_kind": D("7.5"),
        "total": D("20"),
        "donations": 2,
    }
    assert qs.totals_by_year() == [
        {"year": 2020, "cash": D("1000"), "in_kind": D("0"), "total": D("1000")},
        {"year": 2021, "cash": D("12.5"), "in_kind": D("7.5"), "total": D("20")},
        {"year": 2022, "cash": D("100"), "in_kind": D("100"), "total": D("200")},
    ]


def test_donations_by_month_fall_in_the_month_they_were_given(dataset):
    rows = Donation.objects.for_partnership(dataset).totals_by_month(2021)
    assert rows[0] == {"month": 1, "cash": D("10"), "in_kind": D("0"), "total": D("10")}
    assert rows[11] == {"month": 12, "cash": D("2.5"), "in_kind": D("7.5"), "total": D("10")}


def test_empty_figures_are_zero_not_none(partnership):
    assert Project.objects.for_partnership(partnership).aid_funds() == D("0")
    assert Investment.objects.for_partnership(partnership).jobs_total() == 0
    assert Donation.objects.for_partnership(partnership).grand_total() == D("0")


def test_a_record_placed_by_village_only_counts_in_the_village_s_town(partnership):
    # 西大街社区 lies in 老城街道: the town is taken from the village's code on save
    project = ProjectFactory(partnership=partnership, town_id=None, village_id=XIDAJIE)
    assert project.town_id == LAOCHENG
    assert Project.objects.in_town(LAOCHENG).aid_funds() == D("100")


def test_unofficial_places_are_found(dataset):
    qs = Project.objects.for_partnership(dataset).with_unofficial_place()
    assert list(qs.values_list("place_text", flat=True)) == ["关山镇魏埭村"]
