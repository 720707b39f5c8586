"""The fast CSV path (PostgreSQL) writes exactly the bytes of the general path."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from cooperation.lists import exports, fastcsv
from labor import idcard
from labor.models import Employment, Worker
from labor.views import employment_list, worker_list
from tests.labor.factories import DAHE, WorkerFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast path is PostgreSQL's"),
]

TRICKY = [
    "=cmd|' /C calc'!A0",
    "+1",
    "-2",
    "@SUM(A1)",
    "\tTab",
    "a,b",
    'say "hi"',
    "two\nlines",
    "unit\x1fseparator",
    "C:\\path\\to",
    "韩廷勤",
    "",
]


def both(spec, qs, unmasked=False):
    headers = [str(c.label) for c in spec.columns]
    built = fastcsv.cells_sql(spec, qs, unmasked=unmasked)
    assert built is not None
    fast = "".join(fastcsv.csv_chunks(built, headers, qs.db))
    slow = "".join(exports.csv_chunks(headers, spec.stream_rows(qs, unmasked=unmasked)))
    return fast, slow


@pytest.fixture
def tricky_workers(partnership):
    for n, name in enumerate(TRICKY):
        worker = WorkerFactory(
            partnership=partnership, name=name, phone="" if n % 3 == 0 else f"1381234{n:04d}"
        )
        Employment.objects.create(
            worker=worker,
            employer=name or "某厂",
            job=TRICKY[-n - 1],
            destination_id="320412" if n % 2 else None,
            destination_text="" if n % 2 else "浙江省义乌市",
            start_date=datetime.date(2021, 3, n + 1),
            end_date=datetime.date(2021, 9, 1) if n % 2 else None,
            monthly_wage=Decimal("4500.50") if n % 4 else None,
            channel="organised",
        )
    Worker.objects.filter(name="").update(home_town_id=None)
    return worker_list.queryset().order_by("pk")


@pytest.mark.parametrize("unmasked", [False, True])
def test_workers_export_is_byte_for_byte_the_general_one(tricky_workers, unmasked):
    fast, slow = both(worker_list, tricky_workers, unmasked)
    assert fast == slow
    assert fast.startswith("\ufeff") and "'=cmd" in fast


@pytest.mark.parametrize("unmasked", [False, True])
def test_employments_export_is_byte_for_byte_the_general_one(tricky_workers, unmasked):
    fast, slow = both(
        employment_list, employment_list.queryset().order_by("-start_date", "pk"), unmasked
    )
    assert fast == slow
    assert '"a,b"' in fast and '"say ""hi"""' in fast


def test_a_chunk_without_special_cells_takes_the_joined_text(partnership):
    WorkerFactory.create_batch(3, partnership=partnership, home_town_id=DAHE)
    fast, slow = both(worker_list, worker_list.queryset().order_by("pk"))
    assert fast == slow and fast.count("\r\n") == 4  # header + 3 rows


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "1",
        "12345",
        "123456789",
        "12345678901",
        idcard.make("610902", datetime.date(1990, 1, 2), 7),
        "韩廷勤",
        "欧阳",
        "138-1234",
    ],
)
def test_sql_masks_equal_the_python_masks(value):
    with connection.cursor() as cursor:
        for mask, template in fastcsv._mask_sql().items():
            sql = "SELECT " + template.format(v="%s::text")
            cursor.execute(sql, [value] * template.count("{v}"))
            assert cursor.fetchone()[0] == mask(value), mask


def test_projects_export_with_its_place_column_is_byte_for_byte_the_general_one(partnership):
    from projects.views import project_list
    from tests.projects.factories import ProjectFactory

    ProjectFactory(partnership=partnership, name="=HYPERLINK(x)", place_text="关山镇, 魏埭村")
    ProjectFactory(partnership=partnership, name="茶园", aid_funds=Decimal("1234.5"))
    fast, slow = both(project_list, project_list.queryset().order_by("pk"))
    assert fast == slow and "'=HYPERLINK" in fast


def test_a_download_stopped_halfway_leaves_the_connection_usable(tricky_workers, monkeypatch):
    monkeypatch.setattr(fastcsv, "CHUNK", 1)  # a block per row
    built = fastcsv.cells_sql(worker_list, tricky_workers)
    chunks = fastcsv.csv_chunks(built, ["h"] * len(worker_list.columns), tricky_workers.db)
    assert next(chunks).startswith("\ufeff")
    next(chunks)  # the first row: the COPY is running in its thread
    chunks.close()  # the client went away
    assert Worker.objects.count() == len(TRICKY)
