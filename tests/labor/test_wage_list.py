"""The average-wage card opens the worker list with each worker's monthly wage of the year;
the footer's average of that column is the card's figure, and the exports carry the column.

Workers of 汉滨区 (wages in 元 a month):

    甲  2021-03-01 – open, 4000; also 2020-04-01 – 2020-10-31, 1000 → 2021: 4000, 2020: 1000
    乙  2021-04-01 – 2021-09-30, 5000                                 → 2021: 5000
    丙  2021-05-01 – open, no wage                                    → 2021: none
    丁  2021-03-01 – 2021-05-31, 3000; 2021-07-01 – open, 5000         → 2021: (3000 + 5000) / 2
    戊  2020-01-01 – open, 9000 (not transferred in 2021: started in 2020)

Transferred in 2021: 甲 乙 丙 丁; with a wage: 甲 4000, 乙 5000, 丁 4000 →
(4000 + 5000 + 4000) / 3 = 4333.33 (丙 left out, not counted as 0).
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.dashboard.indicators import registry
from labor.models import WorkerYear
from tests.conftest import YEAR
from tests.dashboard.helpers import footer, read_csv, read_xlsx, screen_rows
from tests.labor.factories import EmploymentFactory, WorkerFactory

pytestmark = pytest.mark.django_db

day = datetime.date
WAGE = "本年度月均工资（元）"
CARD = Decimal("4333.33")


@pytest.fixture
def workers(partnership):
    def worker(name, *spells):
        w = WorkerFactory(partnership=partnership, name=name)
        for start, end, wage in spells:
            EmploymentFactory(worker=w, start_date=start, end_date=end, monthly_wage=wage)
        return w

    worker("甲", (day(2020, 4, 1), day(2020, 10, 31), 1000), (day(2021, 3, 1), None, 4000))
    worker("乙", (day(2021, 4, 1), day(2021, 9, 30), 5000))
    worker("丙", (day(2021, 5, 1), None, None))
    worker("丁", (day(2021, 3, 1), day(2021, 5, 31), 3000), (day(2021, 7, 1), None, 5000))
    worker("戊", (day(2020, 1, 1), None, 9000))
    return partnership


def card_url(partnership):
    return registry["labor.average_wage"].url(partnership, YEAR)


def wages_shown(response):
    """{name: wage text} of a worker list page."""
    labels = [str(h["label"]) for h in response.context["headers"]]
    name, wage = labels.index("姓名"), labels.index(WAGE)
    return {row[name]: row[wage] for row in screen_rows(response)}


def test_the_card_is_the_mean_of_the_wages_of_those_transferred(workers):
    assert registry["labor.average_wage"].value(workers, YEAR) == CARD


def test_a_worker_with_two_spells_has_their_mean_as_the_year_wage(workers):
    row = WorkerYear.objects.get(worker__name="丁", year=YEAR)
    assert row.monthly_wage == Decimal("4000.00")  # (3000 + 5000) / 2


def test_the_card_list_shows_each_workers_wage_of_the_year(staff_client, workers):
    response = staff_client.get(card_url(workers))
    assert response.status_code == 200
    assert wages_shown(response) == {"甲": "4,000.00", "乙": "5,000.00", "丙": "", "丁": "4,000.00"}


def test_the_footer_average_is_the_card(staff_client, workers):
    response = staff_client.get(card_url(workers))
    assert footer(response)["average_wage"] == CARD


def test_the_wage_is_that_of_the_chosen_year(staff_client, workers):
    response = staff_client.get(reverse("labor:workers"), {"partnership": workers.pk, "year": 2020})
    assert wages_shown(response) == {"甲": "1,000.00", "戊": "9,000.00"}
    assert footer(response)["average_wage"] == Decimal("5000")  # (1000 + 9000) / 2


def test_without_transferred_the_footer_averages_every_listed_wage(staff_client, workers):
    response = staff_client.get(reverse("labor:workers"), {"partnership": workers.pk, "year": YEAR})
    shown = wages_shown(response)
    assert shown["戊"] == "9,000.00"  # employed in 2021, transferred in 2020
    # (4000 + 5000 + 4000 + 9000) / 4
    assert footer(response)["average_wage"] == Decimal("5500")


def test_without_a_year_there_is_no_wage_column(staff_client, workers):
    response = staff_client.get(reverse("labor:workers"), {"partnership": workers.pk})
    assert response.status_code == 200
    assert WAGE not in [str(h["label"]) for h in response.context["headers"]]
    assert "average_wage" not in footer(response)


def test_the_list_sorts_by_the_wage(staff_client, workers):
    response = staff_client.get(card_url(workers) + "&sort=-year_wage")
    # 丙 has no wage: first or last depending on the database's NULL order.
    names = [row[0] for row in screen_rows(response) if row[0] != "丙"]
    assert names[0] == "乙" and set(names[1:]) == {"甲", "丁"}


def test_the_csv_export_carries_the_wage_column(staff_client, workers):
    query = card_url(workers).split("?", 1)[1]
    url = reverse("labor:workers_export", kwargs={"fmt": "csv"}) + "?" + query + "&sort=name"
    rows = read_csv(staff_client.get(url))
    wage = rows[0].index(WAGE)
    assert {row[0]: row[wage] for row in rows[1:]} == {
        "甲": "4000.00",
        "乙": "5000.00",
        "丙": "",
        "丁": "4000.00",
    }


def test_the_xlsx_export_carries_the_wage_column(staff_client, workers):
    query = card_url(workers).split("?", 1)[1]
    url = reverse("labor:workers_export", kwargs={"fmt": "xlsx"}) + "?" + query
    rows = [[cell.value for cell in row] for row in read_xlsx(staff_client.get(url))]
    wage = rows[0].index(WAGE)
    wages = {row[0]: row[wage] for row in rows[1:]}
    assert {k: Decimal(str(v)) for k, v in wages.items() if v not in (None, "")} == {
        "甲": 4000,
        "乙": 5000,
        "丁": 4000,
    }
    assert wages["丙"] in (None, "")


def test_the_list_still_needs_the_personal_data_permission(client, official, workers):
    client.force_login(official)
    assert client.get(card_url(workers)).status_code == 403


def test_the_query_count_does_not_grow_with_the_workers(
    staff_client, workers, django_assert_max_num_queries
):
    url = card_url(workers)
    staff_client.get(url)  # warms the cached filter choices

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(url)
        assert response.status_code == 200
        return len(captured), response

    few, response = queries()
    assert footer(response)["rows"] == 4
    for n in range(26):
        w = WorkerFactory(partnership=workers, name=f"工{n}")
        EmploymentFactory(worker=w, start_date=day(2021, 6, 1), monthly_wage=4333)
    staff_client.get(url)  # new data: the cached filter choices are read again once
    many, response = queries()
    assert footer(response)["rows"] == 30
    assert many == few
    with django_assert_max_num_queries(few):
        staff_client.get(url)
