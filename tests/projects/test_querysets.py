"""The groupings the charts draw (the QuerySets of projects), against the data set of
conftest.py worked out by hand; a record placed by its village counts in the village's town."""

from decimal import Decimal as D

import pytest

from cooperation.dashboard.indicators import registry
from cooperation.models import Region
from projects.models import Project
from tests.places import LAOCHENG, XIDAJIE, XINCHENG
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


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


def test_empty_figures_are_zero_not_none(partnership):
    for key, zero in [
        ("funds.aid", D("0")),
        ("industry.jobs", 0),
        ("funds.donations_total", D("0")),
    ]:
        assert registry[key].value(partnership, 2021) == zero, key


def test_a_record_placed_by_village_only_counts_in_the_village_s_town(partnership):
    # 西大街社区 lies in 老城街道: the town is taken from the village's code on save
    project = ProjectFactory(partnership=partnership, town_id=None, village_id=XIDAJIE)
    assert project.town_id == LAOCHENG
    laocheng = Region.objects.get(code=LAOCHENG)
    aid = registry["funds.aid"].value(partnership, project.fund_year, town=laocheng)
    assert aid == D("100")


def test_unofficial_places_are_found(dataset):
    qs = Project.objects.for_partnership(dataset).with_unofficial_place()
    assert list(qs.values_list("place_text", flat=True)) == ["关山镇魏埭村"]
