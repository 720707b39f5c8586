"""The national data generator (PostgreSQL only): valid records, and WorkerYear rows built
in SQL exactly as labor.services builds them in Python."""

import datetime

import pytest
from django.db import connection, transaction

from cooperation import national
from labor import idcard
from labor.models import Employment, Worker, WorkerYear
from labor.services import rebuild_worker_years

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the generator writes with PostgreSQL COPY"
    ),
]

TODAY = datetime.date(2026, 6, 15)
FACTS = [
    "worker_id",
    "partnership_id",
    "year",
    "home_town_id",
    "household",
    "transferred",
    "transferred_month",
    "transferred_east",
    "in_east",
    "employed_days",
    "stable",
    "monthly_wage",
]


@pytest.fixture
def small_national():
    # scale 0.003: 1 partnership (300 × 0.003 rounds to 1), 3,000 workers, 3,600 employments.
    return national.generate(scale=0.003, today=TODAY, log=lambda *a: None)


def test_it_writes_the_scaled_counts(small_national):
    assert Worker.objects.count() == 3000
    assert Employment.objects.count() == 3600
    assert small_national["workers"] == 3000


def test_the_first_partnership_is_wujin_and_hanbin(small_national):
    from cooperation.models import Partnership

    first = Partnership.objects.get(pk=1)
    assert (first.east_region_id, first.west_region_id) == ("320412", "610902")


def test_id_numbers_are_valid_and_match_birth_date_and_gender(small_national):
    for number, born, gender in Worker.objects.values_list("id_number", "birth_date", "gender")[
        :500
    ]:
        assert idcard.validate(number, today=TODAY) == number
        assert idcard.birth_date_of(number) == born
        assert idcard.gender_of(number) == gender


def test_worker_years_in_sql_equal_the_python_rebuild(small_national):
    from_sql = sorted(WorkerYear.objects.values_list(*FACTS))
    assert len(from_sql) > 3000  # spells span several years
    with transaction.atomic():
        rebuild_worker_years(Worker.objects.values_list("id", flat=True), today=TODAY)
        from_python = sorted(WorkerYear.objects.values_list(*FACTS))
    assert from_sql == from_python


def test_overlapping_spells_count_each_day_once(partnership):
    """Spells 1 Mar–31 May and 1 May–30 Jun 2025: 92 + 61 days, 31 of them (May) shared,
    so 122 days in 2025; the spell starting in March gives transferred_month 3."""
    worker = Worker.objects.create(
        partnership=partnership,
        name="测试",
        id_number=idcard.make("610902", datetime.date(1990, 1, 1), 11),
        household="exited",
    )
    for start, end in [((2025, 3, 1), (2025, 5, 31)), ((2025, 5, 1), (2025, 6, 30))]:
        Employment.objects.create(
            worker=worker,
            employer="某公司",
            start_date=datetime.date(*start),
            end_date=datetime.date(*end),
            channel="self",
        )
    with connection.cursor() as cursor:
        national.rebuild_worker_years_sql(cursor, worker_ids=[worker.pk], today=TODAY)
    row = WorkerYear.objects.get(worker=worker, year=2025)
    assert (row.employed_days, row.transferred_month, row.stable) == (122, 3, True)
