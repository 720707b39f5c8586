"""The as-of date: the dashboard and the annual summary say through which day the year's
records run; percentages of a part year (the current year, or records that stop before
31 December) are marked as such; and the dashboard opens on the latest complete year."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.dashboard.scopes import of_partnership
from cooperation.dashboard.views import choose_year
from cooperation.models import Target
from labor.models import JobFair
from tests.conftest import DASHBOARD
from tests.cooperation.factories import PairingFactory
from tests.dashboard.helpers import cards, read_csv
from tests.projects.factories import (
    ConsumptionSaleFactory,
    DonationFactory,
    InvestmentFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db
SUMMARY = reverse("cooperation:summary")
day = datetime.date


@pytest.fixture
def on(monkeypatch):
    """Set the day the site thinks it is."""

    def set_day(date):
        monkeypatch.setattr("cooperation.dashboard.views.today", lambda: date)
        cache.clear()  # pages are cached under the data version, not the day

    set_day(day(2026, 6, 1))
    return set_day


@pytest.fixture
def records(partnership):
    """2021 through December (the donation of 15 December); 2022 through April (the
    consumption sales of April, a monthly figure, run to 30 April)."""
    p = partnership
    PairingFactory(partnership=p, signed_on=day(2021, 2, 1))
    DonationFactory(partnership=p, date=day(2021, 12, 15), cash=D("40"), in_kind=D("0"))
    InvestmentFactory(partnership=p, signed_on=day(2022, 3, 10))
    JobFair.objects.create(partnership=p, name="春风行动", date=day(2022, 4, 12), jobs_offered=10)
    ConsumptionSaleFactory(partnership=p, year=2022, month=4)
    DonationFactory(partnership=p, date=day(2022, 2, 1), cash=D("24"), in_kind=D("0"))
    # cash donations: 40 of 50 in 2021 (80.0 %), 24 of 100 by April 2022 (24.0 %)
    Target.objects.create(partnership=p, year=2021, indicator="funds.donations_cash", value=50)
    Target.objects.create(partnership=p, year=2022, indicator="funds.donations_cash", value=100)
    return p


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_the_dashboard_opens_on_the_latest_complete_year(client, records, on):
    choice = page(client, DASHBOARD).context["choice"]
    assert choice.year == 2021  # 2022's records stop at 30 April
    assert choice.years[:2] == [2022, 2021]  # the part year is still offered


def test_last_year_is_the_default_once_it_has_records_even_before_they_reach_december(
    client, records, on
):
    on(day(2023, 2, 1))
    choice = page(client, DASHBOARD).context["choice"]
    assert (choice.year, choice.as_of) == (2022, day(2022, 4, 30))


def test_without_a_complete_year_the_latest_year_with_records_is_the_default(
    client, partnership, on
):
    InvestmentFactory(partnership=partnership, signed_on=day(2022, 3, 10))
    assert page(client, DASHBOARD).context["choice"].year == 2022


def test_without_records_the_default_is_this_year(client, partnership, on):
    on(day(2026, 6, 1))
    choice = page(client, DASHBOARD).context["choice"]
    assert (choice.year, choice.as_of, choice.part_year) == (2026, None, True)
    assert "本年度还没有注明日期的记录" in page(client, DASHBOARD).content.decode()


def test_the_part_year_says_through_which_date_its_records_run(client, records, on):
    response = page(client, DASHBOARD, partnership=records.pk, year=2022)
    choice = response.context["choice"]
    assert (choice.as_of, choice.part_year) == (day(2022, 4, 30), True)
    html = response.content.decode()
    assert "数据截至 2022-04-30" in html
    assert cards(response)["funds.donations_cash"].percent == D("24.0")
    assert '24.0%</strong> <span class="part-year">（部分年度，截至4月30日）</span>' in html


def test_a_complete_year_shows_its_last_date_and_no_part_year_mark(client, records, on):
    response = page(client, DASHBOARD, partnership=records.pk, year=2021)
    html = response.content.decode()
    assert "数据截至 2021-12-15" in html
    assert cards(response)["funds.donations_cash"].percent == D("80.0")
    assert "部分年度" not in html


def test_the_current_year_is_a_part_year_even_when_its_records_reach_december(client, records, on):
    on(day(2021, 12, 20))
    response = page(client, DASHBOARD, partnership=records.pk, year=2021)
    assert response.context["choice"].part_year
    assert "（部分年度，截至12月15日）" in response.content.decode()


def test_a_month_of_this_year_runs_to_today_not_to_its_end(partnership, on):
    ConsumptionSaleFactory(partnership=partnership, year=2026, month=6)
    chosen = choose_year(of_partnership(partnership), 2026, day(2026, 6, 10))
    assert (chosen.year, chosen.as_of) == (2026, day(2026, 6, 10))


def test_a_fund_year_places_a_year_but_no_day(partnership):
    ProjectFactory(partnership=partnership, fund_year=2024)
    chosen = choose_year(of_partnership(partnership), None, day(2026, 6, 1))
    assert (chosen.year, chosen.latest, chosen.as_of) == (2024, 2024, None)


def test_the_summary_says_through_which_date_and_marks_the_part_year(client, records, on):
    html = page(client, SUMMARY, partnership=records.pk, year=2022).content.decode()
    assert "数据截至 2022-04-30" in html
    assert "（部分年度，截至4月30日）" in html
    complete = page(client, SUMMARY, partnership=records.pk, year=2021).content.decode()
    assert "数据截至 2021-12-15" in complete and "部分年度" not in complete


def test_the_summary_export_notes_the_part_year_next_to_each_percentage(client, records, on):
    url = reverse("cooperation:summary_export", args=["csv"])
    rows = read_csv(client.get(url, {"partnership": records.pk, "year": 2022}))
    by_label = {row[1]: row for row in rows[1:]}
    assert by_label["社会帮扶捐款"][3:] == [
        "100.0000",
        "24.0000",
        "24.0",
        "部分年度，数据截至 2022-04-30",
    ]
    assert by_label["社会帮扶捐物折价"][5:] == ["", ""]  # no target, no percentage, no note
    complete = read_csv(client.get(url, {"partnership": records.pk, "year": 2021}))
    assert {row[-1] for row in complete[1:]} == {""}


@pytest.mark.parametrize("year", [None, 2021, 2022])
def test_the_years_and_the_as_of_date_are_one_query(records, year):
    with CaptureQueriesContext(connection) as queries:
        choose_year(of_partnership(records), year, day(2026, 6, 1))
    assert len(queries) == 1


def test_the_default_year_costs_no_more_queries_than_a_chosen_one(client, records, on):
    with CaptureQueriesContext(connection) as default:
        page(client, DASHBOARD, partnership=records.pk)
    cache.clear()
    with CaptureQueriesContext(connection) as chosen:
        page(client, DASHBOARD, partnership=records.pk, year=2021)
    assert len(default) == len(chosen)
