"""A change list answers only the filters it offers (cooperation/admin_site.py).

Django's admin would apply any lookup on a model's own fields from the query string, so a
领导, who sees workers only masked, could ask `?id_number=…` whether someone is registered
and recover an ID number digit by digit with `__startswith`. Here every parameter that the
page does not offer is a 400 naming it, before any query: the answer never depends on a
hidden value."""

import datetime
import re
from urllib.parse import parse_qsl, urlencode

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from labor.models import Employment, JobFair, Worker
from labor.privacy import PERSONAL_FIELDS
from tests.conftest import CSRF, admin_registry
from tests.labor.factories import EmploymentFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(partnership):
    worker = WorkerFactory(
        partnership=partnership,
        name="韩廷勤",
        birth_date=datetime.date(1975, 4, 5),
        note="家中有老人需照顾",
    )
    EmploymentFactory(worker=worker)
    return worker


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _values(field, true_value):
    """(the hidden value as a lookup would be written, another value of the same kind)."""
    if isinstance(true_value, datetime.date):
        return true_value.isoformat(), "2001-01-01"
    return str(true_value), "张三" if field == "name" else "0"


def _lookup_value(lookup, value, other):
    part = lookup.split("__")[0]
    if part in ("year", "month", "day"):  # of a date: "1975-04-05" → 1975, 4 or 5
        return str(int(value.split("-")[("year", "month", "day").index(part)]))
    if lookup in ("in", "range"):
        return f"{value},{other}" if lookup == "in" else f"{value},{value}"
    if lookup == "isnull":
        return "false"
    if lookup in ("regex", "iregex"):
        return re.escape(value)
    if lookup in ("startswith", "istartswith"):
        return value[:4]
    if lookup in ("endswith", "iendswith", "contains", "icontains"):
        return value[-3:]
    return value


def _lookups_of(model, field_name):
    field = model._meta.get_field(field_name)
    names = set(field.get_lookups())
    # Transforms such as __year of a date: their own lookups too.
    for name, transform in field.get_lookups().items():
        if hasattr(transform, "output_field") and name in ("year", "month", "day"):
            names |= {f"{name}__exact", f"{name}__gte", f"{name}__lt"}
    return sorted(names)


def _get(client, url, query):
    """GET with a query written plainly ("name=韩廷勤&id=1"), encoded as a browser would."""
    return client.get(url, QUERY_STRING=urlencode(parse_qsl(query, keep_blank_values=True)))


def _answer(client, url, query):
    response = _get(client, url, query)
    return response.status_code, CSRF.sub(b"", response.content)


PERSONAL_CASES = [
    (model, prefix, field)
    for model, prefix in ((Worker, ""), (Employment, "worker__"))
    for field in PERSONAL_FIELDS["worker"]
]


@pytest.mark.parametrize(
    "model,prefix,field",
    PERSONAL_CASES,
    ids=[f"{m._meta.model_name}-{p}{f}" for m, p, f in PERSONAL_CASES],
)
def test_personal_lookups_do_not_depend_on_the_hidden_value(model, prefix, field, person, official):
    """Every lookup Django knows for the field (exact, iexact, in, startswith, gte, lt,
    range, regex, isnull, year, …): the hidden value and another give the same answer."""
    client = _client(official)
    url = reverse(f"admin:labor_{model._meta.model_name}_changelist")
    value, other = _values(field, getattr(person, field))
    lookups = _lookups_of(Worker, field)
    assert {"exact", "iexact", "in", "gte", "lt", "range", "regex", "isnull"} <= set(lookups)
    for lookup in lookups:
        name = f"{prefix}{field}__{lookup}"
        hit = _answer(client, url, f"id=1&{name}={_lookup_value(lookup, value, other)}")
        miss = _answer(client, url, f"id=1&{name}={_lookup_value(lookup, other, value)}")
        assert hit == miss, name
        assert hit[0] == 400, name
        assert "不能按" in hit[1].decode(), name


@pytest.mark.parametrize("query", ["id_number=610902199907305846", "name=韩廷勤", "phone=1"])
def test_a_registered_person_cannot_be_confirmed_by_a_reviewer_either(query, person, reviewer):
    """Not even with the permission: the page offers no such filter (search is the way)."""
    response = _get(_client(reviewer), reverse("admin:labor_worker_changelist"), query)
    assert response.status_code == 400
    assert query.split("=")[0] in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "name__regex=(",
        "name__iregex=[",
        "note__regex=*",
        "id__range=1",
        "id__in=abc",
        "birth_date__year=1975",
        "household__gt=a",
        "partnership__east_region__name=武进区",
        "nonsense=1",
    ],
)
def test_lookups_that_used_to_give_a_500_are_a_400_with_a_message(query, person, official):
    response = _get(_client(official), reverse("admin:labor_worker_changelist"), query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "筛选条件无效" in page and "不能按" in page


def _admin_urls():
    return sorted(
        reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist")
        for m in admin_registry()
    )


@pytest.mark.parametrize("url", _admin_urls())
def test_every_change_list_refuses_a_filter_it_does_not_offer(url, admin_client):
    assert admin_client.get(url).status_code == 200
    response = admin_client.get(url, QUERY_STRING="pk__gte=1")
    assert response.status_code == 400


@pytest.mark.parametrize("url", _admin_urls())
def test_every_filter_a_change_list_offers_still_works(url, sample_records, admin_client):
    """Every link of the sidebar, the date hierarchy and the column headers (sorting), the
    search box, paging, the facets switch and a raw-id popup keep working."""
    page = admin_client.get(url).content.decode()
    queries = {q.replace("&amp;", "&") for q in re.findall(r'href="\?([^"#]*)"', page)}
    queries |= {"q=a", "p=1", "_facets=1", "_popup=1", "all="}
    for query in sorted(queries):
        response = admin_client.get(url, QUERY_STRING=query)
        assert response.status_code in (200, 302), (url, query, response.status_code)
        assert b"errornote" not in response.content or b"filter_not_offered" not in response.content


def test_the_date_hierarchy_still_narrows_the_list(sample_records, admin_client):
    fair = JobFair.objects.get()
    url = reverse("admin:labor_jobfair_changelist")
    same = admin_client.get(url, QUERY_STRING=f"date__year={fair.date.year}")
    other = admin_client.get(url, QUERY_STRING=f"date__year={fair.date.year - 1}")
    assert same.status_code == other.status_code == 200
    assert fair.name in same.content.decode()
    assert fair.name not in other.content.decode()


def test_no_column_a_official_can_sort_by_follows_a_hidden_name(partnership, official):
    """Sorting by any column (`?o=N`, ascending and descending) as 领导 gives an order that
    does not change when the workers' names are swapped: masked columns cannot be sorted."""
    first = WorkerFactory(partnership=partnership, name="阿一")
    second = WorkerFactory(partnership=partnership, name="赵二")
    client = _client(official)
    url = reverse("admin:labor_worker_changelist")
    columns = len(admin.site.get_model_admin(Worker).get_list_display(_request_as(official)))

    def orders():
        seen = []
        for n in range(columns):
            for sign in ("", "-"):
                html = client.get(url, {"o": f"{sign}{n}"}).content.decode()
                seen.append(
                    html.index(f"/{first.pk}/change/") < html.index(f"/{second.pk}/change/")
                )
        return seen

    before = orders()
    Worker.objects.filter(pk=first.pk).update(name="赵二")
    Worker.objects.filter(pk=second.pk).update(name="阿一")
    assert orders() == before


def _request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request
