"""The per-worker, per-year facts (WorkerYear): semantics, edge cases, and how they are
kept current (same transaction, bulk rebuild)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction

from cooperation.models import Region
from labor import rules
from labor.models import Employment, Worker, WorkerYear
from labor.services import deferred_worker_year_rebuild, rebuild_worker_years
from tests.cooperation.factories import PartnershipFactory
from tests.labor.factories import EmploymentFactory, WorkerFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def facts(worker, year):
    return WorkerYear.objects.get(worker=worker, year=year)


def spell(worker, start, end=None, **fields):
    return EmploymentFactory(worker=worker, start_date=start, end_date=end, **fields)


# --- Employed days and stable employment (N = 3 months of 30 days = 90 days) ----------------


def test_a_spell_of_exactly_90_days_is_stable(partnership):
    worker = WorkerFactory(partnership=partnership)
    spell(worker, D(2021, 3, 1), D(2021, 5, 29))  # March 31 + April 30 + May 29 = 90 days
    assert (facts(worker, 2021).employed_days, facts(worker, 2021).stable) == (90, True)


def test_a_spell_of_89_days_is_not_stable(partnership):
    worker = WorkerFactory(partnership=partnership)
    spell(worker, D(2021, 3, 1), D(2021, 5, 28))  # 31 + 30 + 28 = 89 days
    assert (facts(worker, 2021).employed_days, facts(worker, 2021).stable) == (89, False)


def test_a_spell_crossing_the_new_year_is_split_between_the_years(partnership):
    worker = WorkerFactory(partnership=partnership)
    spell(worker, D(2021, 11, 1), D(2022, 2, 28))
    first, second = facts(worker, 2021), facts(worker, 2022)
    # 2021: November 30 + December 31 = 61 days; 2022: January 31 + February 28 = 59 days.
    assert (first.employed_days, first.stable, first.transferred) == (61, False, True)
    assert (second.employed_days, second.stable, second.transferred) == (59, False, False)


def test_overlapping_spells_count_each_day_once(partnership):
    worker = WorkerFactory(partnership=partnership)
    spell(worker, D(2021, 3, 1), D(2021, 4, 29))  # 31 + 29 = 60 days
    spell(worker, D(2021, 4, 1), D(2021, 5, 5))  # 30 + 5 = 35 days; added up: 95 (stable)
    # Union 1 March – 5 May: 31 + 30 + 5 = 66 days, short of 90.
    assert (facts(worker, 2021).employed_days, facts(worker, 2021).stable) == (66, False)


def test_a_spell_inside_another_adds_nothing(partnership):
    worker = WorkerFactory(partnership=partnership)
    spell(worker, D(2021, 1, 1), D(2021, 1, 31))  # 31 days
    spell(worker, D(2021, 1, 10), D(2021, 1, 20))  # inside it
    assert facts(worker, 2021).employed_days == 31


def test_an_open_spell_counts_until_today(partnership):
    worker = WorkerFactory(partnership=partnership)
    spell(worker, D(2021, 5, 1))
    rebuild_worker_years([worker.pk], today=D(2021, 7, 29))  # May 31 + June 30 + July 29 = 90
    assert (facts(worker, 2021).employed_days, facts(worker, 2021).stable) == (90, True)
    rebuild_worker_years([worker.pk], today=D(2021, 7, 28))  # one day short: 89
    assert (facts(worker, 2021).employed_days, facts(worker, 2021).stable) == (89, False)


def test_an_open_spell_gives_a_row_for_each_year_up_to_today(partnership):
    worker = WorkerFactory(partnership=partnership)
    spell(worker, D(2021, 5, 1))
    rebuild_worker_years([worker.pk], today=D(2022, 3, 1))
    days = dict(WorkerYear.objects.filter(worker=worker).values_list("year", "employed_days"))
    # 2021: 1 May – 31 December = 245 days; 2022: 1 January – 1 March = 31 + 28 + 1 = 60 days.
    assert days == {2021: 245, 2022: 60}


def test_the_number_of_stable_months_is_a_setting(partnership, settings):
    settings.STABLE_EMPLOYMENT_MONTHS = 6  # 6 × 30 = 180 days
    short, enough = WorkerFactory.create_batch(2, partnership=partnership)
    spell(short, D(2021, 1, 1), D(2021, 6, 28))  # 31+28+31+30+31+28 = 179 days
    spell(enough, D(2021, 1, 1), D(2021, 6, 29))  # one day more: 180 days
    assert (facts(short, 2021).employed_days, facts(short, 2021).stable) == (179, False)
    assert (facts(enough, 2021).employed_days, facts(enough, 2021).stable) == (180, True)


def test_stable_is_months_of_30_days(settings):
    settings.STABLE_EMPLOYMENT_MONTHS = 6
    assert (rules.stable_days(), rules.is_stable(180), rules.is_stable(179)) == (180, True, False)
    settings.STABLE_EMPLOYMENT_MONTHS = 3
    assert (rules.stable_days(), rules.is_stable(90), rules.is_stable(89)) == (90, True, False)


# --- Transfer, east, wage ------------------------------------------------------------------


def test_transferred_month_is_that_of_the_first_start_in_the_year(partnership):
    worker = WorkerFactory(partnership=partnership)
    spell(worker, D(2021, 6, 10), D(2021, 6, 30))
    spell(worker, D(2021, 3, 5), D(2021, 3, 31))
    assert (facts(worker, 2021).transferred, facts(worker, 2021).transferred_month) == (True, 3)


def test_continuing_spell_is_employment_but_not_a_transfer(partnership):
    worker = WorkerFactory(partnership=partnership)
    spell(worker, D(2020, 10, 1), D(2021, 6, 30), destination_id="320412")
    row = facts(worker, 2021)
    assert (row.transferred, row.transferred_month, row.in_east, row.transferred_east) == (
        False,
        None,
        True,  # employed in the east during 2021 ...
        False,  # ... but not transferred there in 2021
    )


def test_transferred_east_needs_a_spell_starting_in_the_year_in_the_east(partnership):
    worker = WorkerFactory(partnership=partnership)
    spell(worker, D(2020, 10, 1), D(2021, 6, 30), destination_id="320412")  # east, from 2020
    spell(worker, D(2021, 8, 1), D(2021, 9, 30), destination_id="610902")  # at home, 2021
    row = facts(worker, 2021)
    assert (row.transferred, row.in_east, row.transferred_east) == (True, True, False)


@pytest.mark.parametrize(
    ("destination", "east"),
    [
        ("320412", True),  # 武进区, the partnership's eastern county
        ("320412001", True),  # a town of it
        ("320102", True),  # 玄武区 (南京): another county of the same province, 江苏
        ("32", True),  # the province itself
        ("330206", False),  # 北仑区 (宁波): 浙江, another eastern province
        ("610902", False),  # 汉滨区: at home in the west
        (None, False),  # no destination in the code list
    ],
)
def test_in_the_east_means_in_the_eastern_countys_province(partnership, destination, east):
    """One rule (labor.rules.in_eastern_province) for a saved spell, the rebuilt facts and
    the rule itself."""
    assert partnership.east_region_id == "320412"
    assert rules.in_eastern_province(destination, partnership.east_region_id) is east
    worker = WorkerFactory(partnership=partnership)
    saved = spell(worker, D(2021, 3, 1), D(2021, 3, 31), destination_id=destination)
    assert Employment.objects.get(pk=saved.pk).in_east is east  # Employment.save
    row = facts(worker, 2021)
    assert (row.in_east, row.transferred_east) == (east, east)
    Employment.objects.filter(pk=saved.pk).update(in_east=not east)  # stored wrongly
    rebuild_worker_years([worker.pk])
    assert Employment.objects.get(pk=saved.pk).in_east is east  # repaired by the rebuild
    assert facts(worker, 2021).in_east is east


def test_the_eastern_province_is_that_of_the_workers_partnership(partnership):
    """The same two destinations, 武进区 (江苏) and 北仑区 (浙江): each is in the east for the
    partnership whose eastern county lies in its province, and only for that one."""
    ningbo = PartnershipFactory(east_region=Region.objects.get(code="330206"))  # 北仑区—汉滨区
    for p, in_east in ((partnership, [True, False]), (ningbo, [False, True])):
        worker = WorkerFactory(partnership=p)
        spell(worker, D(2021, 3, 1), D(2021, 3, 31), destination_id="320412")
        spell(worker, D(2021, 5, 1), D(2021, 5, 31), destination_id="330206")
        assert [s.in_east for s in worker.employments.order_by("start_date")] == in_east
        assert facts(worker, 2021).in_east is True


def test_monthly_wage_is_the_mean_of_the_years_spells_with_a_wage(partnership):
    worker = WorkerFactory(partnership=partnership)
    spell(worker, D(2021, 1, 1), D(2021, 3, 31), monthly_wage=Decimal("4000"))
    spell(worker, D(2021, 4, 1), D(2021, 6, 30), monthly_wage=Decimal("5001"))
    spell(worker, D(2021, 7, 1), D(2021, 9, 30), monthly_wage=None)
    assert facts(worker, 2021).monthly_wage == Decimal("4500.50")  # (4000 + 5001) / 2


def test_household_and_town_are_copied_from_the_worker(partnership):
    worker = WorkerFactory(
        partnership=partnership, household=Worker.Household.MONITORED, home_town_id="610902120"
    )
    spell(worker, D(2021, 3, 1), D(2021, 3, 31))
    row = facts(worker, 2021)
    assert (row.household, row.home_town_id, row.partnership_id) == (
        "monitored",
        "610902120",
        partnership.pk,
    )


# --- Kept current ---------------------------------------------------------------------------


def test_changing_the_worker_updates_his_rows(partnership):
    worker = WorkerFactory(partnership=partnership, household=Worker.Household.ORDINARY)
    spell(worker, D(2021, 3, 1), D(2021, 3, 31))
    worker.household = Worker.Household.POVERTY_EXITED
    worker.save()
    assert facts(worker, 2021).household == "exited"


def test_deleting_the_only_spell_removes_the_rows(partnership):
    worker = WorkerFactory(partnership=partnership)
    employment = spell(worker, D(2021, 3, 1), D(2021, 3, 31))
    employment.delete()
    assert not WorkerYear.objects.filter(worker=worker).exists()


def test_queryset_delete_of_spells_also_rebuilds(partnership):
    worker = WorkerFactory(partnership=partnership)
    spell(worker, D(2021, 3, 1), D(2021, 3, 31))
    Employment.objects.filter(worker=worker).delete()
    assert not WorkerYear.objects.filter(worker=worker).exists()


def test_moving_a_spell_to_another_worker_rebuilds_both(partnership):
    first, second = WorkerFactory.create_batch(2, partnership=partnership)
    employment = spell(first, D(2021, 3, 1), D(2021, 3, 31))
    employment = Employment.objects.get(pk=employment.pk)
    employment.worker = second
    employment.save()
    assert list(WorkerYear.objects.values_list("worker_id", "year")) == [(second.pk, 2021)]


def test_the_rows_are_written_in_the_transaction_of_the_save(partnership):
    worker = WorkerFactory(partnership=partnership)
    with pytest.raises(RuntimeError):  # noqa: PT012 - the rollback is the point
        with transaction.atomic():
            spell(worker, D(2021, 3, 1), D(2021, 3, 31))
            assert WorkerYear.objects.filter(worker=worker).count() == 1  # visible at once
            raise RuntimeError("the write fails later in the same transaction")
    assert not WorkerYear.objects.filter(worker=worker).exists()  # rolled back together


def test_deferred_rebuild_builds_each_worker_once_at_the_end(
    partnership, django_assert_num_queries
):
    worker = WorkerFactory(partnership=partnership)
    with deferred_worker_year_rebuild():
        spell(worker, D(2021, 3, 1), D(2021, 3, 31))
        spell(worker, D(2021, 4, 1), D(2021, 4, 30))
        assert not WorkerYear.objects.filter(worker=worker).exists()
    assert facts(worker, 2021).employed_days == 61  # 31 + 30


def test_rebuild_repairs_in_east_of_bulk_created_spells(partnership):
    worker = WorkerFactory(partnership=partnership)
    Employment.objects.bulk_create(
        [
            Employment(
                worker=worker,
                employer="x",
                destination_id="320412",
                start_date=D(2021, 3, 1),
                end_date=D(2021, 3, 31),
                channel="self",
            )
        ]
    )  # bulk_create bypasses save(): in_east stored as False
    rebuild_worker_years([worker.pk])
    assert Employment.objects.get(worker=worker).in_east is True
    assert facts(worker, 2021).in_east is True


def _make_workers(partnership, n):
    workers = WorkerFactory.create_batch(n, partnership=partnership)
    Employment.objects.bulk_create(
        Employment(
            worker=w,
            employer="x",
            start_date=D(2021, 1 + i % 12, 1),
            end_date=D(2021, 1 + i % 12, 20),
            channel="self",
        )
        for i, w in enumerate(workers)
        for _ in range(2)
    )
    return [w.pk for w in workers]


def _bumps(queries):
    """The data-version bumps among the queries (cooperation/freshness.py: one upsert)."""
    return sum("cooperation_dataversion" in q["sql"] for q in queries)


def _statements(queries):
    kinds = [q["sql"].split()[0] for q in queries if "cooperation_dataversion" not in q["sql"]]
    writes = ("INSERT", "COPY")
    return [k for k in kinds if k not in writes], sum(k in writes for k in kinds)


def test_bulk_rebuild_runs_a_fixed_number_of_queries(partnership, django_assert_max_num_queries):
    few, many = _make_workers(partnership, 5), _make_workers(partnership, 150)
    with django_assert_max_num_queries(10) as few_run:
        rebuild_worker_years(few)
    with django_assert_max_num_queries(10) as many_run:
        rows = rebuild_worker_years(many)
    # One bump of the partnership's data version per rebuild, whatever its size.
    assert _bumps(few_run.captured_queries) == _bumps(many_run.captured_queries) == 1
    # Savepoint, workers, employments, DELETE, release: the same for 5 and 150 workers.
    assert _statements(few_run.captured_queries)[0] == _statements(many_run.captured_queries)[0]
    assert _statements(many_run.captured_queries)[0] == [
        "SAVEPOINT",
        "SELECT",
        "SELECT",
        "DELETE",
        "RELEASE",
    ]
    # The rows: PostgreSQL takes them in one COPY per chunk; elsewhere one INSERT per batch,
    # as large as the backend allows (SQLite: 999 parameters a statement, 12 columns → 83
    # rows: 150 rows in 2 INSERTs).
    if connection.vendor == "postgresql":
        assert _statements(many_run.captured_queries)[1] == 1
    else:
        fields = [f for f in WorkerYear._meta.concrete_fields if f.name != "id"]
        batch = connection.ops.bulk_batch_size(fields, [None] * rows)
        assert _statements(many_run.captured_queries)[1] == -(-rows // batch) == 2


def test_bulk_rebuild_of_1000_workers_equals_single_saves(partnership):
    workers = WorkerFactory.create_batch(1000, partnership=partnership)
    for i, worker in enumerate(workers):  # saved one by one: the signals build the rows
        start = D(2020 + i % 3, 1 + i % 12, 1 + i % 28)
        spell(
            worker,
            start,
            start + datetime.timedelta(days=40 + i % 200),
            destination_id=("320412", "440305", None)[i % 3],
            monthly_wage=3000 + i,
        )
        if i % 4 == 0:
            spell(worker, start + datetime.timedelta(days=20), None, monthly_wage=None)
    columns = [f.attname for f in WorkerYear._meta.concrete_fields if f.name != "id"]
    by_saves = sorted(WorkerYear.objects.values_list(*columns))
    WorkerYear.objects.all().delete()

    written = rebuild_worker_years([w.pk for w in workers], chunk_size=300)

    assert written == len(by_saves) > 1000
    assert sorted(WorkerYear.objects.values_list(*columns)) == by_saves
