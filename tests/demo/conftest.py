"""The demo is loaded once for this package's tests (about 5 s), committed outside the
per-test transactions, and removed again when the package's tests are done, so that other
tests never see it."""

import io
import time

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from cooperation.models import (
    CadreTraining,
    Organisation,
    Pairing,
    Partnership,
    Posting,
    Target,
    Visit,
)
from labor.models import CommunityFactory, Employment, JobFair, TrainingCourse, Worker, WorkerYear
from projects.models import (
    ConsumptionSale,
    DemonstrationVillage,
    Disbursement,
    Donation,
    IndustrialPark,
    IndustrialParkYear,
    Investment,
    Project,
    ProjectProgress,
)

DEMO_APPS = ("cooperation", "projects", "labor")

# Children before parents.
RECORDS = [
    WorkerYear,
    Employment,
    Worker,
    JobFair,
    TrainingCourse,
    CommunityFactory,
    ProjectProgress,
    Disbursement,
    ConsumptionSale,
    Donation,
    Investment,
    IndustrialParkYear,
    IndustrialPark,
    DemonstrationVillage,
    Project,
    Target,
    Visit,
    CadreTraining,
    Posting,
    Pairing,
    Organisation,
    Partnership,
]


def record_models():
    """Every model of the three apps (history tables included) except the reference regions."""
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in DEMO_APPS and m._meta.model_name != "region"
    ]


def delete_records():
    """Every record and history row, in plain SQL: no signals, so no history rows and no
    WorkerYear rebuilds on the way. Bookkeeping rows made by migrations (e.g. the
    data-version row) stay."""
    history = [m for m in record_models() if m._meta.model_name.startswith("historical")]
    with connection.cursor() as cursor:
        for model in RECORDS + history:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@pytest.fixture(scope="package")
def demo_loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        started = time.perf_counter()
        call_command("load_demo", stdout=io.StringIO())
        print(f"load_demo: {time.perf_counter() - started:.1f} s")
        yield
        delete_records()


@pytest.fixture
def demo(demo_loaded, db):
    """The 武进–汉滨 demo partnership (each test runs in a transaction rolled back after it)."""
    return Partnership.objects.get(east_region_id="320412", west_region_id="610902")
