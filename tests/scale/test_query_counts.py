"""The annual summary, its export, and each chart's SVG and CSV run as many queries with 3
records of each kind as with 30 (the lists' and the dashboard's own query counts are pinned
with them: tests/dashboard/)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.dashboard import charts
from tests.conftest import YEAR
from tests.cooperation.factories import PairingFactory, PostingFactory
from tests.labor.factories import EmploymentFactory, WorkerFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def add(partnership, n):
    ProjectFactory.create_batch(n, partnership=partnership, fund_year=YEAR)
    PostingFactory.create_batch(n, partnership=partnership)
    PairingFactory.create_batch(n, partnership=partnership)
    for _ in range(n):
        EmploymentFactory(worker=WorkerFactory(partnership=partnership))


def pages(partnership):
    params = f"?partnership={partnership.pk}&year={YEAR}"
    urls = [reverse("cooperation:summary") + params]
    urls.append(reverse("cooperation:summary_export", args=["csv"]) + params)
    for chart in charts.registry:
        urls.append(reverse("cooperation:chart_svg", args=[chart.key]) + params)
        urls.append(reverse("cooperation:chart_export", args=[chart.key, "csv"]) + params)
    return urls


def counts(client, urls):
    cache.clear()  # the chart SVGs are cached: count the queries that compute them
    out = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url
        out[url] = len(queries)
    return out


def test_summary_and_chart_pages_run_the_same_queries_for_3_and_30_records(client, partnership):
    urls = pages(partnership)
    add(partnership, 3)
    small = counts(client, urls)
    add(partnership, 27)
    large = counts(client, urls)
    assert small == large
    assert all(n <= 60 for n in large.values()), large
