"""The labour FilterSets: what users can filter on, and bad values refused clearly."""

import pytest
from django.http import QueryDict

from labor.filters import (
    CommunityFactoryFilter,
    EmploymentFilter,
    JobFairFilter,
    TrainingCourseFilter,
    WorkerFilter,
)
from labor.models import CommunityFactory, Employment, JobFair, TrainingCourse, Worker

pytestmark = pytest.mark.django_db


def pks(filterset_class, model, query):
    fs = filterset_class(QueryDict(query), queryset=model.objects.all())
    assert fs.is_valid(), fs.errors
    return set(fs.qs.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("year=abc", "year", "年度应为四位数字，如 2021。"),
        ("year=1850", "year", "年度应在1996至2100之间。"),
        ("month=13", "month", "月份应为1至12。"),
        ("town=6109", "town", "镇（街道）应为9位统计用区划代码，如 610902001。"),
        ("stable=maybe", "stable", None),
        ("partnership=999999", "partnership", None),
    ],
)
def test_bad_values_are_errors_and_give_no_rows(labour_2021, query, field, message):
    fs = WorkerFilter(QueryDict(query), queryset=Worker.objects.all())
    assert not fs.is_valid()
    assert field in fs.errors
    if message:
        assert fs.errors[field] == [message]
    assert fs.qs.count() == 0  # never the unfiltered list


def test_not_stable_in_the_year(labour_2021):
    # Employed in 2021 but under 90 days: B only.
    assert pks(WorkerFilter, Worker, "year=2021&stable=0") == {labour_2021["b"].pk}


def test_household_and_in_east_in_the_year(labour_2021, partnership):
    # 脱贫户 employed in the east during 2021: A (transferred there) and C (since 2020).
    query = f"partnership={partnership.pk}&year=2021&in_east=1&household=exited"
    assert pks(WorkerFilter, Worker, query) == {labour_2021["a"].pk, labour_2021["c"].pk}


def test_conditions_apply_to_the_same_year(labour_2021):
    # C was transferred in 2020 and stable in 2021, but not transferred in 2021.
    assert labour_2021["c"].pk not in pks(WorkerFilter, Worker, "year=2021&transferred=1")
    assert labour_2021["c"].pk in pks(WorkerFilter, Worker, "year=2020&transferred=1")


def test_search_by_exact_id_number_normalised(labour_2021):
    a = labour_2021["a"]
    query = "q=" + a.id_number.lower().replace("x", "ｘ")[:-1] + a.id_number[-1].lower()
    assert pks(WorkerFilter, Worker, query) == {a.pk}


def test_employments_active_in_the_year_and_started_in_it(labour_2021):
    active = pks(EmploymentFilter, Employment, "year=2021")
    started = pks(EmploymentFilter, Employment, "year=2021&started_in_year=1")
    # A's 3 + B's 1 + C's 1 + D's 1 + the other pair's 1 = 7 active; C's started in 2020.
    assert (len(active), len(started)) == (7, 6)


def test_a_month_keeps_the_job_fairs_of_that_month(labour_2021, partnership):
    assert len(pks(JobFairFilter, JobFair, f"partnership={partnership.pk}&year=2021&month=11")) == 1


def test_courses_of_several_kinds(labour_2021, partnership):
    query = f"partnership={partnership.pk}&year=2021&kind=advanced&kind=ecommerce"
    assert len(pks(TrainingCourseFilter, TrainingCourse, query)) == 3


def test_factories_opened_in_the_year_and_in_operation_at_its_end(labour_2021, partnership):
    query = f"partnership={partnership.pk}&year=2021&opened_in_year=1"
    names = CommunityFactory.objects.filter(
        pk__in=pks(CommunityFactoryFilter, CommunityFactory, query)
    ).values_list("name", flat=True)
    assert sorted(names) == ["FC"]  # FB opened in 2021 too, but closed on 31 December


def test_a_huge_worker_number_is_an_error_not_a_crash(labour_2021):
    fs = EmploymentFilter(QueryDict("worker=99999999999999999999999"), queryset=Employment.objects)
    assert "worker" in fs.errors
    assert fs.qs.count() == 0
