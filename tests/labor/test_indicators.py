"""Labour figures against values worked out by hand (data set: tests/labor/conftest.py)."""

import datetime
from decimal import Decimal

import pytest

from cooperation.dashboard.indicators import Group, registry
from cooperation.models import Region
from labor import rules
from tests.labor.factories import (
    CommunityFactoryFactory,
    EmploymentFactory,
    JobFairFactory,
    TrainingCourseFactory,
    WorkerFactory,
)
from tests.places import DAHE, HANBIN, WUJIN, XIANHE

pytestmark = pytest.mark.django_db

LABOUR_KEYS = [i.key for i in registry.all() if i.group == Group.LABOUR]


def value(key, partnership, town=None, month=None, year=2021):
    town = Region.objects.get(code=town) if town else None
    return registry[key].value(partnership, year, town=town, month=month)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("labor.transferred", 3),  # A, B, D (C continues from 2020)
        ("labor.transferred_poverty_exited", 1),  # A (C is 脱贫户 but not transferred)
        ("labor.transferred_east", 1),  # A (C is in the east, but since 2020)
        ("labor.stable", 3),  # A 213 days, C 365, D 123; B 32 is not
        ("labor.stable_poverty_exited", 2),  # A and C, the 脱贫户 among them
        ("labor.transferred_east_poverty_exited", 1),  # A (C in the east since 2020)
        ("labor.average_wage", Decimal("4000.00")),  # (A 5000 + B 3000) / 2; D has no wage
        ("labor.job_fairs", 2),
        ("labor.jobs_offered", 1500),  # 1000 + 500
        ("labor.intentions", 160),  # 100 + 60
        ("labor.hired", 55),  # 30 + 25
        ("labor.hired_stable", 30),  # 20 + 10
        ("labor.courses", 3),
        ("labor.trainees", 78),  # 20 + 18 + 40
        ("labor.certified", 63),  # 18 + 15 + 30
        ("labor.employed_after_training", 31),  # 10 + 9 + 12
        ("labor.advanced_courses", 2),
        ("labor.advanced_trainees", 38),  # 20 + 18
        ("labor.ecommerce_trainees", 40),
        ("labor.factories", 3),  # FA, FC, FE
        ("labor.factory_jobs", 100),  # 50 + 40 + 10
        ("labor.factory_jobs_poverty_exited", 50),  # 20 + 25 + 5
    ],
)
def test_figure_for_the_year(labour_2021, partnership, key, expected):
    assert value(key, partnership) == expected


@pytest.mark.parametrize(
    ("key", "town", "expected"),
    [
        ("labor.transferred", DAHE, 2),  # A, D
        ("labor.transferred", XIANHE, 1),  # B
        ("labor.stable", XIANHE, 1),  # C
        ("labor.average_wage", XIANHE, Decimal("3000.00")),  # B
        ("labor.jobs_offered", DAHE, 1000),
        ("labor.trainees", DAHE, 60),  # 20 + 40
        ("labor.factories", DAHE, 2),  # FA, FE
        ("labor.factory_jobs_poverty_exited", XIANHE, 25),  # FC (FB closed)
    ],
)
def test_each_figure_narrowed_to_a_town_is_the_hand_worked_value(
    labour_2021, partnership, key, town, expected
):
    assert value(key, partnership, town=town) == expected


@pytest.mark.parametrize(
    ("key", "month", "expected"),
    [
        ("labor.transferred", 3, 2),  # A (1 March), D (15 March)
        ("labor.transferred", 5, 1),  # B
        ("labor.transferred", 6, 0),  # A's June spell is not his first of the year
        ("labor.average_wage", 3, Decimal("5000.00")),  # A; D has no wage
        ("labor.intentions", 11, 60),
        ("labor.employed_after_training", 8, 12),
        ("labor.factory_jobs", 8, 40),  # FC opened in August 2021
    ],
)
def test_each_figure_narrowed_to_a_month_is_the_hand_worked_value(
    labour_2021, partnership, key, month, expected
):
    assert value(key, partnership, month=month) == expected


def test_stable_has_no_monthly_figure(labour_2021, partnership):
    assert value("labor.stable", partnership, month=3) is None


def test_one_worker_with_three_spells_counts_once(labour_2021, partnership):
    # Worker A has three spells starting in 2021; he is one of the 3 transferred persons.
    assert labour_2021["a"].employments.count() == 3
    assert value("labor.transferred", partnership, town=DAHE, month=3) == 2  # A and D


def test_figures_of_another_year(labour_2021, partnership):
    # 2020: only C started (1 July 2020), 184 days in 2020 → stable.
    assert value("labor.transferred", partnership, year=2020) == 1
    assert value("labor.stable", partnership, year=2020) == 1
    assert value("labor.job_fairs", partnership, year=2020) == 1


def _more_rows(partnership, n):
    day = datetime.date(2021, 4, 1)
    for i in range(n):
        worker = WorkerFactory(partnership=partnership, home_town_id=DAHE)
        # the transfer's three destinations in turn: east, home province, none recorded
        destination = (WUJIN, HANBIN, None)[i % 3]
        EmploymentFactory(
            worker=worker, start_date=day, end_date=day.replace(month=9), destination_id=destination
        )
        EmploymentFactory(
            worker=worker,
            start_date=day.replace(month=10),
            end_date=None,
            destination_id=destination,
        )
        JobFairFactory(partnership=partnership, date=day, town_id=DAHE)
        kind = ("advanced", "ecommerce")[i % 2]
        TrainingCourseFactory(partnership=partnership, start_date=day, town_id=DAHE, kind=kind)
        CommunityFactoryFactory(partnership=partnership, town_id=DAHE, opened_on=day)


def test_each_figure_is_one_query_whatever_the_rows(partnership, django_assert_num_queries):
    dahe = Region.objects.get(code=DAHE)
    for rows in (4, 50):
        _more_rows(partnership, rows)
        for key in LABOUR_KEYS:
            month = 4 if registry[key].by_month else None
            with django_assert_num_queries(1, info=key):
                figure = registry[key].value(partnership, 2021, town=dahe, month=month)
            assert figure, key  # the rows were counted, not skipped


def test_every_labour_figure_documents_its_computation():
    assert LABOUR_KEYS  # registered by labor/indicators.py
    for key in LABOUR_KEYS:
        indicator = registry[key]
        assert len(indicator.description) > 10, key
        assert indicator.list_url is not None, key


@pytest.mark.parametrize(
    ("key", "town", "month", "expected"),
    [
        # A east, B home (汉滨区), D elsewhere (深圳), E home (西安), F elsewhere (none):
        # east 1 + home 2 + elsewhere 2 = the 5 transferred
        ("labor.transferred", None, None, 5),
        ("labor.transferred_east", None, None, 1),  # A (his 深圳 spell: east comes first)
        ("labor.transferred_home", None, None, 2),  # B, E
        ("labor.transferred_elsewhere", None, None, 2),  # D, F (Q's worker left out)
        ("labor.transferred_home_poverty_exited", None, None, 1),  # E (B is 一般户)
        ("labor.transferred_elsewhere_poverty_exited", None, None, 1),  # F (D is 监测对象)
        ("labor.transferred_home", XIANHE, None, 2),  # B and E live in 县河镇
        ("labor.transferred_elsewhere", DAHE, None, 2),  # D and F live in 大河镇
        ("labor.transferred_home", None, 10, 1),  # E, October
        ("labor.transferred_elsewhere", None, 3, 1),  # D, March
        ("labor.transferred_elsewhere_poverty_exited", None, 11, 1),  # F, November
    ],
)
def test_the_transferred_by_destination(labour_destinations, partnership, key, town, month,
                                         expected):  # fmt: skip
    assert value(key, partnership, town=town, month=month) == expected


def test_the_other_partnership_has_its_own_destinations(labour_destinations, other_partnership):
    # Q: the labour_2021 stranger (武进区: Jiangsu, Q's eastern province) and one without a
    # destination
    assert value("labor.transferred_east", other_partnership) == 1
    assert value("labor.transferred_elsewhere", other_partnership) == 1
    assert value("labor.transferred_elsewhere_poverty_exited", other_partnership) == 1
    assert value("labor.transferred_home", other_partnership) == 0


@pytest.mark.parametrize(
    ("starts", "expected"),
    [
        ([], ""),
        ([(None, None, None, True, True)], rules.EAST),  # east comes first
        ([(None, None, None, False, True), (None, None, None, False, False)], rules.HOME),
        ([(None, None, None, False, False)], rules.ELSEWHERE),
    ],
)
def test_one_destination_per_person(starts, expected):
    assert rules.destination_of(starts) == expected


def test_the_home_province_is_the_western_countys():
    # 汉滨区 610902: 西安 610102 and 汉滨区 itself are in Shaanxi; 武进区 and a blank are not
    assert rules.in_home_province("610102", "610902")
    assert rules.in_home_province("610902001", "610902")
    assert not rules.in_home_province("320412", "610902")
    assert not rules.in_home_province(None, "610902")
