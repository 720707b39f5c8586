"""FilterSets of the labour lists. Staff only (personal data): WorkerFilter, EmploymentFilter.
Public: JobFairFilter, TrainingCourseFilter, CommunityFactoryFilter.

Contract with labor/indicators.py: every labour indicator's `list_url` carries query
parameters which, given to the FilterSet of that list, select exactly the rows whose count
(or sum, or average) is the indicator (tests/labor/test_filter_contract.py). Worker rows are
persons: each appears once however many spells or year rows he has.

Every FilterSet takes what every list takes (cooperation.lists.filters.ListFilterSet:
`partnership`, `east`/`west`, `since`; an invalid value empties the list), plus `year`,
`month` (1–12) and `town` (9-digit code of a western town)."""

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.lists.filters import (
    ListFilterSet,
    MonthFilter,
    TownCodeFilter,
    YearFilter,
    area_filter,
    partnership_filter,
    search_filter,
    unfiltered,
)

from .models import CommunityFactory, Employment, JobFair, TrainingCourse, Worker, WorkerYear

YES_NO = (("1", _("是")), ("0", _("否")))


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField


def _yes_no(label, method):
    return filters.ChoiceFilter(label=label, choices=YES_NO, method=method)


class LaborFilterSet(ListFilterSet):
    town = TownCodeFilter(field_name="town_id")


# --- Staff lists (personal data) --------------------------------------------------------------


class WorkerFilter(LaborFilterSet):
    """Workers (persons). `year`, `month`, `transferred`, `transferred_east`, `destination`,
    `in_east` and `stable` are conditions on the SAME year row (WorkerYear) of the worker: `year=2021&
    stable=1` is "stably employed in 2021"; `month=3` is "transferred in March" (of that
    year)."""

    town = TownCodeFilter(label=_("户籍镇（街道）"), field_name="home_town_id")
    household = filters.ChoiceFilter(label=_("户类型"), choices=Worker.Household.choices)
    year = YearFilter(label=_("年度（当年有就业）"), method=unfiltered)
    month = MonthFilter(label=_("转移就业月份"), method=unfiltered)
    transferred = _yes_no(_("当年转移就业"), unfiltered)
    transferred_east = _yes_no(_("当年转移到东部协作省份"), unfiltered)
    destination = filters.ChoiceFilter(
        label=_("当年转移就业去向"), choices=WorkerYear.Destination.choices, method=unfiltered
    )
    in_east = _yes_no(_("当年在东部协作省份就业"), unfiltered)
    stable = _yes_no(_("稳定就业"), unfiltered)
    gender = filters.ChoiceFilter(label=_("性别"), choices=Worker.Gender.choices)
    q = filters.CharFilter(label=_("姓名或身份证号"), method="filter_search")

    class Meta:
        model = Worker
        fields = ["partnership", "town", "household", "gender"]

    def filter_search(self, queryset, name, value):
        return queryset.with_personal_search(value) if value.strip() else queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        facts = worker_facts(self.form.cleaned_data)
        return queryset.with_facts(**facts) if facts else queryset


def worker_facts(data):
    """The conditions a worker's year row (WorkerYear) must meet, from WorkerFilter's
    cleaned data: {"year": 2021, "transferred": True, …}."""
    facts = {}
    if data.get("year") is not None:
        facts["year"] = data["year"]
    if data.get("month") is not None:
        facts["transferred_month"] = data["month"]
    for name in ("transferred", "transferred_east", "in_east", "stable"):
        if data.get(name) in ("0", "1"):
            facts[name] = data[name] == "1"
    if data.get("destination"):
        facts["transfer_destination"] = data["destination"]
    return facts


class WorkerYearWageFilter(WorkerFilter):
    """WorkerFilter for the worker list with a year: each worker also carries `year_wage`,
    his monthly wage of that year (WorkerQuerySet.with_year_wage), to show and sort by."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        year = self.form.cleaned_data.get("year")
        return queryset if year is None else queryset.with_year_wage(year)


class EmploymentFilter(LaborFilterSet):
    """Job spells. `year` alone: spells active during the year; `month`: spells that started in
    that month (of `year` when given); `started_in_year=1`: spells that started in `year`."""

    partnership = partnership_filter("worker__partnership")
    east = area_filter("east", "worker__partnership")
    west = area_filter("west", "worker__partnership")
    town = TownCodeFilter(label=_("户籍镇（街道）"), field_name="worker__home_town_id")
    household = filters.ChoiceFilter(
        label=_("户类型"), choices=Worker.Household.choices, field_name="worker__household"
    )
    year = YearFilter(label=_("年度（当年在岗）"), method="filter_year")
    month = MonthFilter(label=_("就业开始月份"), method="filter_month")
    started_in_year = _yes_no(_("当年开始就业"), "filter_started_in_year")
    in_east = filters.ChoiceFilter(
        label=_("在东部协作省份就业"), choices=YES_NO, method="filter_east"
    )
    channel = filters.ChoiceFilter(label=_("就业渠道"), choices=Employment.Channel.choices)
    worker = IntegerFilter(
        label=_("务工人员编号"),
        field_name="worker_id",
        min_value=1,
        max_value=2**63 - 1,  # beyond it SQLite raises OverflowError instead of matching nothing
    )

    class Meta:
        model = Employment
        fields = ["partnership", "town", "household", "channel", "worker"]

    def filter_year(self, queryset, name, value):
        return queryset.active_in(value)

    def filter_month(self, queryset, name, value):
        queryset = queryset.filter(start_date__month=value)
        year = self.form.cleaned_data.get("year")
        return queryset if year is None else queryset.filter(start_date__year=year)

    def filter_started_in_year(self, queryset, name, value):
        year = self.form.cleaned_data.get("year")
        if year is None:
            return queryset
        started = queryset.filter(start_date__year=year)
        return started if value == "1" else queryset.exclude(start_date__year=year)

    def filter_east(self, queryset, name, value):
        return queryset.filter(in_east=value == "1")


# --- Public lists -----------------------------------------------------------------------------


class JobFairFilter(LaborFilterSet):
    """Job fairs: `year` and `month` of the fair's date, `town` where it was held."""

    town = TownCodeFilter(label=_("举办镇（街道）"), field_name="town_id")
    year = YearFilter(label=_("年度"), field_name="date__year")
    month = MonthFilter(label=_("月份"), field_name="date__month")
    q = search_filter("name", "organiser", label=_("名称或主办单位"))

    class Meta:
        model = JobFair
        fields = ["partnership", "town"]


class TrainingCourseFilter(LaborFilterSet):
    """Training courses: `year` and `month` of the opening date (开班日期), `town` where held,
    `kind` (one or several)."""

    town = TownCodeFilter(label=_("举办镇（街道）"), field_name="town_id")
    year = YearFilter(label=_("年度（开班）"), field_name="start_date__year")
    month = MonthFilter(label=_("开班月份"), field_name="start_date__month")
    kind = filters.MultipleChoiceFilter(label=_("类型"), choices=TrainingCourse.Kind.choices)
    q = filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = TrainingCourse
        fields = ["partnership", "town", "kind"]


class CommunityFactoryFilter(LaborFilterSet):
    """Community factories: `year` means in operation at 31 December of the year (opened by
    then, not closed by then); `month` means opened in that month (of `year` when given);
    `opened_in_year=1` means opened during `year`."""

    town = TownCodeFilter(label=_("镇（街道）"), field_name="town_id")
    year = YearFilter(label=_("年度（年底在产）"), method="filter_year")
    month = MonthFilter(label=_("投产月份"), method="filter_month")
    opened_in_year = _yes_no(_("当年新投产"), "filter_opened_in_year")
    industry = filters.CharFilter(label=_("行业"), lookup_expr="icontains")
    q = filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = CommunityFactory
        fields = ["partnership", "town", "industry"]

    def filter_year(self, queryset, name, value):
        return queryset.in_operation_at_end_of(value)

    def filter_month(self, queryset, name, value):
        year = self.form.cleaned_data.get("year")
        if year is None:
            return queryset.filter(opened_on__month=value)
        return queryset.opened_in(year, value)

    def filter_opened_in_year(self, queryset, name, value):
        year = self.form.cleaned_data.get("year")
        if year is None:
            return queryset
        opened = queryset.opened_in(year)
        return opened if value == "1" else queryset.exclude(opened_on__year=year)
