"""Public lists: filters, sorting, paging, footer totals of the filtered rows, bad input."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import PUBLIC_LISTS, YEAR
from tests.cooperation.factories import (
    CadreTrainingFactory,
    PairingFactory,
    PostingFactory,
    VisitFactory,
)
from tests.dashboard.conftest import MAX_LIST_QUERIES
from tests.dashboard.helpers import footer, screen_rows
from tests.labor.factories import (
    CommunityFactoryFactory,
    EmploymentFactory,
    JobFairFactory,
    TrainingCourseFactory,
)
from tests.projects.factories import (
    ConsumptionSaleFactory,
    DonationFactory,
    InvestmentFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db
# Session, user and permissions (signed in), the chosen partnership, the filter choice lists
# (partnerships, towns), the footer aggregate, the page of rows, and for postings two extra
# figures (distinct persons, average months on post).


@pytest.mark.parametrize("name", PUBLIC_LISTS)
def test_public_list_opens_for_anonymous_visitors(client, data, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.context["rows"]


def test_footer_totals_are_of_the_filtered_rows_not_the_page(client, data, settings):
    settings.LIST_PAGE_SIZE = 1
    response = client.get(reverse("cooperation:visits"), {"partnership": data.pk, "year": YEAR})
    assert len(response.context["rows"]) == 1
    assert footer(response) == {"rows": 2, "people": 16, "enterprises": 2}  # 10 + 6, 2 + 0


def test_projects_filtered_by_town_and_category(client, data):
    params = {"partnership": data.pk, "year": YEAR, "town": "610902001", "category": "industry"}
    response = client.get(reverse("projects:projects"), params)
    assert [row[1] for row in screen_rows(response)] == ["茶园提升"]
    assert footer(response)["aid_funds"] == 1200.5


def test_postings_kind_and_cumulative_count_a_person_once(client, data):
    params = {"partnership": data.pk, "year": YEAR, "direction": "e2w", "kind": "cadre"}
    response = client.get(reverse("cooperation:postings"), {**params, "cumulative": 1})
    # 张三 posted in 2019 and 2021 from the same unit: two rows, one person
    assert footer(response)["rows"] == 2 and footer(response)["persons"] == 1
    response = client.get(reverse("cooperation:postings"), params)
    assert footer(response)["rows"] == 1  # without cumulative: arrived in 2021 only


def test_pairings_active_at_year_end_leaves_out_ended_and_future(client, data):
    response = client.get(
        reverse("cooperation:pairings"),
        {"partnership": data.pk, "year": YEAR, "active_at_year_end": 1},
    )
    assert sorted(row[1] for row in screen_rows(response)) == [
        "医院结对",
        "村（社区）结对",
        "镇（街道）结对",
    ]


def test_a_flag_without_a_year_is_refused_with_a_message(client, data):
    response = client.get(reverse("cooperation:pairings"), {"active_at_year_end": 1})
    assert response.status_code == 400
    assert "请同时选择年度" in response.content.decode()


def test_sorting_by_a_column_both_ways(client, data):
    url = reverse("cooperation:visits")
    up = client.get(url, {"partnership": data.pk, "sort": "people"})
    down = client.get(url, {"partnership": data.pk, "sort": "-people"})
    assert [row[4] for row in screen_rows(up)] == ["4", "6", "10"]
    assert [row[4] for row in screen_rows(down)] == ["10", "6", "4"]


def test_column_headers_link_to_sorting_and_keep_the_filters(client, data):
    response = client.get(reverse("cooperation:visits"), {"year": YEAR, "sort": "people"})
    header = next(h for h in response.context["headers"] if h["label"] == "人数（人）")
    assert header["url"] == f"?year={YEAR}&sort=-people"  # clicking again reverses


def test_pages_follow_the_sort_and_say_which_of_how_many(client, data, settings):
    settings.LIST_PAGE_SIZE = 2
    url = reverse("cooperation:postings")
    first = client.get(url, {"sort": "start_date"})
    second = client.get(url, {"sort": "start_date", "page": 2})
    third = client.get(url, {"sort": "start_date", "page": 3})
    names = [r[0] for p in (first, second, third) for r in screen_rows(p)]
    assert names == ["张三", "王五", "赵六", "张三", "李四"]  # by arrival date
    assert "第 1 / 3 页" in first.content.decode()


@pytest.mark.parametrize(
    "name,params",
    [
        ("cooperation:visits", {"page": "999999"}),
        ("cooperation:visits", {"page": "abc"}),
        ("cooperation:visits", {"page": "-1"}),
        ("projects:projects", {"page": "99999999999999999999999"}),
    ],
)
def test_bad_page_gives_404(client, data, name, params):
    assert client.get(reverse(name), params).status_code == 404


@pytest.mark.parametrize(
    "name,params,message",
    [
        ("cooperation:visits", {"year": "abc"}, "年度"),
        ("cooperation:visits", {"year": "-1"}, "年度"),
        ("cooperation:postings", {"sort": "nonsense"}, "未知的排序方式"),
        ("cooperation:pairings", {"town": "12345"}, "镇（街道）"),
        ("cooperation:pairings", {"partnership": "999999"}, "协作关系"),
        ("cooperation:postings", {"month": "13", "year": "2021"}, "月份"),
        ("projects:projects", {"town": "abc"}, "镇（街道）应为9位统计用区划代码"),
        ("projects:sales", {"year": "1e9"}, "年度"),
        ("labor:factories", {"town": "<script>alert(1)</script>"}, "镇（街道）"),
    ],
)
def test_bad_filter_values_get_the_filters_message_not_500(client, data, name, params, message):
    response = client.get(reverse(name), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "<script>alert(1)</script>" not in html
    assert response.context["rows"] == []  # no rows under a filter that could not be read


def test_bad_filter_in_an_export_is_a_400_with_the_message(client, data):
    response = client.get(reverse("cooperation:visits_export", args=["csv"]), {"year": "abc"})
    assert response.status_code == 400
    assert "年度" in response.content.decode()


def _queries(client, url, params):
    cache.clear()  # the filter form is cached once per filter: measure the page cold
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx)


def _batch(factory, partnership, n, **extra):
    """n records of the partnership (employments through a worker of it)."""
    if factory is EmploymentFactory:
        return factory.create_batch(n, worker__partnership=partnership, **extra)
    return factory.create_batch(n, partnership=partnership, **extra)


@pytest.mark.parametrize(
    "name,factory,extra",
    [
        ("cooperation:visits", VisitFactory, {}),
        ("cooperation:cadre_trainings", CadreTrainingFactory, {}),
        ("cooperation:postings", PostingFactory, {"start_date": "2021-05-01"}),
        ("cooperation:pairings", PairingFactory, {}),
        ("projects:projects", ProjectFactory, {"fund_year": YEAR}),
        ("projects:investments", InvestmentFactory, {}),
        ("projects:sales", ConsumptionSaleFactory, {}),
        ("projects:donations", DonationFactory, {}),
        ("labor:job_fairs", JobFairFactory, {}),
        ("labor:courses", TrainingCourseFactory, {}),
        ("labor:factories", CommunityFactoryFactory, {}),
        ("labor:workers", EmploymentFactory, {}),
        ("labor:employments", EmploymentFactory, {}),
    ],
)
def test_list_runs_the_same_queries_for_10_and_200_rows(
    client, clerk, partnership, django_assert_max_num_queries, name, factory, extra
):
    client.force_login(clerk)  # the staff lists need the permission; public ones don't care
    url, params = reverse(name), {"partnership": partnership.pk, "year": YEAR}
    _batch(factory, partnership, 10, **extra)
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        small = _queries(client, url, params)
    _batch(factory, partnership, 190, **extra)
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        large = _queries(client, url, params)
    assert small == large
    assert len(client.get(url, {**params, "page": 4}).context["rows"]) == 50  # 200 rows


def test_rows_are_rendered_as_table_cells_with_text_escaped(client, data):
    VisitFactory(partnership=data, date="2021-07-01", people=3, purpose="<b>考察</b>")
    response = client.get(reverse("cooperation:visits"), {"partnership": data.pk, "sort": "date"})
    html = response.content.decode()
    assert "<td>东部派往西部</td>" in html and '<td class="num">10</td>' in html
    assert "<td>&lt;b&gt;考察&lt;/b&gt;</td>" in html and "<b>考察</b>" not in html
    assert "Cell(" not in html
