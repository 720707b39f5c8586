"""`manage.py rebuild_worker_years`: catches up with the passing of time."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from labor.models import WorkerYear
from tests.labor.factories import EmploymentFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def test_current_rebuilds_workers_with_open_spells(partnership):
    this_year = timezone.localdate().year
    open_spell = WorkerFactory(partnership=partnership)
    EmploymentFactory(worker=open_spell, start_date=datetime.date(this_year - 1, 5, 1))
    finished = WorkerFactory(partnership=partnership)
    EmploymentFactory(
        worker=finished,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2019, 12, 31),
    )
    # As if the rows had been built last year: this year's row is missing.
    WorkerYear.objects.filter(year=this_year).delete()
    WorkerYear.objects.filter(worker=finished).update(employed_days=0)

    call_command("rebuild_worker_years", "--current", stdout=io.StringIO())

    assert WorkerYear.objects.filter(worker=open_spell, year=this_year).exists()
    # The spell that ended in 2019 is not part of the daily run.
    assert WorkerYear.objects.get(worker=finished).employed_days == 0


def test_full_rebuild_restores_every_row(partnership):
    worker = WorkerFactory(partnership=partnership)
    EmploymentFactory(
        worker=worker, start_date=datetime.date(2019, 1, 1), end_date=datetime.date(2019, 12, 31)
    )
    WorkerYear.objects.all().delete()
    call_command("rebuild_worker_years", stdout=io.StringIO())
    assert WorkerYear.objects.get(worker=worker).employed_days == 365
