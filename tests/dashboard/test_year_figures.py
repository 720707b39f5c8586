"""The yearly figures per partnership (cooperation/dashboard/facts.py) that roll-ups add up: computed
for the partnerships written since, never stale, and equal to the figures computed from
the records — sums, means (over every person, not a mean of means), durations — while a
person in two partnerships still counts once at a roll-up."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from cooperation.dashboard import facts, scopes
from cooperation.dashboard.indicators import evaluate, evaluate_by_partnership, refresh, registry
from cooperation.freshness import bump_data_version
from cooperation.models import YearFigure, YearFigureStamp
from projects.models import Project
from tests.conftest import YEAR
from tests.cooperation.factories import EastOrgFactory, PartnershipFactory, PostingFactory, region
from tests.labor.factories import EmploymentFactory, WorkerFactory
from tests.projects.factories import ProjectFactory, second_partnership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def nation():
    return scopes.from_request(RequestFactory().get("/", {"nation": "1"}))


@pytest.fixture
def two(partnership):
    """P (武进区—汉滨区) and Q (新北区—汉阴县), each with a project of the year."""
    q = second_partnership()
    ProjectFactory(partnership=partnership, aid_funds=Decimal("100.25"))
    ProjectFactory(partnership=q, aid_funds=Decimal("7"))
    return partnership, q


def test_the_first_rollup_computes_every_partnership_then_none(two):
    p, q = two
    assert refresh(nation(), YEAR) == sorted([p.pk, q.pk])
    assert refresh(nation(), YEAR) == []
    assert evaluate(nation(), YEAR)["funds.aid"] == Decimal("107.25")
    stored = YearFigure.objects.get(partnership=p, year=YEAR, key="funds.aid")
    assert stored.value == Decimal("100.25")


def test_a_write_recomputes_only_its_partnership(two):
    p, q = two
    refresh(nation(), YEAR)
    q_stamp = YearFigureStamp.objects.get(partnership=q, year=YEAR).token
    project = ProjectFactory(partnership=p, aid_funds=Decimal("5"))
    assert refresh(nation(), YEAR) == [p.pk]
    assert YearFigureStamp.objects.get(partnership=q, year=YEAR).token == q_stamp
    assert evaluate(nation(), YEAR)["funds.aid"] == Decimal("112.25")  # 100.25 + 5 + 7
    project.aid_funds = Decimal("1")
    project.save()
    assert evaluate(nation(), YEAR)["funds.aid"] == Decimal("108.25")
    project.delete()
    assert evaluate(nation(), YEAR)["funds.aid"] == Decimal("107.25")
    assert evaluate(nation(), YEAR)["funds.projects"] == 2


def test_a_bulk_write_that_bumps_the_version_is_seen(two):
    """Writes without signals (imports, the demo) bump the version themselves."""
    p, q = two
    assert evaluate(nation(), YEAR)["funds.aid"] == Decimal("107.25")
    Project.objects.filter(partnership=q).update(aid_funds=Decimal("9"))
    bump_data_version(partnerships=[q.pk])
    assert refresh(nation(), YEAR) == [q.pk]
    assert evaluate(nation(), YEAR)["funds.aid"] == Decimal("109.25")


def test_each_year_is_stamped_on_its_own(two):
    p, _q = two
    ProjectFactory(partnership=p, fund_year=2022, aid_funds=Decimal("3"))
    assert evaluate(nation(), 2022)["funds.aid"] == Decimal("3")
    assert refresh(nation(), YEAR) != []  # 2021 was never computed
    assert set(YearFigureStamp.objects.values_list("year", flat=True)) == {2021, 2022}


def test_a_person_posted_in_two_partnerships_counts_once_at_a_rollup(two):
    p, q = two
    home = EastOrgFactory(region=region("320412"))
    for partnership in (p, q):
        PostingFactory(partnership=partnership, person_name="张三", home_org=home,
                       direction="e2w", category="cadre", start_date=datetime.date(2021, 3, 1))  # fmt: skip
    PostingFactory(partnership=q, person_name="李四", home_org=home,
                   direction="e2w", category="cadre", start_date=datetime.date(2021, 4, 1))  # fmt: skip
    by_partnership = evaluate_by_partnership(nation(), YEAR)
    assert by_partnership[p.pk]["postings.cadres_e2w"] == 1
    assert by_partnership[q.pk]["postings.cadres_e2w"] == 2
    assert evaluate(nation(), YEAR)["postings.cadres_e2w"] == 2  # 张三 and 李四, not 3
    assert not registry["postings.cadres_e2w"].measure.summable


def test_a_rollup_mean_is_over_every_person_not_a_mean_of_means(two):
    p, q = two
    for partnership, wage in [(p, 3000), (p, 4000), (q, 8000)]:
        worker = WorkerFactory(partnership=partnership)
        EmploymentFactory(worker=worker, start_date=datetime.date(2021, 3, 1), monthly_wage=wage)
    by_partnership = evaluate_by_partnership(nation(), YEAR)
    assert by_partnership[p.pk]["labor.average_wage"] == Decimal("3500.00")
    assert by_partnership[q.pk]["labor.average_wage"] == Decimal("8000.00")
    # (3000 + 4000 + 8000) / 3 = 5000, where the mean of the two means would be 5750.
    assert evaluate(nation(), YEAR)["labor.average_wage"] == Decimal("5000.00")
    assert evaluate(nation(), YEAR)["labor.transferred"] == 3


def test_days_on_post_add_up_across_partnerships(two):
    p, q = two
    # On post in 2021: 1 Jan – 31 Mar (90 days) in P, 1 Jul – 31 Dec (184 days) in Q.
    PostingFactory(partnership=p, start_date=datetime.date(2020, 10, 1),
                   end_date=datetime.date(2021, 3, 31))  # fmt: skip
    PostingFactory(partnership=q, start_date=datetime.date(2021, 7, 1))
    by_partnership = evaluate_by_partnership(nation(), YEAR)
    assert by_partnership[p.pk]["postings.average_months"] == Decimal("3.0")  # 90 / 30
    assert by_partnership[q.pk]["postings.average_months"] == Decimal("6.1")  # 184 / 30
    # (90 + 184) / 2 / 30 = 4.57 → 4.6
    assert evaluate(nation(), YEAR)["postings.average_months"] == Decimal("4.6")


def test_a_partnership_without_records_stores_nothing_and_gets_zeros(two):
    empty = PartnershipFactory(east_region=region("320402"), west_region=region("610924"))
    values = evaluate_by_partnership(nation(), YEAR)[empty.pk]
    assert not YearFigure.objects.filter(partnership=empty).exists()
    assert YearFigureStamp.objects.filter(partnership=empty, year=YEAR).exists()
    assert values == evaluate(scopes.of_partnership(empty), YEAR)
    assert values["funds.aid"] == 0 and values["labor.average_wage"] == Decimal("0.00")


def test_a_refresh_runs_the_same_queries_for_one_or_many_stale_partnerships(two):
    p, q = two

    def refresh_queries():
        scope = nation()
        with CaptureQueriesContext(connection) as queries:
            refresh(scope, YEAR)
        return len(queries)

    refresh_queries()
    ProjectFactory(partnership=p)
    one = refresh_queries()
    for n in range(3):
        ProjectFactory(partnership=PartnershipFactory(east_region=region("320402"),
                                                      west_region=region(f"61092{n + 1}")))  # fmt: skip
    ProjectFactory(partnership=q)
    assert refresh_queries() == one


def test_stale_lists_the_partnerships_written_since_their_stamp(two):
    p, q = two
    assert set(facts.stale(None, YEAR)) == {p.pk, q.pk}
    refresh(nation(), YEAR)
    assert facts.stale(None, YEAR) == {}
    ProjectFactory(partnership=q)
    assert set(facts.stale([p.pk, q.pk], YEAR)) == {q.pk}
    assert facts.stale([p.pk], YEAR) == {}
