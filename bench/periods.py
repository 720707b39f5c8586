"""Pages of one year beside the same pages over a period (`since`), cold cache, median of 5
requests through Django's test client (no server, no network).

    DATABASE_URL=postgres://…/coop_period DEBUG=1 .venv/bin/python manage.py shell < bench/periods.py

on a database filled by `manage.py load_demo --scale N`. Figures: docs/performance.md,
"Periods"."""

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

YEAR, SINCE, WORKERS_SINCE = 2021, 2017, 2019
PAGES = [
    "/?partnership=1",
    "/?nation=1",
    "/projects/?",
    "/postings/?on_post_in_year=1",
    "/factories/?",
    "/labor/workers/?transferred=1",
]

user = get_user_model().objects.filter(is_superuser=True).first()
if user is None:
    user = get_user_model().objects.create_superuser("bench-periods", password="bench-12345-pw")
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)


def median_seconds(path):
    times = []
    for _ in range(5):
        cache.clear()
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times)


print(
    f"{'one year':>9} {'period':>9}  page (year {YEAR}; period from {SINCE}, workers {WORKERS_SINCE})"
)
for page in PAGES:
    since = WORKERS_SINCE if page.startswith("/labor/workers/") else SINCE
    one = median_seconds(f"{page}&year={YEAR}")
    period = median_seconds(f"{page}&year={YEAR}&since={since}")
    print(f"{one:8.3f}s {period:8.3f}s  {page}")
