"""At most EXPORT_MAX_CONCURRENT exports at once in all and EXPORT_MAX_PER_CLIENT per client
(cooperation/lists/export_limit.py); beyond them 429 with a Chinese message and Retry-After. A slot
is free again when its export is read to the end, closed, fails, or expires.

An export "in progress" is served in a thread of its own, as another worker thread of the
server would serve it, and held after its first chunk: a thread that starts an export
releases what its own earlier exports still hold (a server closes every response before the
next request of the thread)."""

import threading
import time
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

import cooperation.settings
from cooperation.lists.export_limit import client_key, limit_exports
from cooperation.lists.listing import ListSpec
from tests.conftest import ALL_LISTS

pytestmark = pytest.mark.django_db

CSV = reverse("projects:projects_export", args=["csv"])
XLSX = reverse("projects:projects_export", args=["xlsx"])


@pytest.fixture(autouse=True)
def no_slots_taken():
    caches["exports"].clear()
    yield
    caches["exports"].clear()


@pytest.fixture
def one_export_in_all(settings):
    settings.EXPORT_MAX_CONCURRENT = 1
    settings.EXPORT_MAX_PER_CLIENT = 1


class ExportInAnotherThread:
    """An export from `address`, served in a thread of its own, read up to its first chunk
    and held there until `finish("read")` reads it to the end or `finish("close")` closes it
    (the visitor went away mid-download)."""

    def __init__(self, url, address):
        self.url, self.address = url, address
        self.status = self.error = self.how = None
        self.started, self.go = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self.serve)
        self.thread.start()
        assert self.started.wait(10)
        assert self.status == 200, (self.status, self.error)

    def serve(self):
        try:
            response = Client(REMOTE_ADDR=self.address).get(self.url)
            self.status = response.status_code
            chunks = iter(response.streaming_content)
            next(chunks)
            self.started.set()
            self.go.wait(10)
            if self.how == "read":
                b"".join(chunks)
            else:
                response.close()
        except Exception as exc:
            self.error = exc
        finally:
            self.started.set()
            connection.close()

    def finish(self, how):
        self.how = how
        self.go.set()
        self.thread.join(10)
        assert self.error is None, self.error


class InAnotherThread:
    """`function` called in a thread of its own; `outcome()` waits for it and returns
    {"value": what it returned} or {"error": what it raised}."""

    def __init__(self, function):
        self.function = function
        self.result = {}
        self.thread = threading.Thread(target=self.run)
        self.thread.start()

    def run(self):
        try:
            self.result["value"] = self.function()
        except Exception as exc:
            self.result["error"] = exc
        finally:
            connection.close()

    def outcome(self):
        self.thread.join(20)
        return self.result


def export_status(url, address):
    """The status of an export (read to the end, so that it frees its slot)."""
    response = Client(REMOTE_ADDR=address).get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def test_a_second_export_while_one_is_in_progress_gets_429(one_export_in_all):
    first = ExportInAnotherThread(CSV, "10.0.0.1")

    response = Client(REMOTE_ADDR="10.0.0.2").get(XLSX)

    first.finish("close")
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "导出的人太多，请稍后再试（同时最多 1 个导出）。" in page
    assert "<h1>请稍后再试</h1>" in page
    assert "东西部协作台账" in page  # the site's layout


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", ALL_LISTS)
def test_every_list_export_is_limited(one_export_in_all, name, fmt):
    first = ExportInAnotherThread(CSV, "10.0.0.1")

    status = Client(REMOTE_ADDR="10.0.0.2").get(reverse(f"{name}_export", args=[fmt])).status_code

    first.finish("close")
    assert status == 429


@pytest.mark.parametrize("how", ["read", "close"])
def test_the_slot_is_free_again_once_the_export_is_read_or_closed(one_export_in_all, how):
    first = ExportInAnotherThread(CSV, "10.0.0.1")
    assert export_status(CSV, "10.0.0.2") == 429

    first.finish(how)

    assert export_status(CSV, "10.0.0.2") == 200


def test_one_client_may_not_run_more_exports_than_its_own_limit(settings):
    settings.EXPORT_MAX_CONCURRENT = 4
    settings.EXPORT_MAX_PER_CLIENT = 1
    first = ExportInAnotherThread(CSV, "10.0.0.1")

    same_client = Client(REMOTE_ADDR="10.0.0.1").get(XLSX)
    other_client = export_status(XLSX, "10.0.0.2")

    first.finish("close")
    assert same_client.status_code == 429
    assert (
        "您已有导出正在进行（每人同时最多 1 个），请等它完成后再试。"
        in same_client.content.decode()
    )
    assert same_client["Retry-After"] == "30"
    assert other_client == 200


def plain_request(address="10.0.0.1", user=None, **headers):
    request = RequestFactory().get(CSV, REMOTE_ADDR=address, headers=headers)
    request.user = user or AnonymousUser()
    return request


def test_a_signed_in_user_is_one_client_from_any_address(official, clerk):
    assert client_key(plain_request("10.0.0.1", official)) == client_key(
        plain_request("10.0.0.2", official)
    )
    assert client_key(plain_request(user=official)) != client_key(plain_request(user=clerk))


def test_an_anonymous_client_is_its_address(monkeypatch):
    assert client_key(plain_request("10.0.0.1")) != client_key(plain_request("10.0.0.2"))
    monkeypatch.setattr(cooperation.settings, "PROXY_COUNT", 1)  # behind one proxy:
    assert client_key(plain_request("10.9.9.9", x_forwarded_for="203.0.113.5")) != client_key(
        plain_request("10.9.9.9", x_forwarded_for="203.0.113.6")
    )


def test_a_slot_expires(one_export_in_all, settings):
    settings.EXPORT_SLOT_SECONDS = 1  # as if the worker serving `first` had been killed
    first = ExportInAnotherThread(CSV, "10.0.0.1")
    assert export_status(CSV, "10.0.0.2") == 429

    time.sleep(1.1)

    assert export_status(CSV, "10.0.0.2") == 200
    first.finish("close")


@pytest.fixture
def failing_rows(monkeypatch):
    """Every list's rows (the general path, also on PostgreSQL): one row, then they wait
    for `.fail` and raise; `.reached` tells that the export got there."""
    steps = SimpleNamespace(reached=threading.Event(), fail=threading.Event())

    def stream_rows(self, qs, *, unmasked=False):
        yield ["第一行"] * len(self.columns)
        steps.reached.set()
        steps.fail.wait(10)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ListSpec, "stream_rows", stream_rows)
    return steps


def test_a_csv_export_that_fails_midway_frees_its_slot(
    one_export_in_all, failing_rows, monkeypatch
):
    first = InAnotherThread(
        lambda: b"".join(Client(REMOTE_ADDR="10.0.0.1").get(CSV).streaming_content)
    )
    assert failing_rows.reached.wait(10)
    assert export_status(CSV, "10.0.0.2") == 429

    failing_rows.fail.set()

    assert isinstance(first.outcome().get("error"), RuntimeError)
    monkeypatch.undo()
    assert export_status(CSV, "10.0.0.2") == 200


def test_an_xlsx_export_that_fails_while_its_file_is_built_frees_its_slot(
    one_export_in_all, failing_rows, monkeypatch
):
    first = InAnotherThread(
        lambda: Client(REMOTE_ADDR="10.0.0.1", raise_request_exception=False).get(XLSX)
    )
    assert failing_rows.reached.wait(10)
    assert export_status(XLSX, "10.0.0.2") == 429

    failing_rows.fail.set()

    assert first.outcome()["value"].status_code == 500
    monkeypatch.undo()
    assert export_status(XLSX, "10.0.0.2") == 200


def test_a_stream_closed_before_its_first_chunk_frees_its_slot(one_export_in_all):
    """A generator closed before it started would not run its `finally`."""
    view = limit_exports(lambda request: StreamingHttpResponse(iter([b"a", b"b"])))

    response = InAnotherThread(lambda: view(plain_request("10.0.0.1"))).outcome()["value"]
    assert export_status(CSV, "10.0.0.2") == 429
    # Closed in a thread of its own: its request_finished signal closes that thread's database
    # connection, not the test's.
    InAnotherThread(response.close).outcome()

    assert export_status(CSV, "10.0.0.2") == 200


@pytest.mark.django_db(transaction=True)
def test_the_default_slots_live_in_a_table_made_by_migrate(settings):
    """Production keeps the slots in the database (EXPORT_CACHE_URL's default), so that
    every gunicorn worker and app server sees them; `migrate` made the table."""
    from django.core.management import call_command

    from cooperation.lists import export_limit

    settings.CACHES = {
        **settings.CACHES,
        "exports": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "export_slots",
        },
    }
    # (Django rebuilds its caches when CACHES changes.)
    assert caches["exports"].__class__.__name__ == "DatabaseCache"
    call_command("migrate", verbosity=0)  # nothing to migrate: post_migrate makes the table
    first = export_limit.take_slot("all", 1)
    assert first is not None
    assert export_limit.take_slot("all", 1) is None  # the one slot is taken
    first.release()
    assert export_limit.take_slot("all", 1) is not None
