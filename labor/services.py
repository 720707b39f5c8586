"""Writes of the labour app that span several models: the per-worker, per-year facts.

`WorkerYear` rows are maintained state derived from a worker and his employments by the
rules of `labor.rules` (`years_of`, `in_eastern_province`). This module is their only
writer. They are rebuilt in bulk, a fixed number of queries per chunk of workers whatever
their spells:

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

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cooperation.freshness import bump_data_version
from cooperation.pgcopy import copy_rows, copy_text

from .models import Employment, Worker, WorkerYear
from .rules import FACTS, in_eastern_province, in_home_province, years_of

CHUNK_SIZE = 2000

_deferred: ContextVar[set | None] = ContextVar("labor_deferred_rebuild", default=None)


def _chunks(ids, size):
    ids = sorted(set(ids))
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


@transaction.atomic
def rebuild_worker_years(worker_ids, *, today=None, chunk_size=CHUNK_SIZE):
    """Recompute the WorkerYear rows of these workers; return the number of rows written.

    Per chunk of workers: one query for the workers, one for their employments (ordered by
    worker), the facts computed per worker by `labor.rules.years_of`, one DELETE and one bulk
    write of the rows (COPY on PostgreSQL, INSERT elsewhere). At most two UPDATEs more when a
    stored `Employment.in_east` is out of date (a `bulk_create` that bypassed `save()`). Ids
    of deleted workers are fine: their rows are simply removed."""
    today = today or timezone.localdate()
    written = 0
    partnerships = set()  # whose figures change: their cached pages must go
    for chunk in _chunks(worker_ids, chunk_size):
        workers = {
            row[0]: row
            for row in Worker.objects.filter(pk__in=chunk)
            .order_by()
            .values_list(
                "id",
                "partnership_id",
                "partnership__east_region_id",
                "partnership__west_region_id",
                "home_town_id",
                "household",
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
            east = in_eastern_province(dest, worker[2])
            if east != stored_east:
                (fix_east if east else fix_not_east).append(pk)
            spells[worker_id].append((start, end, wage, east, in_home_province(dest, worker[3])))
        if fix_east:
            Employment.objects.filter(pk__in=fix_east).update(in_east=True)
        if fix_not_east:
            Employment.objects.filter(pk__in=fix_not_east).update(in_east=False)

        rows = [
            (worker_id, partnership_id, year, home_town_id, household, *facts)
            for worker_id, (_, partnership_id, _e, _w, home_town_id, household) in workers.items()
            for year, facts in years_of(spells.get(worker_id, []), today)
        ]
        WorkerYear.objects.filter(worker_id__in=chunk).delete()
        _insert_rows(rows)
        written += len(rows)
    # Figures of these partnerships cached under their old data version must not be served
    # again: bumped inside this transaction (see cooperation/freshness.py).
    bump_data_version(partnerships=partnerships)
    return written


# The columns of a WorkerYear row before its facts (`labor.rules.FACTS`).
COLUMNS = ("worker_id", "partnership_id", "year", "home_town_id", "household")


def _insert_rows(rows):
    """Write WorkerYear rows given as tuples (COLUMNS + FACTS): with COPY on PostgreSQL
    (several times faster than INSERT for an import of 100,000 workers), else bulk_create."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        text = "".join("\t".join(map(copy_text, row)) + "\n" for row in rows)
        with connection.cursor() as cursor:
            copy_rows(cursor, WorkerYear._meta.db_table, COLUMNS + FACTS, text)
        return
    names = COLUMNS + FACTS
    WorkerYear.objects.bulk_create(
        (WorkerYear(**dict(zip(names, row, strict=True))) for row in rows), batch_size=5000
    )


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
