"""Roll-up scopes above the county: every list filtered by `east` / `west`, the code of the
province (2 digits), city (4) or county (6) that a partnership's eastern / western county lies
in (cooperation.lists.filters.area_filter), as the city, province and national dashboards link.

Four partnerships, each with a different number of records in every list, so that the row
count of a list names the partnerships it holds (1, 2, 4 and 8 rows: every subset sums
differently):

    A  武进区 320412 (常州市 3204, 江苏 32) — 汉滨区 610902 (安康市 6109, 陕西 61)   1 row
    B  江阴市 320281 (无锡市 3202, 江苏 32) — 蓝田县 610122 (西安市 6101, 陕西 61)   2 rows
    C  新北区 320411 (常州市 3204, 江苏 32) — 汉阴县 610921 (安康市 6109, 陕西 61)   4 rows
    D  上城区 330102 (杭州市 3301, 浙江 33) — 兴义市 522301 (黔西南州 5223, 贵州 52) 8 rows
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from cooperation.models import Region
from tests.conftest import ALL_LISTS
from tests.cooperation.factories import (
    CadreTrainingFactory,
    PairingFactory,
    PartnershipFactory,
    PostingFactory,
    VisitFactory,
    region,
)
from tests.dashboard.conftest import MAX_LIST_QUERIES
from tests.dashboard.helpers import footer, read_csv
from tests.labor.factories import (
    CommunityFactoryFactory,
    EmploymentFactory,
    JobFairFactory,
    TrainingCourseFactory,
    WorkerFactory,
)
from tests.projects.factories import (
    ConsumptionSaleFactory,
    DemonstrationVillageFactory,
    DonationFactory,
    IndustrialParkFactory,
    IndustrialParkYearFactory,
    InvestmentFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

PAIRS = {
    "A": ("320412", "610902"),
    "B": ("320281", "610122"),
    "C": ("320411", "610921"),
    "D": ("330102", "522301"),
}
ROWS = {"A": 1, "B": 2, "C": 4, "D": 8}
MESSAGE = "地区代码应为2位（省）、4位（市）或6位（县）数字。"
# As in test_lists.py: session, user and permissions, the filter choice lists, the footer
# aggregate, the page of rows, extra figures of some lists and the data version.


def _town(county):
    """A town of the county; the regions loaded have towns of Jiangsu and Shaanxi only, so
    D's records take one of 汉滨区 (the lists read the partnership, not the town)."""
    towns = Region.objects.filter(level=Region.Level.TOWN).order_by("code")
    town = towns.filter(parent_id=county).first() or towns.filter(parent_id="610902").first()
    return town.code


def _next_year(n=[1900]):  # noqa: B006 - a counter shared by the calls
    """A year no demonstration village of the test has yet (one per village and year)."""
    n[0] += 1
    return n[0]


def _records(name, p, n):
    """n records of partnership p in the list `name` (placed in its western county)."""
    town = _town(p.west_region_id)
    orgs = {"east_org__region": p.east_region, "west_org__region": p.west_region}
    makers = {
        "cooperation:pairings": lambda: PairingFactory.create_batch(n, partnership=p, **orgs),
        "cooperation:postings": lambda: PostingFactory.create_batch(
            n, partnership=p, home_org__region=p.east_region, host_org__region=p.west_region
        ),
        "cooperation:visits": lambda: VisitFactory.create_batch(n, partnership=p),
        "cooperation:cadre_trainings": lambda: CadreTrainingFactory.create_batch(n, partnership=p),
        "projects:projects": lambda: ProjectFactory.create_batch(n, partnership=p, town_id=town),
        "projects:investments": lambda: InvestmentFactory.create_batch(
            n, partnership=p, town_id=town
        ),
        "projects:sales": lambda: ConsumptionSaleFactory.create_batch(
            n, partnership=p, town_id=town
        ),
        "projects:donations": lambda: DonationFactory.create_batch(n, partnership=p, town_id=town),
        "projects:parks": lambda: IndustrialParkFactory.create_batch(
            n, partnership=p, town_id=town
        ),
        "projects:park_jobs": lambda: IndustrialParkYearFactory.create_batch(
            n, park__partnership=p, park__town_id=town
        ),
        # the loaded regions have villages of 汉滨区 only: every partnership takes one of them
        "projects:villages": lambda: [
            DemonstrationVillageFactory(partnership=p, year=_next_year()) for _i in range(n)
        ],
        "labor:job_fairs": lambda: JobFairFactory.create_batch(n, partnership=p, town_id=town),
        "labor:courses": lambda: TrainingCourseFactory.create_batch(n, partnership=p, town_id=town),
        "labor:factories": lambda: CommunityFactoryFactory.create_batch(
            n, partnership=p, town_id=town
        ),
        "labor:workers": lambda: WorkerFactory.create_batch(n, partnership=p, home_town_id=town),
        "labor:employments": lambda: EmploymentFactory.create_batch(
            n, worker__partnership=p, worker__home_town_id=town
        ),
    }
    return makers[name]()


@pytest.fixture
def partnerships(db):
    return {
        key: PartnershipFactory(east_region=region(east), west_region=region(west))
        for key, (east, west) in PAIRS.items()
    }


@pytest.fixture
def lists(partnerships, staff_client, name):
    """The list under test (the test's `name`) holds ROWS[key] records of each partnership."""
    for key, p in partnerships.items():
        _records(name, p, ROWS[key])
    return partnerships


def _count(client, name, params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200, response.content.decode()[:2000]
    rows = footer(response)["rows"]
    assert len(response.context["rows"]) == rows  # all on the first page
    return rows


SCOPES = [
    ({}, "ABCD"),
    ({"east": "32"}, "ABC"),  # 江苏省 (the province side of a province pair)
    ({"east": "3204"}, "AC"),  # 常州市
    ({"east": "320412"}, "A"),  # 武进区 itself
    ({"east": "3204", "west": "6109"}, "AC"),  # the city pair 常州市—安康市
    ({"east": "32", "west": "61"}, "ABC"),  # the province pair 江苏省—陕西省
    ({"west": "61"}, "ABC"),  # 陕西省 side only
    ({"west": "6101"}, "B"),  # 西安市
    ({"east": "33"}, "D"),
    ({"east": "3204", "west": "6101"}, ""),  # no partnership is in both
    ({"east": "11"}, ""),  # a province with no partnership
    ({"east": " 3204 "}, "AC"),  # spaces around a pasted code are dropped
]


@pytest.mark.parametrize("name", ALL_LISTS)
def test_each_list_rolls_up_to_the_scope_given(client, lists, name):
    for params, keys in SCOPES:
        expected = sum(ROWS[k] for k in keys)
        assert _count(client, name, params) == expected, (params, keys)


@pytest.mark.parametrize("name", ALL_LISTS)
def test_a_partnership_and_a_scope_both_apply(client, lists, name):
    a, b = lists["A"].pk, lists["B"].pk
    assert _count(client, name, {"partnership": a, "east": "3204"}) == ROWS["A"]
    assert _count(client, name, {"partnership": b, "east": "3204"}) == 0
    assert _count(client, name, {"partnership": b, "west": "61"}) == ROWS["B"]


BAD_CODES = ["3", "abc", "3204x", "32041", "3204121", "610902001", "３２", "32%", "32\n04"]


@pytest.mark.parametrize("name", ALL_LISTS)
@pytest.mark.parametrize("side", ["east", "west"])
def test_a_bad_code_shows_the_message_and_no_rows(client, lists, name, side):
    for code in BAD_CODES:
        response = client.get(reverse(name), {side: code})
        assert response.status_code == 400, code
        assert MESSAGE in response.content.decode(), code
        assert response.context["rows"] == [], code


@pytest.mark.parametrize("name", ALL_LISTS)
def test_a_bad_code_in_an_export_is_a_400_with_the_message(client, lists, name):
    url = reverse(f"{name}_export", args=["csv"])
    for code in ("3", "abc", "3204x"):
        response = client.get(url, {"east": code})
        assert response.status_code == 400, code
        text = response.content.decode()
        assert MESSAGE in text and "东部地区" in text, code  # the filter's label, then why


@pytest.mark.parametrize("name", ALL_LISTS)
def test_the_export_has_the_rows_of_the_scope(client, lists, name):
    url = reverse(f"{name}_export", args=["csv"])
    response = client.get(url, {"east": "3204", "west": "6109"})
    assert response.status_code == 200
    assert len(read_csv(response)) - 1 == ROWS["A"] + ROWS["C"]  # the header, then the rows


@pytest.mark.parametrize("name", ALL_LISTS)
def test_a_scoped_list_runs_the_same_queries_for_few_and_many_rows(
    partnerships, staff_client, django_assert_max_num_queries, name
):
    params = {"east": "3204", "west": "6109"}
    _records(name, partnerships["A"], 3)
    _records(name, partnerships["B"], 3)  # out of the scope
    cache.clear()  # the filter form is cached once per filter: measure the pages cold
    with django_assert_max_num_queries(MAX_LIST_QUERIES) as few:
        assert _count(staff_client, name, params) == 3
    _records(name, partnerships["A"], 20)
    _records(name, partnerships["C"], 20)
    _records(name, partnerships["D"], 20)  # out of the scope
    cache.clear()
    with django_assert_max_num_queries(MAX_LIST_QUERIES) as many:
        assert _count(staff_client, name, params) == 43
    assert len(few) == len(many)
