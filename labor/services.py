"""Writes of the labour app that span several models: the per-worker, per-year facts.

`WorkerYear` rows are maintained state derived from a worker and his employments. They are
rebuilt in bulk, a fixed number of queries per chunk of workers whatever their spells:

    rebuild_worker_years(worker_ids)          # after a bulk import, inside its transaction

Single saves and deletes (admin, shell, services) rebuild through `labor.signals`, inside
the transaction of the write. Code that saves many records one by one (an importer) can
collect the workers and rebuild once at the end:

    with transaction.atomic(), deferred_worker_year_rebuild():
        ...  # saves; every touched worker is rebuilt once when the block ends
"""

import datetime
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Employment, Worker, WorkerYear

CHUNK_SIZE = 2000
DAYS_PER_MONTH = 30  # "a month" of STABLE_EMPLOYMENT_MONTHS, everywhere in the labour figures
_CENT = Decimal("0.01")

_deferred: ContextVar[set | None] = ContextVar("labor_deferred_rebuild", default=None)


def stable_days():
    """Employed days within a year from which a worker counts as stably employed."""
    return settings.STABLE_EMPLOYMENT_MONTHS * DAYS_PER_MONTH


def _chunks(ids, size):
    ids = sorted(set(ids))
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


@transaction.atomic
def rebuild_worker_years(worker_ids, *, today=None, chunk_size=CHUNK_SIZE):
    """Recompute the WorkerYear rows of these workers; return the number of rows written.

    Per chunk of workers: one query for the workers, one for their employments (ordered by
    worker), the facts computed in Python per worker, one DELETE and one bulk INSERT of the
    rows (plus at most two UPDATEs when a stored `Employment.in_east` is out of date, e.g.
    after a `bulk_create` that bypassed `save()`). Ids of deleted workers are fine: their
    rows are simply removed."""
    today = today or timezone.localdate()
    written = 0
    partnerships = set()  # whose figures change: their cached pages must go
    for chunk in _chunks(worker_ids, chunk_size):
        workers = {
            row[0]: row
            for row in Worker.objects.filter(pk__in=chunk)
            .order_by()
            .values_list(
                "id", "partnership_id", "partnership__east_region_id", "home_town_id", "household"
            )
        }
        partnerships.update(row[1] for row in workers.values())
        spells = defaultdict(list)
        employments = (
            Employment.objects.filter(worker_id__in=chunk)
            .order_by("worker_id", "start_date", "id")
            .values_list(
                "id",
                "worker_id",
                "destination_id",
                "start_date",
                "end_date",
                "monthly_wage",
                "in_east",
            )
        )
        fix_east, fix_not_east = [], []
        for pk, worker_id, dest, start, end, wage, stored_east in employments:
            worker = workers.get(worker_id)
            if worker is None:
                continue
            east = bool(dest) and dest.startswith(worker[2][:2])
            if east != stored_east:
                (fix_east if east else fix_not_east).append(pk)
            spells[worker_id].append((start, end, wage, east))
        if fix_east:
            Employment.objects.filter(pk__in=fix_east).update(in_east=True)
        if fix_not_east:
            Employment.objects.filter(pk__in=fix_not_east).update(in_east=False)

        rows = [
            (worker_id, partnership_id, year, home_town_id, household, *facts)
            for worker_id, (_, partnership_id, _east, home_town_id, household) in workers.items()
            for year, facts in years_of(spells.get(worker_id, []), today)
        ]
        WorkerYear.objects.filter(worker_id__in=chunk).delete()
        _insert_rows(rows)
        written += len(rows)
    _bump_data_version(partnerships)
    return written


def _bump_data_version(partnerships):
    """Figures of these partnerships cached under their old data version must not be
    served again: bump it inside this transaction (see cooperation/freshness.py)."""
    try:
        from cooperation.freshness import bump_data_version
    except ImportError:  # no cache layer in this checkout: nothing to invalidate
        return
    bump_data_version(partnerships=partnerships)


# The columns of a WorkerYear row, in the order `years_of` gives the facts.
COLUMNS = ("worker_id", "partnership_id", "year", "home_town_id", "household")
FACTS = (
    "transferred",
    "transferred_month",
    "transferred_east",
    "in_east",
    "employed_days",
    "stable",
    "monthly_wage",
)


def years_of(spells, today):
    """[(year, facts), …] of one worker from his spells [(start, end or None, wage, in_east)],
    facts in the order of FACTS.

    A spell belongs to every year from its start to its end (an open spell: to today's
    year). Within a year it covers max(start, 1 Jan) to min(end, 31 Dec, today), both days
    included; overlapping spells are merged before counting, so a day counts once."""
    by_year = defaultdict(list)
    for spell in spells:
        start, end = spell[0], spell[1]
        last = min(end, today) if end else today
        for year in range(start.year, max(start.year, last.year) + 1):
            by_year[year].append(spell)

    needed = stable_days()
    result = []
    for year, year_spells in sorted(by_year.items()):
        first, last = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
        starts = [s for s in year_spells if s[0].year == year]
        wages = [s[2] for s in year_spells if s[2] is not None]
        days = _covered_days([(max(s[0], first), min(s[1] or last, last)) for s in year_spells])
        wage = (sum(wages) / len(wages)).quantize(_CENT, ROUND_HALF_UP) if wages else None
        result.append(
            (
                year,
                (
                    bool(starts),
                    min(s[0] for s in starts).month if starts else None,
                    any(s[3] for s in starts),
                    any(s[3] for s in year_spells),
                    days,
                    days >= needed,
                    wage,
                ),
            )
        )
    return result


def _insert_rows(rows):
    """Write WorkerYear rows given as tuples (COLUMNS + FACTS): with COPY on PostgreSQL
    (several times faster than INSERT for an import of 100,000 workers), else bulk_create."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        from cooperation.pgcopy import copy_rows, copy_text

        text = "".join("\t".join(map(copy_text, row)) + "\n" for row in rows)
        with connection.cursor() as cursor:
            copy_rows(cursor, WorkerYear._meta.db_table, COLUMNS + FACTS, text)
        return
    names = COLUMNS + FACTS
    WorkerYear.objects.bulk_create(
        (WorkerYear(**dict(zip(names, row, strict=True))) for row in rows), batch_size=5000
    )


def _covered_days(intervals):
    """Days covered by the union of inclusive date intervals (empty ones ignored)."""
    total, reach = 0, None
    for start, end in sorted(i for i in intervals if i[0] <= i[1]):
        if reach is not None and start <= reach:
            if end > reach:
                total += (end - reach).days
                reach = end
        else:
            total += (end - start).days + 1
            reach = end
    return total


@contextmanager
def deferred_worker_year_rebuild(today=None):
    """Within the block, saves and deletes only note the worker; each noted worker is rebuilt
    once when the block ends (in bulk). Use it inside the importer's transaction."""
    if _deferred.get() is not None:  # nested: the outer block rebuilds
        yield _deferred.get()
        return
    pending = set()
    token = _deferred.set(pending)
    try:
        yield pending
    finally:
        _deferred.reset(token)
    rebuild_worker_years(pending, today=today)


def worker_years_changed(worker_ids):
    """Called by the signals: rebuild now, or note the workers inside a deferred block."""
    ids = {i for i in worker_ids if i is not None}
    pending = _deferred.get()
    if pending is not None:
        pending.update(ids)
    elif ids:
        rebuild_worker_years(ids)


def workers_needing_daily_rebuild(today=None):
    """Ids of workers whose facts change as days pass: a spell open or ending on or after
    1 January of last year (the current year's employed days grow until 31 December, and a
    new year needs its rows)."""
    today = today or timezone.localdate()
    since = datetime.date(today.year - 1, 1, 1)
    return (
        Employment.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
        .order_by("worker_id")
        .values_list("worker_id", flat=True)
        .distinct()
    )
