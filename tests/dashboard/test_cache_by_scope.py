"""Caches by scope (cooperation/freshness.py): a write of a partnership's record throws away
the cached pages of that partnership and of the roll-ups holding it, and nothing else; a
write of a record of no partnership (a region, a partnership) throws away every page; a
rolled-back write throws away nothing, and its version is never used again."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from cooperation import freshness
from cooperation.dashboard import scopes
from cooperation.models import DataVersion, Region
from labor.models import Employment
from labor.services import rebuild_worker_years
from projects.models import Project, ProjectProgress
from projects.resources import ProjectResource
from tests.conftest import CSRF, YEAR
from tests.cooperation.factories import OrganisationFactory, VisitFactory
from tests.dashboard.helpers import cards
from tests.imports.conftest import PROJECT_HEAD, TEA, file_bytes, import_file
from tests.labor.factories import EmploymentFactory, WorkerFactory
from tests.places import HANYIN_CHENGGUAN, LAOCHENG
from tests.projects.factories import ProjectFactory, second_partnership

pytestmark = pytest.mark.usefixtures("empty_cache")


@pytest.fixture
def a(partnership):
    ProjectFactory(partnership=partnership, fund_year=YEAR, aid_funds=Decimal("100"))
    VisitFactory(partnership=partnership, date=datetime.date(YEAR, 4, 1), people=7)
    return partnership


@pytest.fixture
def b(db):
    other = second_partnership()
    ProjectFactory(partnership=other, fund_year=YEAR, town_id=HANYIN_CHENGGUAN)
    ProjectFactory(partnership=other, fund_year=YEAR, town_id=HANYIN_CHENGGUAN)
    return other


def dashboard(client, partnership):
    response = client.get(
        reverse("cooperation:dashboard"), {"partnership": partnership.pk, "year": YEAR}
    )
    assert response.status_code == 200
    return response


def chart(client, partnership, key="by-town"):
    url = reverse("cooperation:chart_svg", args=[key])
    response = client.get(url, {"partnership": partnership.pk, "year": YEAR})
    assert response.status_code == 200
    return response


def rendered(response):
    """Was the page rendered now (a template ran), rather than served from the cache?"""
    return response.context is not None


def from_cache(client, partnership, django_assert_num_queries, before):
    """The partnership's dashboard, served from the cache: one query (its version), no
    template, the very page cached before."""
    with django_assert_num_queries(1):
        response = dashboard(client, partnership)
    assert not rendered(response)
    assert page(response) == page(before)
    return response


def page(response):
    """The page, less its CSRF token (masked anew for every request)."""
    return CSRF.sub(b"", response.content)


def projects_card(response):
    return cards(response)["funds.projects"].actual


# --- pages -----------------------------------------------------------------------------------


def test_a_write_in_one_partnership_leaves_the_others_page_cached(
    client, a, b, django_assert_num_queries
):
    first_a, first_b = dashboard(client, a), dashboard(client, b)
    assert projects_card(first_a) == 1 and projects_card(first_b) == 2
    from_cache(client, a, django_assert_num_queries, first_a)

    with transaction.atomic():
        ProjectFactory(partnership=a, fund_year=YEAR)

    from_cache(client, b, django_assert_num_queries, first_b)
    again_a = dashboard(client, a)
    assert rendered(again_a) and projects_card(again_a) == 2
    # And a write in B, through an update of a record, leaves A's new page alone.
    visit = VisitFactory(partnership=b, date=datetime.date(YEAR, 5, 1))
    from_cache(client, a, django_assert_num_queries, again_a)
    visit.people = 99
    visit.save()
    from_cache(client, a, django_assert_num_queries, again_a)
    assert rendered(dashboard(client, b))


def test_the_charts_are_cached_by_partnership_too(client, a, b, django_assert_num_queries):
    svg_a, svg_b = chart(client, a), chart(client, b)
    with transaction.atomic():
        ProjectFactory(partnership=a, fund_year=YEAR, town_id=LAOCHENG, aid_funds=Decimal("7"))
    with django_assert_num_queries(1):
        assert chart(client, b).content == svg_b.content
    assert chart(client, a).content != svg_a.content


@pytest.mark.parametrize("write", ["region", "partnership", "organisation"])
def test_a_write_of_a_record_of_no_partnership_renews_every_page(client, a, b, write):
    first_a = dashboard(client, a)
    dashboard(client, b)
    with transaction.atomic():
        if write == "region":
            town = Region.objects.get(code=LAOCHENG)
            town.name = "老城新街道"
            town.save()
        elif write == "partnership":
            a.note = "备注"
            a.save()
        else:
            OrganisationFactory(name="新单位")
    again_a, again_b = dashboard(client, a), dashboard(client, b)
    assert rendered(again_a) and rendered(again_b)
    if write == "region":
        assert "老城新街道" in again_a.content.decode()
        assert "老城新街道" not in first_a.content.decode()


def test_a_rolled_back_write_changes_nothing_and_its_version_is_never_used_again(
    client, a, b, django_assert_num_queries
):
    first_a = dashboard(client, a)
    version = freshness.scope_version([a.pk])
    with pytest.raises(RuntimeError), transaction.atomic():
        ProjectFactory(partnership=a, fund_year=YEAR)
        inside = dashboard(client, a)  # cached under the transaction's own version
        assert projects_card(inside) == 2
        rolled_back = freshness.scope_version([a.pk])
        raise RuntimeError("rolled back")

    assert freshness.scope_version([a.pk]) == version
    from_cache(client, a, django_assert_num_queries, first_a)
    # The next write, with other data behind it, gets a version of its own: the page cached
    # inside the rolled-back transaction is never served.
    with transaction.atomic():
        Project.objects.filter(partnership=a).update(aid_funds=Decimal("5"))
        freshness.bump_data_version(partnerships=[a.pk])
    assert freshness.scope_version([a.pk]) not in (version, rolled_back)
    again = dashboard(client, a)
    assert rendered(again) and projects_card(again) == 1
    assert cards(again)["funds.aid"].actual == Decimal("5")


def test_a_page_is_keyed_by_the_partnerships_of_its_scope(client, a, b):
    factory = RequestFactory()
    ids = scopes.partnership_ids_of
    assert ids(factory.get("/", {"partnership": a.pk})) == (a.pk,)
    assert ids(factory.get("/", {"partnership": f" {a.pk} "})) == (a.pk,)
    assert set(ids(factory.get("/", {"east": a.east_region_id[:2]}))) >= {a.pk}
    for value in ["abc", "0", "-1", "1.5", "9" * 30]:  # the page answers 404: nation's version
        assert ids(factory.get("/", {"partnership": value})) is None
    assert ids(factory.get("/", {"nation": "1"})) is None
    # The default page shows the first partnership: a write elsewhere leaves it cached,
    # a write in it renews it.
    url = reverse("cooperation:dashboard")
    client.get(url, {"year": YEAR})
    with transaction.atomic():
        ProjectFactory(partnership=b, fund_year=YEAR, town_id=HANYIN_CHENGGUAN)
    assert not rendered(client.get(url, {"year": YEAR}))
    with transaction.atomic():
        ProjectFactory(partnership=a, fund_year=YEAR)
    assert rendered(client.get(url, {"year": YEAR}))


# --- the versions ----------------------------------------------------------------------------


def versions(*scopes):
    return [freshness.scope_version(s) for s in scopes]


def test_a_write_changes_its_partnership_its_roll_ups_and_the_nation_only(a, b):
    c = second_partnership().__class__.objects.create(
        east_region=Region.objects.get(code="320413"),
        west_region=Region.objects.get(code="610925"),
        since_year=2017,
    )
    scopes = [[a.pk], [b.pk], [c.pk], [a.pk, b.pk], [b.pk, c.pk], [], None]
    before = versions(*scopes)
    with transaction.atomic():
        VisitFactory(partnership=a)
    after = versions(*scopes)
    changed = [x != y for x, y in zip(before, after, strict=True)]
    # A, the roll-up A+B and the nation; not B, C, B+C nor the global version alone.
    assert changed == [True, False, False, True, False, False, True]
    assert freshness.data_version() == after[-1]


def test_reading_a_version_is_one_query(a, b, django_assert_num_queries):
    with django_assert_num_queries(1):
        freshness.scope_version([a.pk, b.pk])
    with django_assert_num_queries(1):
        freshness.data_version()


def test_within_a_request_the_rows_read_once_answer_every_scope_they_cover(
    a, b, django_assert_num_queries
):
    outside = versions([a.pk], [], [b.pk], None)
    freshness._request_memo.versions = {}  # as during a request (request_started)
    try:
        with django_assert_num_queries(1):
            assert freshness.scope_version([a.pk]) == outside[0]
            assert freshness.scope_version([]) == outside[1]  # covered by A's read
        with django_assert_num_queries(1):
            assert freshness.scope_version([b.pk]) == outside[2]
        with django_assert_num_queries(1):
            assert freshness.data_version() == outside[3]
            assert freshness.scope_version([a.pk, b.pk]) == freshness.scope_version(
                [a.pk, b.pk], using="default"
            )
        # A write in the request forgets them all.
        VisitFactory(partnership=a)
        with django_assert_num_queries(1):
            assert freshness.scope_version([a.pk]) != outside[0]
            assert freshness.scope_version([]) == outside[1]
    finally:
        freshness._request_memo.versions = None
    assert versions([a.pk, b.pk]) == [freshness.scope_version([b.pk, a.pk])]


def test_every_save_bumps_and_a_partnership_gets_its_row_on_its_first_write(a, b):
    counters = dict(DataVersion.objects.values_list("partnership_id", "counter"))
    assert b.pk in counters
    with transaction.atomic():
        for _ in range(3):
            VisitFactory(partnership=b)
    now = dict(DataVersion.objects.values_list("partnership_id", "counter"))
    assert now[b.pk] == counters[b.pk] + 3
    assert now[a.pk] == counters[a.pk] and now[DataVersion.GLOBAL] == counters[DataVersion.GLOBAL]


def test_a_record_moved_to_another_partnership_changes_both(a, b):
    project = Project.objects.filter(partnership=a).get()
    before = versions([a.pk], [b.pk])
    project.partnership = b
    project.save()
    after = versions([a.pk], [b.pk])
    assert before[0] != after[0] and before[1] != after[1]
    # A save that does not move it leaves the other partnership alone.
    before = after
    project.name = "改名"
    project.save()
    after = versions([a.pk], [b.pk])
    assert before[0] == after[0] and before[1] != after[1]


def test_employments_and_progress_notes_belong_to_their_parents_partnership(a, b):
    worker_a = WorkerFactory(partnership=a)
    worker_b = WorkerFactory(partnership=b, home_town_id=HANYIN_CHENGGUAN)
    project = Project.objects.filter(partnership=a).get()

    before = versions([a.pk], [b.pk])
    employment = EmploymentFactory(worker=worker_a)
    ProjectProgress.objects.create(
        project=project, date=datetime.date(YEAR, 6, 1), text="开工", percent_complete=10
    )
    after = versions([a.pk], [b.pk])
    assert before[0] != after[0] and before[1] == after[1]

    employment.worker = worker_b  # moved to B's worker: both partnerships
    employment.save()
    moved = versions([a.pk], [b.pk])
    assert moved[0] != after[0] and moved[1] != after[1]

    employment.delete()
    deleted = versions([a.pk], [b.pk])
    assert deleted[0] == moved[0] and deleted[1] != moved[1]


def test_deleting_a_worker_with_employments_changes_its_partnership_only(a, b):
    worker = WorkerFactory(partnership=a)
    EmploymentFactory.create_batch(2, worker=worker)
    before = versions([a.pk], [b.pk], [])
    worker.delete()
    after = versions([a.pk], [b.pk], [])
    assert after[0] != before[0] and after[1:] == before[1:]
    assert not Employment.objects.filter(worker_id=worker.pk).exists()


# --- the bulk paths --------------------------------------------------------------------------


def test_the_labour_rebuild_bumps_the_partnerships_of_its_workers(a, b):
    worker = WorkerFactory(partnership=a)
    Employment.objects.bulk_create(
        [Employment(worker=worker, employer="武进电子厂", start_date=datetime.date(YEAR, 3, 1))]
    )
    before = versions([a.pk], [b.pk], [])
    rebuild_worker_years([worker.pk])
    after = versions([a.pk], [b.pk], [])
    assert after[0] != before[0] and after[1:] == before[1:]


def test_partnerships_of_a_batch_for_the_bulk_writers(a, b):
    worker = WorkerFactory(partnership=a)
    employment = EmploymentFactory(worker=worker)
    project = Project.objects.filter(partnership=a).get()
    assert freshness.partnerships_of([]) == set()
    assert freshness.partnerships_of([project, *Project.objects.filter(partnership=b)]) == {
        a.pk,
        b.pk,
    }
    assert freshness.partnerships_of([employment]) == {a.pk}  # through its worker
    assert freshness.partnerships_of([Region.objects.get(code=LAOCHENG)]) == {None}
    project.partnership = b  # moved in memory, not yet written
    assert freshness.partnerships_of([project]) == {b.pk}
    assert freshness.partnerships_of([project], stored=True) == {a.pk, b.pk}


def test_bump_data_version_with_partnerships_and_without(a, b):
    before = versions([a.pk], [b.pk], [])
    freshness.bump_data_version(partnerships=[b.pk])
    middle = versions([a.pk], [b.pk], [])
    assert middle[0] == before[0] and middle[1] != before[1] and middle[2] == before[2]
    freshness.bump_data_version()  # no partnership named: the global version, in every scope
    after = versions([a.pk], [b.pk], [])
    assert all(x != y for x, y in zip(middle, after, strict=True))
    freshness.bump_data_version(partnerships=[])
    assert versions([a.pk], [b.pk], []) == after


def test_an_import_of_one_partnerships_projects_leaves_the_other_alone(a, b):
    before = versions([a.pk], [b.pk], [])
    result = import_file(ProjectResource, file_bytes([PROJECT_HEAD, TEA], "utf-8"))
    assert result.ok, result.messages
    after = versions([a.pk], [b.pk], [])
    assert after[0] != before[0] and after[1:] == before[1:]
    # Imported again, changed: an update in bulk, of A's project only.
    changed = [*TEA]
    changed[PROJECT_HEAD.index("受益人数")] = "999"
    import_file(ProjectResource, file_bytes([PROJECT_HEAD, changed], "utf-8"))
    again = versions([a.pk], [b.pk], [])
    assert again[0] != after[0] and again[1:] == after[1:]


@pytest.mark.parametrize("params", [{"east": "32", "west": "61"}, {"nation": "1"}])
def test_a_cached_rollup_page_is_one_query_and_a_write_beneath_renews_it(
    client, a, b, django_assert_num_queries, params
):
    """Which partnerships an area holds is cached under the global version, so a warm
    roll-up reads only the versions (one query) and builds no list of partnerships."""
    url = reverse("cooperation:dashboard")
    first = client.get(url, {**params, "year": YEAR})
    assert rendered(first)
    with django_assert_num_queries(1):
        again = client.get(url, {**params, "year": YEAR})
    assert not rendered(again) and page(again) == page(first)
    with transaction.atomic():
        ProjectFactory(partnership=b, fund_year=YEAR, town_id=HANYIN_CHENGGUAN)
    renewed = client.get(url, {**params, "year": YEAR})
    assert rendered(renewed)
    assert projects_card(renewed) == projects_card(first) + 1
