"""Filters of the public lists (projects, investments, consumption sales, donations,
co-built parks and their yearly jobs, demonstration villages).

Every indicator's `list_url` (see `indicators.py`) is a query string for one of these
FilterSets: `partnership`, `year`, `town` (9-digit code), `month` where records have one,
`east`/`west` (a roll-up scope: cooperation.lists.filters.area_filter), plus fixed values such
as `exclude_cancelled=1`. Applied to all records, those parameters select exactly the rows
that add up to the indicator (tested for every indicator).

Bad values (`year=abc`, `town=zzz`, `month=13`) make the form invalid with a message
naming the field; the FilterSet then selects no rows rather than silently dropping the
filter (which would show, say, every town's rows under one town's heading).
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.lists.filters import (
    YES,
    ListFilterSet,
    MonthFilter,
    TownCodeFilter,
    YearFilter,
    area_filter,
    partnership_filter,
    search_filter,
)

from .models import (
    ConsumptionSale,
    DemonstrationVillage,
    Donation,
    IndustrialPark,
    IndustrialParkYear,
    Investment,
    Project,
)


class PlacedFilterSet(ListFilterSet):
    """What the lists of records placed in the west share: the town, and the place written
    as text."""

    town = TownCodeFilter()
    unofficial_place = django_filters.ChoiceFilter(
        label=_("非标准地名"), choices=YES, method="filter_unofficial_place"
    )

    def filter_unofficial_place(self, queryset, name, value):
        return queryset.with_unofficial_place() if value else queryset


class ProjectFilter(PlacedFilterSet):
    year = YearFilter(field_name="fund_year")
    status = django_filters.ChoiceFilter(label=_("项目状态"), choices=Project.Status.choices)
    category = django_filters.ChoiceFilter(label=_("项目类别"), choices=Project.Category.choices)
    exclude_cancelled = django_filters.ChoiceFilter(
        label=_("不含已取消项目"), choices=YES, method="filter_exclude_cancelled"
    )
    q = search_filter(
        "name",
        "description",
        "implementing_org__name",
        "place_text",
        "village__name",
        "town__name",
        label=_("项目名称、内容、实施单位或地点包含"),
    )
    o = django_filters.OrderingFilter(
        fields=(("fund_year", "year"), ("aid_funds", "aid_funds"), ("name", "name")),
        field_labels={"year": _("资金年度"), "aid_funds": _("协作资金"), "name": _("项目名称")},
        label=_("排序"),
    )

    class Meta:
        model = Project
        fields = []

    def filter_exclude_cancelled(self, queryset, name, value):
        return queryset.not_cancelled() if value else queryset


class InvestmentFilter(PlacedFilterSet):
    year = YearFilter(field_name="signed_on__year")
    month = MonthFilter(field_name="signed_on__month")
    industry = django_filters.CharFilter(
        field_name="industry", lookup_expr="icontains", label=_("行业包含")
    )
    in_park = django_filters.ChoiceFilter(
        label=_("入驻共建园区"), choices=YES, method="filter_in_park"
    )
    q = search_filter(
        "enterprise",
        "project_name",
        "industry",
        "place_text",
        "town__name",
        "park__name",
        label=_("企业名称、投资项目、行业、地点或园区包含"),
    )
    o = django_filters.OrderingFilter(
        fields=(("signed_on", "signed_on"), ("agreed", "agreed"), ("arrived", "arrived")),
        field_labels={
            "signed_on": _("签约日期"),
            "agreed": _("协议投资额"),
            "arrived": _("实际到位投资"),
        },
        label=_("排序"),
    )

    class Meta:
        model = Investment
        fields = []

    def filter_in_park(self, queryset, name, value):
        return queryset.filter(park__isnull=False) if value else queryset


class IndustrialParkFilter(PlacedFilterSet):
    """Parks: `year` means established by 31 December of the year (existing at its end);
    `month` means established in that month (of `year` when given)."""

    year = YearFilter(
        field_name="established_on", label=_("年度（年底已建成）"), method="filter_year"
    )
    month = MonthFilter(
        field_name="established_on__month", label=_("建成月份"), method="filter_month"
    )
    kind = django_filters.ChoiceFilter(label=_("园区类型"), choices=IndustrialPark.Kind.choices)
    q = search_filter(
        "name", "note", "place_text", "town__name", label=_("园区名称、备注或地点包含")
    )
    o = django_filters.OrderingFilter(
        fields=(("established_on", "established_on"), ("name", "name")),
        field_labels={"established_on": _("建成日期"), "name": _("园区名称")},
        label=_("排序"),
    )

    class Meta:
        model = IndustrialPark
        fields = []

    def filter_year(self, queryset, name, value):
        return queryset.existing_at_end_of(value)

    def filter_month(self, queryset, name, value):
        year = self.form.cleaned_data.get("year")
        if year is None:
            return queryset.filter(established_on__month=value)
        return queryset.established_in(year, value)


class IndustrialParkYearFilter(ListFilterSet):
    """Parks' yearly jobs: a park's partnership, region and town are the row's."""

    partnership = partnership_filter("park__partnership")
    east = area_filter("east", path="park__partnership")
    west = area_filter("west", path="park__partnership")
    town = TownCodeFilter(field_name="park__town")
    year = YearFilter(field_name="year")
    kind = django_filters.ChoiceFilter(
        label=_("园区类型"), field_name="park__kind", choices=IndustrialPark.Kind.choices
    )
    q = search_filter("park__name", label=_("园区名称包含"))

    class Meta:
        model = IndustrialParkYear
        fields = []


class DemonstrationVillageFilter(PlacedFilterSet):
    year = YearFilter(field_name="year")
    q = search_filter(
        "village__name", "town__name", "note", "place_text", label=_("村、镇或备注包含")
    )
    o = django_filters.OrderingFilter(
        fields=(("year", "year"), ("funds", "funds")),
        field_labels={"year": _("年度"), "funds": _("投入协作资金")},
        label=_("排序"),
    )

    class Meta:
        model = DemonstrationVillage
        fields = []


class ConsumptionSaleFilter(PlacedFilterSet):
    year = YearFilter(field_name="year")
    month = MonthFilter(field_name="month")
    kind = django_filters.ChoiceFilter(
        label=_("消费帮扶方式"), choices=ConsumptionSale.Kind.choices
    )
    channel = django_filters.ChoiceFilter(
        label=_("销售渠道"), choices=ConsumptionSale.Channel.choices
    )
    product_category = django_filters.ChoiceFilter(
        label=_("产品类别"), choices=ConsumptionSale.ProductCategory.choices
    )
    certified = django_filters.ChoiceFilter(
        label=_("含国家认定扶贫产品"), choices=YES, method="filter_certified"
    )
    q = search_filter(
        "seller", "buyer", "note", "place_text", "town__name", label=_("销售主体、采购方或备注包含")
    )
    o = django_filters.OrderingFilter(
        fields=(("year", "year"), ("month", "month"), ("amount", "amount")),
        field_labels={"year": _("年度"), "month": _("月份"), "amount": _("销售金额")},
        label=_("排序"),
    )

    class Meta:
        model = ConsumptionSale
        fields = []

    def filter_certified(self, queryset, name, value):
        return queryset.with_certified_products() if value else queryset


class DonationFilter(PlacedFilterSet):
    KIND_CHOICES = [("cash", _("含捐款")), ("in_kind", _("含捐物"))]

    year = YearFilter(field_name="date__year")
    month = MonthFilter(field_name="date__month")
    kind = django_filters.ChoiceFilter(
        label=_("捐赠方式"), choices=KIND_CHOICES, method="filter_kind"
    )
    q = search_filter(
        "donor",
        "donor_org__name",
        "recipient",
        "purpose",
        "place_text",
        label=_("捐赠方、受赠单位或用途包含"),
    )
    o = django_filters.OrderingFilter(
        fields=(("date", "date"), ("cash", "cash"), ("in_kind", "in_kind")),
        field_labels={"date": _("捐赠日期"), "cash": _("捐款"), "in_kind": _("捐物折价")},
        label=_("排序"),
    )

    class Meta:
        model = Donation
        fields = []

    def filter_kind(self, queryset, name, value):
        if value == "cash":
            return queryset.in_cash()
        if value == "in_kind":
            return queryset.in_kind()
        return queryset
