"""Every figure and chart grouping runs the same number of queries (one) with 10 rows as with
200."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.dashboard.indicators import registry
from cooperation.models import Region
from projects.models import Project
from tests.places import LAOCHENG, XINCHENG
from tests.projects.conftest import PROJECT_KEYS
from tests.projects.factories import (
    ConsumptionSaleFactory,
    DemonstrationVillageFactory,
    DisbursementFactory,
    DonationFactory,
    IndustrialParkYearFactory,
    InvestmentFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def add_rows(partnership, n, start=0):
    """n rows of each kind in 2021, spread over two towns, months and statuses."""
    for i in range(start, start + n):
        town = LAOCHENG if i % 2 else XINCHENG
        month = i % 12 + 1
        project = ProjectFactory(
            partnership=partnership,
            town_id=town,
            status="cancelled" if i % 5 == 0 else "building",
        )
        DisbursementFactory(project=project, amount=i % 3 + 1)
        InvestmentFactory(
            partnership=partnership,
            town_id=town,
            enterprise=f"企业{i % 7}",
            signed_on=datetime.date(2021, month, 1 + i // 12 % 28),
        )
        ConsumptionSaleFactory(partnership=partnership, town_id=town, month=month)
        DonationFactory(partnership=partnership, town_id=town, date=datetime.date(2021, month, 1))
        year = IndustrialParkYearFactory(park__partnership=partnership, park__town_id=town)
        InvestmentFactory(partnership=partnership, town_id=town, park=year.park)
        village = Region.objects.filter(level=5, code__startswith="610902").order_by("code")[i]
        DemonstrationVillageFactory(partnership=partnership, village_id=village.code)


def queries_of(func):
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def figure_calls(partnership, town):
    calls = {}
    for key in sorted(PROJECT_KEYS):
        ind = registry[key]
        calls[key] = lambda ind=ind: ind.value(partnership, 2021)
        calls[f"{key}@town"] = lambda ind=ind: ind.value(partnership, 2021, town=town)
        if ind.by_month:
            calls[f"{key}@month"] = lambda ind=ind: ind.value(partnership, 2021, month=3)
    p = partnership
    calls.update(
        {
            "aid_funds_by_year": lambda: Project.objects.for_partnership(p).aid_funds_by_year(),
            "aid_funds_by_town": lambda: Project.objects.for_partnership(p).aid_funds_by_town(2021),
            "aid_funds_by_category": lambda: Project.objects.for_partnership(
                p
            ).aid_funds_by_category(2021),
        }
    )
    return calls


def test_every_figure_runs_one_query_with_10_and_with_200_rows(partnership):
    town = Region.objects.get(code=LAOCHENG)
    calls = figure_calls(partnership, town)
    add_rows(partnership, 10)
    with_10 = {name: queries_of(call) for name, call in calls.items()}
    add_rows(partnership, 190, start=10)
    with_200 = {name: queries_of(call) for name, call in calls.items()}
    assert with_10 == with_200
    assert set(with_200.values()) == {1}
    # and the rows are really there: 200 projects of which 40 cancelled (every fifth)
    assert registry["funds.projects"].value(partnership, 2021) == 160
