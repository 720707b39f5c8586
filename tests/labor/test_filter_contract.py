"""The contract between labor/indicators.py and labor/filters.py: the query parameters of an
indicator's list_url, given to that list's FilterSet, select exactly the rows that add up to
the figure — for the year, by town and by month."""

from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlsplit

import pytest
from django.db.models import Avg, Sum
from django.http import QueryDict
from django.urls import resolve

from cooperation.dashboard.indicators import Group, registry
from cooperation.models import Region
from labor import filters
from labor.models import CommunityFactory, Employment, JobFair, TrainingCourse, Worker, WorkerYear
from tests.places import DAHE, XIANHE

pytestmark = pytest.mark.django_db

FILTERSETS = {
    "workers": (filters.WorkerFilter, Worker),
    "employments": (filters.EmploymentFilter, Employment),
    "job_fairs": (filters.JobFairFilter, JobFair),
    "courses": (filters.TrainingCourseFilter, TrainingCourse),
    "factories": (filters.CommunityFactoryFilter, CommunityFactory),
}

# How the list's rows add up to each figure: "count" of rows (persons for workers), the sum
# of a column, or for the wage the mean of the workers' year rows.
ROWS_ADD_UP = {
    "labor.transferred": "count",
    "labor.transferred_poverty_exited": "count",
    "labor.transferred_east": "count",
    "labor.stable": "count",
    "labor.stable_poverty_exited": "count",
    "labor.transferred_east_poverty_exited": "count",
    "labor.transferred_home": "count",
    "labor.transferred_elsewhere": "count",
    "labor.transferred_home_poverty_exited": "count",
    "labor.transferred_elsewhere_poverty_exited": "count",
    "labor.average_wage": "average_wage",
    "labor.job_fairs": "count",
    "labor.jobs_offered": "jobs_offered",
    "labor.intentions": "intentions",
    "labor.hired": "hired",
    "labor.hired_stable": "stable",
    "labor.courses": "count",
    "labor.trainees": "trainees",
    "labor.certified": "certified",
    "labor.employed_after_training": "employed_after",
    "labor.advanced_courses": "count",
    "labor.advanced_trainees": "trainees",
    "labor.ecommerce_trainees": "trainees",
    "labor.factories": "count",
    "labor.factory_jobs": "jobs",
    "labor.factory_jobs_poverty_exited": "poverty_exited_jobs",
}
LABOUR = [i for i in registry.all() if i.group == Group.LABOUR]
SCOPES = [(None, None), (DAHE, None), (XIANHE, None), (None, 3), (None, 8), (None, 11), (DAHE, 3)]


def rows_of(url):
    path, query = urlsplit(url)[2:4]
    filterset_class, model = FILTERSETS[resolve(path).url_name]
    filterset = filterset_class(QueryDict(query), queryset=model.objects.all())
    assert filterset.is_valid(), (url, filterset.errors)
    return filterset.qs


def add_up(rows, how, year):
    if how == "count":
        return rows.count()
    if how == "average_wage":
        wage = WorkerYear.objects.filter(worker__in=rows, year=year).aggregate(
            w=Avg("monthly_wage")
        )["w"]
        return (
            Decimal("0.00")
            if wage is None
            else Decimal(wage).quantize(Decimal("0.01"), ROUND_HALF_UP)
        )
    return rows.aggregate(total=Sum(how))["total"] or 0


def test_every_labour_indicator_is_covered():
    assert sorted(i.key for i in LABOUR) == sorted(ROWS_ADD_UP)


# The destinations of the transferred, checked on labour_destinations (labour_2021 has no
# poverty-exited worker transferred home or elsewhere).
DESTINATIONS = [i for i in LABOUR if "_home" in i.key or "_elsewhere" in i.key]


@pytest.mark.parametrize(
    "indicator", [i for i in LABOUR if i not in DESTINATIONS], ids=lambda i: i.key
)
def test_list_rows_add_up_to_the_figure(labour_2021, partnership, indicator):
    adds_up(partnership, indicator)


@pytest.mark.parametrize("indicator", DESTINATIONS, ids=lambda i: i.key)
def test_list_rows_add_up_to_the_destination_figure(labour_destinations, partnership, indicator):
    adds_up(partnership, indicator)


def adds_up(partnership, indicator):
    checked = []
    for town_code, month in SCOPES:
        if (town_code and not indicator.by_town) or (month and not indicator.by_month):
            continue
        town = Region.objects.get(code=town_code) if town_code else None
        figure = indicator.value(partnership, 2021, town=town, month=month)
        rows = rows_of(indicator.url(partnership, 2021, town=town, month=month))
        assert add_up(rows, ROWS_ADD_UP[indicator.key], 2021) == figure, (town_code, month)
        checked.append(figure)
    assert any(checked), "the data set should give this figure a non-zero value"


def test_worker_rows_are_persons_not_spells(labour_2021, partnership):
    rows = rows_of(registry["labor.transferred"].url(partnership, 2021))
    # A has three spells in 2021 and appears once.
    assert sorted(rows.values_list("pk", flat=True)) == sorted(
        [labour_2021["a"].pk, labour_2021["b"].pk, labour_2021["d"].pk]
    )
