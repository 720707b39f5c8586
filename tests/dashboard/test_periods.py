"""Periods: the figures of a range of years (`?since=2020&year=2021`, 累计). Each figure
counts every record it would count in any year of the range, once: flows add up over the
years, stocks take every record in effect in some year, persons are counted once, and a
figure of one year only (months on post within the year) has none. Worked out by hand on
the dashboard's data set (tests/dashboard/conftest.py): P's records of 2020 and 2021."""

import html
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.dashboard.indicators import evaluate, evaluate_by_partnership, registry
from cooperation.dashboard.scopes import area, of_partnership
from labor.models import Worker
from tests.conftest import YEAR
from tests.dashboard.conftest import EXPECTED, OVER_2020_2021, SINCE
from tests.dashboard.helpers import cards, read_csv
from tests.dashboard.test_rollups import SOURCES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def test_a_range_counts_each_record_of_its_years_once(data):
    expected = {**EXPECTED, **OVER_2020_2021}
    assert evaluate(of_partnership(data), YEAR, since=SINCE) == expected


def test_a_range_of_one_year_is_the_year(data):
    scope = of_partnership(data)
    assert evaluate(scope, YEAR, since=YEAR) == evaluate(scope, YEAR) == EXPECTED


def test_a_worker_transferred_in_two_years_is_one_person_over_both(data):
    worker = Worker.objects.get(partnership=data, name="韩三")
    spell = worker.employments.get()
    spell.start_date = spell.start_date.replace(year=2021)  # now transferred in 2021 only
    spell.save()
    # 韩三 again, a new first spell in 2020: transferred in both years, one person
    worker.employments.create(
        employer="另一家单位",
        destination_id=spell.destination_id,
        start_date=spell.start_date.replace(year=2020),
        end_date=spell.start_date.replace(year=2020, month=12, day=1),
        monthly_wage=5000,
        channel=spell.channel,
    )
    two_years = evaluate(of_partnership(data), YEAR, since=SINCE)
    assert evaluate(of_partnership(data), 2020)["labor.transferred"] == 1
    assert evaluate(of_partnership(data), YEAR)["labor.transferred"] == 4
    assert two_years["labor.transferred"] == 4  # not 5: 韩三 once


def test_a_range_runs_one_query_per_source(data):
    scope = of_partnership(data)
    with CaptureQueriesContext(connection) as queries:
        evaluate(scope, YEAR, since=2017)
    assert len(queries) == SOURCES


def test_a_month_belongs_to_one_year(data):
    with pytest.raises(ValueError):
        evaluate(of_partnership(data), YEAR, month=3, since=SINCE)


def test_a_rollup_over_a_range_adds_up_its_partnerships(data, other_partnership):
    both = area("3204", "61")
    assert {p.pk for p in both.partnerships} == {data.pk, other_partnership.pk}
    summed = evaluate(both, YEAR, since=SINCE)
    mine = evaluate(of_partnership(data), YEAR, since=SINCE)
    theirs = evaluate(of_partnership(other_partnership), YEAR, since=SINCE)
    for ind in registry.all():
        if ind.measure.summable and ind.measure.finish.__name__ == "_value" and mine[ind.key]:
            assert summed[ind.key] == mine[ind.key] + theirs[ind.key], ind.key
    assert summed["funds.aid"] == D("3000.7534") + D("7000")
    by_partnership = evaluate_by_partnership(both, YEAR, since=SINCE)
    assert by_partnership[data.pk] == mine
    assert by_partnership[other_partnership.pk] == theirs


# --- the pages --------------------------------------------------------------------------------


def page(client, name, *args, **params):
    cache.clear()  # a page served from the cache has no context
    return client.get(reverse(f"cooperation:{name}", args=args), params)


def test_the_dashboard_shows_the_range_without_targets(client, data):
    response = page(client, "dashboard", partnership=data.pk, year=YEAR, since=SINCE)
    assert response.status_code == 200
    figures = cards(response)
    assert figures["funds.aid"].actual == D("3000.7534")
    assert all(f.target is None and f.percent is None for f in figures.values())
    assert figures["postings.average_months"].yearly
    text = html.unescape(response.content.decode())
    assert "2020—2021年累计" in text
    assert "只按单一年度统计" in text
    # The card links to the list of both years, which adds up to it.
    url = figures["funds.aid"].url
    assert "since=2020" in url and "year=2021" in url
    listed = client.get(url)
    assert {t.key: t.value for t in listed.context["totals"]}["aid_funds"] == D("3000.7534")


def test_the_dashboard_offers_this_round_and_the_whole_cooperation(client, data):
    data.since_year = 2017
    data.save()
    response = page(client, "dashboard", partnership=data.pk, year=YEAR)
    periods = response.context["choice"].periods()
    assert [(words, chosen) for words, _query, chosen in periods] == [
        ("本年度", True),
        ("累计（2017年起）", False),
    ]  # 2021 is this round's first year: no separate "since 2021"
    response = page(client, "dashboard", partnership=data.pk, year=2022, since=2017)
    periods = response.context["choice"].periods()
    assert [(words, chosen) for words, _query, chosen in periods] == [
        ("本年度", False),
        ("本轮以来（2021年起）", False),
        ("累计（2017年起）", True),
    ]
    assert "since=2021" in periods[1][1] and "year=2022" in periods[1][1]


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ("2022", "起始年度不能晚于年度。"),
        ("20x1", "参数 since 无效。"),
        ("1066", "参数 since 无效。"),
    ],
)
def test_a_bad_first_year_is_refused_with_a_message(client, data, since, message):
    for name in ("dashboard", "summary"):
        response = page(client, name, partnership=data.pk, year=YEAR, since=since)
        assert response.status_code == 404
        assert message in html.unescape(response.content.decode())


def test_a_period_longer_than_forty_years_is_refused(client, data):
    # 2060–2100 is 41 years: each year is one more condition in every query.
    response = page(client, "dashboard", partnership=data.pk, year=2100, since=2060)
    assert response.status_code == 404
    assert "统计期间不能超过40年。" in html.unescape(response.content.decode())
    assert page(client, "dashboard", partnership=data.pk, year=2100, since=2061).status_code == 200


def test_the_summary_and_its_export_name_the_range(client, data):
    response = page(client, "summary", partnership=data.pk, year=YEAR, since=SINCE)
    text = html.unescape(response.content.decode())
    assert "武进区—汉滨区 2020—2021年累计东西部协作指标完成情况" in text
    assert "有佐证材料的记录" not in text  # evidence is counted year by year
    assert response.context["year_state"] is None  # a year is confirmed, not a range
    export = page(client, "summary_export", "csv", partnership=data.pk, year=YEAR, since=SINCE)
    assert (
        "2020—2021" in export["Content-Disposition"]
        or "2020%E2%80%942021" in export["Content-Disposition"]
    )
    rows = {row[1]: row for row in read_csv(export)[1:]}
    aid = rows[str(registry["funds.aid"].label)]
    assert aid[3:6] == ["", "3000.7534", ""]  # no target, the range's total, no rate
    months = rows[str(registry["postings.average_months"].label)]
    assert months[4] == "" and months[6] == "只按单一年度统计"


def test_a_range_page_runs_a_fixed_number_of_queries(client, data, django_assert_max_num_queries):
    one_year = CaptureQueriesContext(connection)
    with one_year:
        page(client, "dashboard", partnership=data.pk, year=YEAR)
    with django_assert_max_num_queries(len(one_year)):
        page(client, "dashboard", partnership=data.pk, year=YEAR, since=2015)


def test_the_comparison_of_a_rollup_covers_the_range(client, data, other_partnership):
    response = page(client, "dashboard", east="3204", west="61", year=YEAR, since=SINCE)
    assert response.status_code == 200
    rows = dict(response.context["comparison"].rows)
    mine = {cell.indicator.key: cell for cell in rows[data]}
    assert mine["funds.aid"].value == D("3000.7534")
    assert mine["funds.aid"].target is None
    assert "since=2020" in mine["funds.aid"].url
