"""Every indicator of funds and industry against the values worked out by hand in
conftest.FIGURES (year boundaries, a cancelled project, a second partnership)."""

from decimal import Decimal

import pytest

from cooperation.dashboard.indicators import Group, registry
from cooperation.models import Region
from tests.projects.conftest import FIGURES, PROJECT_KEYS
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def projects_indicators():
    return [i for i in registry if i.source.model.startswith("projects.")]


def test_the_registry_holds_exactly_the_documented_keys():
    assert {i.key for i in projects_indicators()} == PROJECT_KEYS


def test_every_indicator_has_a_label_unit_group_docstring_and_list():
    for ind in projects_indicators():
        assert ind.label and ind.unit and ind.description, ind.key
        assert ind.group in (
            Group.FUNDS,
            Group.PAIRINGS,
            Group.INDUSTRY,
            Group.CONSUMPTION,
        ), ind.key
        assert ind.list_url is not None, ind.key


def test_every_figure_of_the_hand_worked_table_is_checked():
    assert {row[0] for row in FIGURES} == PROJECT_KEYS


@pytest.mark.parametrize("key,year,town,month,expected", FIGURES)
def test_indicator_matches_the_hand_worked_value(dataset, key, year, town, month, expected):
    town_region = Region.objects.get(code=town) if town else None
    value = registry[key].value(dataset, year, town=town_region, month=month)
    assert value == expected
    assert type(value) is type(expected)  # money as Decimal, counts as int


def test_second_partnership_sees_only_its_own_records(dataset, other_partnership):
    q = other_partnership
    # Q's own records: project 7000 / 100 people; investment 8888 (88 arrived, 99 jobs);
    # sale 5555 (555 certified); donation 3333 + 333.
    assert registry["funds.aid"].value(q, 2021) == Decimal("7000")
    assert registry["funds.projects"].value(q, 2021) == 1
    assert registry["funds.beneficiaries"].value(q, 2021) == 100
    assert registry["industry.investment_agreed"].value(q, 2021) == Decimal("8888")
    assert registry["industry.jobs"].value(q, 2021) == 99
    assert registry["consumption.amount"].value(q, 2021) == Decimal("5555")
    assert registry["consumption.certified_amount"].value(q, 2021) == Decimal("555")
    assert registry["funds.donations_total"].value(q, 2021) == Decimal("3666")
    # disbursed 6000 of 7000: 85.714… % → 85.7; its one project is completed
    assert registry["funds.disbursed"].value(q, 2021) == Decimal("6000")
    assert registry["funds.disbursement_rate"].value(q, 2021) == Decimal("85.7")
    assert registry["funds.completed_rate"].value(q, 2021) == Decimal("100.0")


def test_projects_cannot_be_narrowed_to_a_month(dataset):
    # Projects have a fund year but no month: the figure says "not applicable" (None).
    for key in ("funds.aid", "funds.projects", "funds.beneficiaries"):
        assert registry[key].by_month is False
        assert registry[key].value(dataset, 2021, month=5) is None


def test_a_cancelled_project_is_left_out(partnership):
    ProjectFactory(partnership=partnership, fund_year=2021, aid_funds=Decimal("40"))
    ProjectFactory(
        partnership=partnership, fund_year=2021, aid_funds=Decimal("60"), status="cancelled"
    )
    assert registry["funds.aid"].value(partnership, 2021) == Decimal("40")
    assert registry["funds.projects"].value(partnership, 2021) == 1


def test_list_links_carry_partnership_year_town_and_month(dataset, laocheng):
    url = registry["consumption.amount"].url(dataset, 2021, town=laocheng, month=12)
    assert url == f"/consumption/?partnership={dataset.pk}&town=610902001&year=2021&month=12"
    url = registry["funds.aid"].url(dataset, 2021)
    assert url == f"/projects/?partnership={dataset.pk}&year=2021&exclude_cancelled=1"
