"""Co-built industrial parks (共建产业园区): the other partnership's parks never count, an
investment settles only in a park of its own partnership, a park's yearly jobs, the admin
(another area's park is 404), the import of parks and of investments naming their park,
and the lists that add up to the figures.

The hand-worked figures of P's parks are in conftest.FIGURES (test_indicators.py)."""

from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cooperation.dashboard.indicators import registry
from cooperation.imports.files import CSV
from cooperation.models import Region, UserArea
from cooperation.roles import DATA_ENTRY
from projects.models import IndustrialPark, IndustrialParkYear, Investment
from projects.resources import IndustrialParkResource, InvestmentResource
from tests.cooperation.factories import region
from tests.dashboard.conftest import MAX_LIST_QUERIES
from tests.dashboard.helpers import footer, read_csv
from tests.imports.conftest import file_bytes, import_file
from tests.places import HANBIN, LAOCHENG, P_NAME
from tests.projects.factories import (
    DemonstrationVillageFactory,
    IndustrialParkFactory,
    IndustrialParkYearFactory,
    InvestmentFactory,
)

pytestmark = pytest.mark.django_db

PARK_KEYS = [
    "industry.parks",
    "industry.agricultural_parks",
    "industry.park_enterprises",
    "industry.park_investment_arrived",
    "industry.park_jobs",
    "industry.park_jobs_poverty_exited",
]


# --- figures ---------------------------------------------------------------------------------


def test_the_other_partnership_counts_only_its_own_park(dataset, other_partnership):
    q = other_partnership
    # Q: 园区丁 (agricultural, 2020) with 9999 jobs (999 poverty-exited) in 2021, and 企业丁
    # (2021, 88 arrived) settled in it
    values = {key: registry[key].value(q, 2021) for key in PARK_KEYS}
    assert values == {
        "industry.parks": 1,
        "industry.agricultural_parks": 1,
        "industry.park_enterprises": 1,
        "industry.park_investment_arrived": D("88"),
        "industry.park_jobs": 9999,
        "industry.park_jobs_poverty_exited": 999,
    }


def test_park_jobs_have_no_month(dataset):
    assert registry["industry.park_jobs"].value(dataset, 2021, month=5) is None
    assert registry["industry.park_jobs"].url(dataset, 2021, month=5) is None


def test_a_park_opened_on_1_january_counts_at_that_year_s_end_and_not_before(partnership):
    IndustrialParkFactory(partnership=partnership, established_on="2021-01-01")
    assert registry["industry.parks"].value(partnership, 2020) == 0
    assert registry["industry.parks"].value(partnership, 2021) == 1


# --- validation ----------------------------------------------------------------------------


def test_an_investment_cannot_settle_in_a_park_of_another_partnership(
    partnership, other_partnership
):
    park = IndustrialParkFactory(partnership=other_partnership, name="汉阴园区")
    investment = InvestmentFactory.build(partnership=partnership, park=park)
    with pytest.raises(ValidationError) as refused:
        investment.full_clean()
    assert refused.value.message_dict["park"] == [f"园区“汉阴园区”不属于本协作关系（{P_NAME}）。"]
    own = IndustrialParkFactory(partnership=partnership, name="汉滨园区")
    investment.park = own
    investment.full_clean()  # its own partnership's park is accepted


def test_poverty_exited_jobs_cannot_exceed_the_park_s_jobs(partnership):
    year = IndustrialParkYear(
        park=IndustrialParkFactory(partnership=partnership), year=2021, jobs=10,
        poverty_exited_jobs=11,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        year.full_clean()
    assert refused.value.message_dict["poverty_exited_jobs"] == [
        "其中脱贫人口就业不能多于园区就业人数。"
    ]


def test_one_jobs_record_per_park_and_year(partnership):
    year = IndustrialParkYearFactory(park__partnership=partnership, year=2021)
    again = IndustrialParkYear(park=year.park, year=2021, jobs=1)
    with pytest.raises(ValidationError) as refused:
        again.full_clean()
    assert "该园区这一年度已有就业记录。" in str(refused.value)


# --- admin -----------------------------------------------------------------------------------


@pytest.fixture
def hanbin_clerk(db, django_user_model):
    """A 录入员 whose area is 汉滨区 (P's western county) only."""
    user = django_user_model.objects.create_user(username="hb", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=DATA_ENTRY))
    UserArea.objects.create(user=user, region=region(HANBIN))
    client = Client()
    client.force_login(user)
    return client


def test_admin_shows_the_own_park_with_its_years_and_404s_another_area_s(
    hanbin_clerk, partnership, other_partnership
):
    own = IndustrialParkFactory(partnership=partnership, name="汉滨园区")
    IndustrialParkYearFactory(park=own, year=2021, jobs=321)
    other = IndustrialParkFactory(partnership=other_partnership, name="汉阴园区")

    page = hanbin_clerk.get(reverse("admin:projects_industrialpark_change", args=[own.pk]))
    assert page.status_code == 200
    assert 'value="321"' in page.content.decode()  # the year's jobs, inline

    for view in ("change", "delete"):
        url = reverse(f"admin:projects_industrialpark_{view}", args=[other.pk])
        assert hanbin_clerk.get(url).status_code == 404, view
    listed = hanbin_clerk.get(reverse("admin:projects_industrialpark_changelist"))
    assert [p.pk for p in listed.context["cl"].result_list] == [own.pk]


# --- import ----------------------------------------------------------------------------------

PARK_HEAD = ["协作关系", "园区名称", "园区类型", "镇（街道）", "建成（挂牌）日期"]
VEGETABLES = [P_NAME, "忠诚现代农业园区", "农业园区", "建民街道", "2019-04-01"]
FACTORIES = [P_NAME, "电子产业园", "工业园区", "老城街道", "2020年6月1日"]


def test_parks_import_and_export_back_unchanged(partnership):
    first = import_file(
        IndustrialParkResource, file_bytes([PARK_HEAD, VEGETABLES, FACTORIES], "gbk")
    )
    assert first.ok, first.messages
    assert first.totals["new"] == 2
    park = IndustrialPark.objects.get(name="忠诚现代农业园区")
    assert (park.kind, park.town_id, str(park.established_on)) == (
        "agricultural", "610902004", "2019-04-01",
    )  # fmt: skip
    before = list(IndustrialPark.objects.order_by("pk").values())

    exported = CSV().export_data(IndustrialParkResource().export(IndustrialPark.objects.all()))
    again = import_file(IndustrialParkResource, exported, "parks.csv")

    assert again.ok, again.messages
    assert (again.totals["new"], again.totals["update"], again.totals["skip"]) == (0, 0, 2)
    assert list(IndustrialPark.objects.order_by("pk").values()) == before


def test_a_bad_park_row_is_named_by_line_and_column_and_nothing_is_written(partnership):
    bad = [*FACTORIES[:2], "火星园区", *FACTORIES[3:]]
    result = import_file(IndustrialParkResource, file_bytes([PARK_HEAD, VEGETABLES, bad], "utf-8"))
    assert len(result.messages) == 1
    assert result.messages[0].startswith("第3行“园区类型”")
    assert not IndustrialPark.objects.exists()


INVESTMENT_HEAD = ["协作关系", "企业名称", "镇（街道）", "签约（落地）日期", "入驻园区"]


def test_an_investment_names_its_park_within_its_partnership(partnership, other_partnership):
    own = IndustrialParkFactory(partnership=partnership, name="电子产业园")
    IndustrialParkFactory(partnership=other_partnership, name="汉阴园区")
    rows = [INVESTMENT_HEAD, [P_NAME, "常州某电子", "老城街道", "2021-05-01", "电子产业园"]]
    result = import_file(InvestmentResource, file_bytes(rows, "utf-8"))
    assert result.ok, result.messages
    assert Investment.objects.get().park == own

    # Another partnership's park, by its name, is not found: the row and column are named.
    rows = [INVESTMENT_HEAD, [P_NAME, "常州某材料", "老城街道", "2021-06-01", "汉阴园区"]]
    result = import_file(InvestmentResource, file_bytes(rows, "utf-8"))
    assert result.messages == [
        "第2行“入驻园区”：园区“汉阴园区”尚未登记于本协作关系，请先在“共建产业园区”中添加（或核对名称）"
    ]
    assert Investment.objects.count() == 1

    # The export writes the park's name, which imports back to the same park.
    exported = CSV().export_data(InvestmentResource().export(Investment.objects.all()))
    assert "电子产业园" in exported.decode("utf-8-sig")
    again = import_file(InvestmentResource, exported, "investments.csv")
    assert again.ok and again.totals["skip"] == 1, again.messages


# --- lists -----------------------------------------------------------------------------------


def test_the_park_list_shows_the_parks_existing_at_the_year_s_end(client, dataset):
    params = {"partnership": dataset.pk, "year": 2021}
    page = client.get(reverse("projects:parks"), params)
    assert page.status_code == 200
    assert footer(page)["rows"] == 2  # 园区甲 (2019), 园区乙 (31 Dec 2021); 园区丙 is of 2022
    agricultural = client.get(reverse("projects:parks"), {**params, "kind": "agricultural"})
    assert footer(agricultural)["rows"] == 1
    rows = read_csv(client.get(reverse("projects:parks_export", args=["csv"]), params))
    assert rows[0][:3] == ["建成（挂牌）日期", "园区名称", "园区类型"]
    assert sorted(r[1] for r in rows[1:]) == ["园区乙", "园区甲"]
    assert {r[2] for r in rows[1:]} == {"农业园区", "工业园区"}


def test_the_park_jobs_list_adds_up_and_narrows_to_a_town(client, dataset):
    params = {"partnership": dataset.pk, "year": 2021}
    figures = footer(client.get(reverse("projects:park_jobs"), params))
    assert (figures["jobs"], figures["poverty_exited_jobs"]) == (150, 55)  # 120 + 30, 50 + 5
    town = footer(client.get(reverse("projects:park_jobs"), {**params, "town": LAOCHENG}))
    assert (town["rows"], town["jobs"]) == (1, 120)  # 园区甲 only


def test_the_investments_in_parks_list(client, dataset):
    params = {"partnership": dataset.pk, "year": 2021, "in_park": 1}
    figures = footer(client.get(reverse("projects:investments"), params))
    # 甲 15 Mar (600, 园区甲) and 乙 31 Dec (700, 园区乙); 甲's July signing is in no park
    assert (figures["rows"], figures["enterprises"], figures["arrived"]) == (2, 2, D("1300"))


def test_a_bad_list_parameter_is_a_400_with_its_message(client, dataset):
    page = client.get(reverse("projects:park_jobs"), {"year": "二〇二一"})
    assert page.status_code == 400
    assert "年度应为四位数字，如 2021。" in page.content.decode()


@pytest.mark.parametrize("name", ["projects:parks", "projects:park_jobs", "projects:villages"])
def test_the_lists_run_a_fixed_number_of_queries(
    client, partnership, django_assert_max_num_queries, name
):
    def add(n, start):
        villages = Region.objects.filter(level=5, code__startswith=HANBIN).order_by("code")
        for i in range(start, start + n):
            IndustrialParkYearFactory(
                park__partnership=partnership, park__established_on="2020-01-01", year=2021
            )
            DemonstrationVillageFactory(partnership=partnership, village_id=villages[i].code)

    def queries():
        cache.clear()  # the filter form is cached once per filter: measure the page cold
        with django_assert_max_num_queries(MAX_LIST_QUERIES) as counted:
            response = client.get(reverse(name), {"partnership": partnership.pk, "year": 2021})
        assert response.status_code == 200
        return len(counted.captured_queries), footer(response)["rows"]

    add(10, 0)
    few, rows = queries()
    assert rows == 10
    add(190, 10)
    many, rows = queries()
    assert rows == 200
    assert few == many


def test_the_lists_do_not_show_the_other_partnership_s_rows(client, dataset, other_partnership):
    for name in ("projects:parks", "projects:park_jobs", "projects:villages"):
        rows = read_csv(
            client.get(reverse(f"{name}_export", args=["csv"]), {"partnership": dataset.pk})
        )
        assert len(rows) > 1, name  # P's rows are there
        text = str(rows)
        assert "园区丁" not in text and "城关" not in text and "汉阴" not in text, name
