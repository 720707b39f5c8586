"""The filters every list shares — ListFilterSet (partnership, `east`/`west`, the period
`since`), YearFilter, MonthFilter, TownCodeFilter, search_filter, FlagFilter — and the
FilterSets of the core lists (pairings, postings, visits, cadre training); the labour and
projects lists build theirs from the same parts (labor/filters.py, projects/filters.py).

Each FilterSet honours every parameter the indicators put in their links
(`cooperation.dashboard.indicators.list_link`), so that a card's link lists exactly the rows that add
up to the card: partnership, year, since, town, month, direction, kind=cadre|professional,
cumulative=1, on_post_at_year_end=1, on_post_in_year=1, active_at_year_end=1, level,
signed_in_year=1. Bad values give the form's own message, never a 500, and no rows.

`area_filter` narrows any list to a roll-up scope above the county: `east=32` (the eastern
county lies in province 32), `east=3204` (in city 3204), `east=320412` (that county), and
`west=` the same for the western county.
"""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperation.dashboard.indicators import normal_since, period_error, years_of
from cooperation.models import (
    CadreTraining,
    Direction,
    Pairing,
    Partnership,
    Posting,
    Region,
    Side,
    Visit,
)

#: the one choice of a filter that is on (=1) or off (absent)
YES = [("1", _("是"))]

# East–West cooperation (东西部扶贫协作) began in 1996.
MIN_YEAR, MAX_YEAR = 1996, 2100
_YEAR_RANGE = _("年度应在1996至2100之间。")
YEAR_ERRORS = {
    "invalid": _("年度应为四位数字，如 2021。"),
    "min_value": _YEAR_RANGE,
    "max_value": _YEAR_RANGE,
}
_MONTH = _("月份应为1至12。")
MONTH_ERRORS = {"invalid": _MONTH, "min_value": _MONTH, "max_value": _MONTH}


def unfiltered(queryset, name, value):
    """A filter's method for values another step applies (the FilterSet's own logic)."""
    return queryset


class YearFilter(django_filters.NumberFilter):
    """A calendar year: a field's year (`field_name`), or what the FilterSet's `method` says
    "in the year" means for its records."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("年度"))
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        kwargs.setdefault("error_messages", YEAR_ERRORS)
        super().__init__(*args, **kwargs)


class MonthFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("月份"))
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 12)
        kwargs.setdefault("error_messages", MONTH_ERRORS)
        super().__init__(*args, **kwargs)


class FlagInput(forms.CheckboxInput):
    """A checkbox that also reads "1"/"0" from links ("0", "false" and "" are unchecked)."""

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if value is None:
            return False
        return str(value).strip().lower() not in ("", "0", "false", "off", "no")


class FlagFilter(django_filters.BooleanFilter):
    field_class = forms.BooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", FlagInput)
        kwargs.setdefault("method", unfiltered)
        super().__init__(*args, **kwargs)


NEEDS_YEAR = _("请同时选择年度。")


class PeriodForm(forms.Form):
    """A list's form with `since`: the first year of a period ending in `year` (shown right
    after it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = [name for name in self.fields if name != "since"]
        if "year" in names:
            names.insert(names.index("year") + 1, "since")
            self.order_fields(names)

    def clean(self):
        data = super().clean()
        since, year = data.get("since"), data.get("year")
        if since is None or "year" in self.errors:
            return data
        if year is None:
            self.add_error("since", NEEDS_YEAR)
        elif error := period_error(year, since):
            self.add_error("since", error)
        elif data.get("month") is not None and since < year:
            self.add_error("since", _("按月份筛选时不能选择起始年度。"))
        return data


AREA_CODE_ERROR = _("地区代码应为2位（省）、4位（市）或6位（县）数字。")
# ASCII digits only (\d would take full-width and other Unicode digits), 2, 4 or 6 of them.
AREA_CODE = RegexValidator(r"\A[0-9]{2}(?:[0-9]{2}){0,2}\Z", AREA_CODE_ERROR)


def area_filter(side, path="partnership"):
    """The partnership's eastern (`side="east"`) or western county lies in the region whose
    code is given: a province (2 digits), a city (4) or the county itself (6). Region codes
    nest by prefix (cooperation.models.Region), so this is a prefix test on the county code
    held on the partnership: `east_region__code` (a foreign key has no `startswith` lookup,
    so not `east_region_id`) is the partnership's own `east_region_id` column, as Django
    leaves out the join to the regions for a key's target field. `path` leads from the
    list's model to its Partnership ("worker__partnership" for job spells). Anything but 2,
    4 or 6 digits makes the form invalid with AREA_CODE_ERROR, so the list shows no rows."""
    if side not in ("east", "west"):
        raise ValueError(f"side must be 'east' or 'west', not {side!r}")
    return django_filters.CharFilter(
        label=_("东部地区") if side == "east" else _("西部地区"),
        field_name=f"{path}__{side}_region__code",
        lookup_expr="startswith",
        validators=[AREA_CODE],
    )


def search_filter(*fields, label):
    """`q`: text found in any of the fields (case-insensitive)."""

    def search(queryset, name, value):
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)

    return django_filters.CharFilter(label=label, method=search)


def partnership_filter(field_name="partnership"):
    return django_filters.ModelChoiceFilter(
        label=_("协作关系"),
        field_name=field_name,
        queryset=Partnership.objects.with_regions(),
        empty_label=_("全部"),
    )


# ASCII digits only, as AREA_CODE.
TOWN_CODE = RegexValidator(r"\A[0-9]{9}\Z", _("镇（街道）应为9位统计用区划代码，如 610902001。"))


class TownCodeFilter(django_filters.CharFilter):
    """A town (镇、街道) by its 9-digit code, on a field holding a town's code (`town_id`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("镇（街道）"))
        kwargs.setdefault("validators", [TOWN_CODE])
        super().__init__(*args, **kwargs)


class ListFilterSet(django_filters.FilterSet):
    """Base of every list's FilterSet: the partnership and the regions of its counties (a
    roll-up scope), the period, and no rows (not every row) when a parameter is invalid: a
    list never silently drops a filter it could not read.

    `?since=2020&year=2021` lists the records that `year=2020` or `year=2021` lists, each
    once, however the FilterSet reads a year (signed in it, on post during it, in operation
    at its end…): the dashboard counts a period the same way
    (cooperation.dashboard.indicators.any_year), so a card's list of a period adds up to the
    card. A period longer than LONGEST_PERIOD, `since` after `year`, or with a
    month is refused with a message naming `since`."""

    partnership = partnership_filter()
    east = area_filter("east")
    west = area_filter("west")
    since = YearFilter(
        label=_("起始年度"),
        method=unfiltered,
        help_text=_("与年度一起选择：列出从起始年度到年度各年的记录，每条只列一次"),
    )

    def get_form_class(self):
        form_class = super().get_form_class()
        return type(form_class.__name__, (PeriodForm, form_class), {})

    def period(self):
        """The years of the period chosen, or None for no period (a year alone, no year,
        or input that is not valid)."""
        if not self.is_bound or not self.is_valid():
            return None
        year = self.form.cleaned_data.get("year")
        since = None if year is None else normal_since(year, self.form.cleaned_data.get("since"))
        return None if since is None else years_of(year, since)

    @property
    def qs(self):
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        years = self.period()
        if years is None:
            return super().qs
        data, base = self.form.cleaned_data, self.queryset.all()
        chosen = models.Q()
        for year in years:
            data["year"] = year
            chosen |= models.Q(pk__in=self.filter_queryset(base).values("pk"))
        data["year"] = years[-1]
        chosen = base.filter(chosen)
        for name, ordering in self.filters.items():  # an `o` ordering does not survive `pk IN`
            if isinstance(ordering, django_filters.OrderingFilter):
                chosen = ordering.filter(chosen, data.get(name))
        return chosen


def western_towns(partnership_id=None):
    """Towns of the western county of one partnership (or of every partnership)."""
    partnerships = Partnership.objects.all()
    if partnership_id is not None:
        partnerships = partnerships.filter(pk=partnership_id)
    return Region.objects.filter(
        level=Region.Level.TOWN, parent__in=partnerships.values("west_region")
    ).order_by("code")


class TownChoiceFilter(django_filters.ModelChoiceFilter):
    """A town of the western county, given by its 9-digit code (?town=610902001)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("镇（街道）"))
        kwargs.setdefault("queryset", western_towns())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("empty_label", _("全部"))
        kwargs.setdefault("method", unfiltered)
        super().__init__(*args, **kwargs)


class YearScopedFilterSet(ListFilterSet):
    """Base for FilterSets whose year, month, town and flags are applied together: the town
    by the records' own `in_town`, the year by `in_year` (what "in the year" means depends
    on the flags), and a month to the records dated (`dated_by`) in that month of the year."""

    year = YearFilter(method=unfiltered)
    month = MonthFilter(method=unfiltered)
    dated_by = ""  # the date field of the records

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        town = self.filters.get("town")
        pid = str((data or {}).get("partnership") or "")
        # At most 19 digits (a 64-bit key): int() of thousands of digits raises ValueError.
        if town is not None and pid.isdecimal() and len(pid) <= 19:
            # Offer (and accept) only the towns of the chosen partnership's western county.
            self.filters["town"].queryset = western_towns(int(pid))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        year, month, town = data.get("year"), data.get("month"), data.get("town")
        if town is not None:
            queryset = queryset.in_town(town)
        if year is None:
            return queryset
        queryset = self.in_year(queryset, year, data)
        if month is not None:
            dated = {f"{self.dated_by}__year": year, f"{self.dated_by}__month": month}
            queryset = queryset.filter(**dated)
        return queryset

    def in_year(self, queryset, year, data):
        return queryset.in_year(year)

    def get_form_class(self):
        form_class = super().get_form_class()
        return type(form_class.__name__, (YearRequiredMixin, form_class), {})


class YearRequiredMixin:
    """A flag or a month without a year is an error: they count relative to a year."""

    def clean(self):
        data = super().clean()
        if data.get("year") is None and "year" not in self.errors:
            needs_year = [
                name
                for name, field in self.fields.items()
                if name == "month" or isinstance(field.widget, FlagInput)
            ]
            if any(data.get(name) for name in needs_year):
                self.add_error("year", NEEDS_YEAR)
        return data


class PairingFilter(YearScopedFilterSet):
    """Pairings. With a year: signed in that year, unless `active_at_year_end=1` (signed by
    31 December and not ended before it). `signed_in_year=1` states the default explicitly."""

    town = TownChoiceFilter(help_text=_("按西部单位所在镇"))
    level = django_filters.ChoiceFilter(
        label=_("结对类型"), choices=Pairing.Level.choices, empty_label=_("全部")
    )
    active_at_year_end = FlagFilter(label=_("年底有效"))
    signed_in_year = FlagFilter(label=_("本年度签约"))
    q = search_filter("east_org__name", "west_org__name", label=_("单位名称"))

    dated_by = "signed_on"

    class Meta:
        model = Pairing
        fields = ["partnership", "year", "month", "town", "level"]

    def in_year(self, queryset, year, data):
        if data.get("active_at_year_end"):
            return queryset.active_at_end_of(year)
        return queryset.filter(signed_on__year=year)


class PostingFilter(YearScopedFilterSet):
    """Postings. With a year: arrived in that year, unless `cumulative=1` (arrived by
    31 December), `on_post_at_year_end=1` (on post on 31 December) or `on_post_in_year=1`
    (on post on some day of the year). A month narrows to arrivals in that month. A town is
    the posting's western end (`PostingQuerySet.in_town`), as in the indicators."""

    town = TownChoiceFilter(help_text=_("按西部一端（西部派出单位或西部接收单位）所在镇"))
    direction = django_filters.ChoiceFilter(
        label=_("派出方向"), choices=Direction.choices, empty_label=_("全部")
    )
    kind = django_filters.ChoiceFilter(
        label=_("干部或人才"),
        choices=[
            ("cadre", _("党政干部")),
            ("professional", _("专业技术人才")),
            ("other_professional", _("其他专业技术人才（科技及其他）")),
        ],
        empty_label=_("全部"),
        method="filter_kind",
    )
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=Posting.Category.choices, empty_label=_("全部")
    )
    cumulative = FlagFilter(label=_("截至年底累计"))
    on_post_at_year_end = FlagFilter(label=_("年底在岗"))
    on_post_in_year = FlagFilter(label=_("本年度内在岗"))
    q = search_filter("person_name", "home_org__name", "host_org__name", label=_("姓名或单位"))

    dated_by = "start_date"

    class Meta:
        model = Posting
        fields = ["partnership", "year", "month", "town", "direction", "kind", "category"]

    def filter_kind(self, queryset, name, value):
        if value == "other_professional":
            return queryset.filter(category__in=Posting.OTHER_PROFESSIONAL_CATEGORIES)
        return queryset.cadres() if value == "cadre" else queryset.professionals()

    def in_year(self, queryset, year, data):
        if data.get("on_post_at_year_end"):
            return queryset.on_post_at_end_of(year)
        if data.get("on_post_in_year"):
            return queryset.on_post_during(year)
        if data.get("cumulative"):
            return queryset.started_by_end_of(year)
        return queryset.started_in(year)


class VisitFilter(YearScopedFilterSet):
    """Visits: of the year (and month) by their date."""

    direction = django_filters.ChoiceFilter(
        label=_("方向"), choices=Direction.choices, empty_label=_("全部")
    )
    level = django_filters.ChoiceFilter(
        label=_("带队级别"), choices=Visit.Level.choices, empty_label=_("全部")
    )
    with_enterprises = django_filters.ChoiceFilter(
        label=_("组织企业考察"), choices=YES, method="filter_with_enterprises"
    )
    q = search_filter("leader", "purpose", label=_("带队领导或事由"))

    dated_by = "date"

    class Meta:
        model = Visit
        fields = ["partnership", "year", "month", "direction", "level"]

    def filter_with_enterprises(self, queryset, name, value):
        return queryset.filter(enterprises__gt=0) if value else queryset


class CadreTrainingFilter(YearScopedFilterSet):
    """Cadre and professional training: of the year (and month) by the day it started."""

    audience = django_filters.ChoiceFilter(
        label=_("培训对象"), choices=CadreTraining.Audience.choices, empty_label=_("全部")
    )
    held_in = django_filters.ChoiceFilter(
        label=_("举办地"), choices=Side.choices, empty_label=_("全部")
    )
    q = search_filter("title", "organiser", label=_("培训班名称或承办单位"))

    dated_by = "start_date"

    class Meta:
        model = CadreTraining
        fields = ["partnership", "year", "month", "audience", "held_in"]
