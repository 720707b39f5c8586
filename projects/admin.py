"""Data entry of funds and industry: projects (with progress notes and disbursements),
investments, consumption sales, donations, co-built parks (with their yearly jobs) and
demonstration villages. Amounts are entered and shown in 万元."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.db.models import F
from django.db.models.functions import ExtractYear
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from cooperation.admin_base import TrackedAdmin
from cooperation.formatting import wan
from cooperation.imports.admin import spreadsheet
from cooperation.models import PARTNERSHIP_REGIONS

from .models import (
    ConsumptionSale,
    DemonstrationVillage,
    Disbursement,
    Donation,
    IndustrialPark,
    IndustrialParkYear,
    Investment,
    Project,
    ProjectProgress,
    disbursement_excess,
)

PLACE_FIELDS = ("town", "village", "place_text")


class YearListFilter(admin.SimpleListFilter):
    """Filter by year of a date field; the years offered are those present (one query)."""

    title = _("年度")
    parameter_name = "year"
    date_field = None

    def lookups(self, request, model_admin):
        years = (
            model_admin.get_queryset(request)
            .order_by()
            .annotate(y=ExtractYear(self.date_field))
            .values_list("y", flat=True)
            .distinct()
        )
        return [(str(y), str(y)) for y in sorted(years, reverse=True)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdecimal():
            if not 1 <= int(value) <= 9999:  # no such calendar year: no rows (never a 500)
                return queryset.none()
            return queryset.filter(**{f"{self.date_field}__year": int(value)})
        return queryset


class SignedYearFilter(YearListFilter):
    date_field = "signed_on"


class DateYearFilter(YearListFilter):
    date_field = "date"


class EstablishedYearFilter(YearListFilter):
    date_field = "established_on"


class UnofficialPlaceFilter(admin.SimpleListFilter):
    title = _("非标准地名")
    parameter_name = "unofficial_place"

    def lookups(self, request, model_admin):
        return (("1", _("是（按文字登记的地点）")), ("0", _("否")))

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.exclude(place_text="")
        if self.value() == "0":
            return queryset.filter(place_text="")
        return queryset


class PlacedAdmin(TrackedAdmin):
    """What the placed record types share: partnership, place, and the 非标准地名 flag."""

    autocomplete_fields = ("partnership", "town", "village")
    list_select_related = (*PARTNERSHIP_REGIONS, "town", "village")

    @admin.display(description=_("地点"), ordering="town")
    def place(self, obj):
        return obj.place_display or "—"

    @admin.display(description=_("非标准地名"), boolean=True, ordering="place_text")
    def unofficial_place(self, obj):
        return obj.place_is_unofficial


def wan_column(field, label):
    """A list column showing an amount in 万元 with thousands separators."""

    @admin.display(description=label, ordering=field)
    def column(self, obj):
        return wan(getattr(obj, field))

    column.__name__ = f"{field}_wan"
    return column


class CappedInline(admin.TabularInline):
    """The rows of a record entered on its page: one empty row offered, and a cap on what
    a posted form may ask the page to render (a forged TOTAL_FORMS)."""

    extra = 1
    max_num = 200
    absolute_max = 200


class ProjectProgressInline(CappedInline):
    model = ProjectProgress
    fields = ("date", "text", "percent_complete")


class DisbursementFormSet(BaseInlineFormSet):
    """The disbursements of a project as entered on its page: together with those stored
    but not on the page, within the project's aid funds (as the page changes them)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not self._should_delete_form(form)
            and (form.instance.pk is not None or form.has_changed())
        ]
        submitted = sum((form.cleaned_data["amount"] for form in kept), Decimal(0))
        replacing = [form.instance.pk for form in self.initial_forms]
        error = disbursement_excess(self.instance, submitted, replacing)
        if error is not None:
            raise error


class DisbursementInline(CappedInline):
    model = Disbursement
    formset = DisbursementFormSet
    fields = ("date", "amount", "voucher", "note")


@admin.register(Project)
class ProjectAdmin(spreadsheet("projects.resources.ProjectResource"), PlacedAdmin):
    list_display = (
        "name",
        "fund_year",
        "category",
        "status",
        "place",
        "unofficial_place",
        "aid_funds_wan",
        "local_funds_wan",
        "other_funds_wan",
        "beneficiaries",
        "beneficiaries_poverty_exited",
        "partnership",
    )
    list_filter = (
        "fund_year",
        "status",
        "category",
        ("town", admin.RelatedOnlyFieldListFilter),
        UnofficialPlaceFilter,
        "partnership",
    )
    search_fields = (
        "name",
        "description",
        "place_text",
        "town__name",
        "village__name",
        "implementing_org__name",
    )
    autocomplete_fields = (*PlacedAdmin.autocomplete_fields, "implementing_org")
    inlines = [ProjectProgressInline, DisbursementInline]
    fieldsets = (
        (None, {"fields": ("partnership", "fund_year", "name", "category", "status")}),
        (_("地点"), {"fields": PLACE_FIELDS}),
        (_("资金（万元）"), {"fields": ("aid_funds", "local_funds", "other_funds")}),
        (
            _("实施与受益"),
            {
                "fields": (
                    "implementing_org",
                    "beneficiaries",
                    "beneficiaries_poverty_exited",
                    "start_date",
                    "end_date",
                    "description",
                )
            },
        ),
    )

    aid_funds_wan = wan_column("aid_funds", _("协作资金（万元）"))
    local_funds_wan = wan_column("local_funds", _("地方配套（万元）"))
    other_funds_wan = wan_column("other_funds", _("其他资金（万元）"))


class DisbursementForm(forms.ModelForm):
    """One disbursement on its own page: with the project's others, within its aid funds."""

    def clean(self):
        cleaned_data = super().clean()
        project, amount = cleaned_data.get("project"), cleaned_data.get("amount")
        if project is not None and amount is not None:
            error = disbursement_excess(project, amount, [self.instance.pk])
            if error is not None:
                self.add_error("amount", error)
        return cleaned_data


@admin.register(Disbursement)
class DisbursementAdmin(spreadsheet("projects.resources.DisbursementResource"), TrackedAdmin):
    form = DisbursementForm
    list_display = ("project", "date", "amount_wan", "voucher", "partnership")
    list_filter = (DateYearFilter, "project__fund_year", "project__partnership")
    list_select_related = (
        "project",
        *(f"project__{path}" for path in PARTNERSHIP_REGIONS),
    )
    search_fields = ("project__name", "voucher", "note")
    autocomplete_fields = ("project",)
    date_hierarchy = "date"
    fields = ("project", "date", "amount", "voucher", "note")

    amount_wan = wan_column("amount", _("拨付金额（万元）"))

    @admin.display(description=_("协作关系"), ordering="project__partnership")
    def partnership(self, obj):
        return obj.project.partnership


class ArrivedOverAgreedFilter(admin.SimpleListFilter):
    title = _("到位投资超过协议投资")
    parameter_name = "over_agreed"

    def lookups(self, request, model_admin):
        return (("1", _("是")),)

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(arrived__gt=F("agreed"))
        return queryset


@admin.register(Investment)
class InvestmentAdmin(spreadsheet("projects.resources.InvestmentResource"), PlacedAdmin):
    list_display = (
        "enterprise",
        "project_name",
        "industry",
        "signed_on",
        "place",
        "unofficial_place",
        "agreed_wan",
        "arrived_wan",
        "jobs",
        "partnership",
    )
    list_filter = (
        SignedYearFilter,
        "industry",
        ("town", admin.RelatedOnlyFieldListFilter),
        ArrivedOverAgreedFilter,
        UnofficialPlaceFilter,
        "partnership",
    )
    search_fields = (
        "enterprise",
        "project_name",
        "industry",
        "place_text",
        "town__name",
        "park__name",
    )
    autocomplete_fields = (*PlacedAdmin.autocomplete_fields, "park")
    date_hierarchy = "signed_on"
    fieldsets = (
        (None, {"fields": ("partnership", "enterprise", "project_name", "industry", "signed_on")}),
        (_("地点"), {"fields": (*PLACE_FIELDS, "park")}),
        (
            _("投资（万元）与就业"),
            {"fields": ("agreed", "arrived", "arrived_over_agreed_confirmed", "jobs", "land_mu")},
        ),
        (None, {"fields": ("note",)}),
    )

    agreed_wan = wan_column("agreed", _("协议投资额（万元）"))
    arrived_wan = wan_column("arrived", _("实际到位投资（万元）"))


@admin.register(ConsumptionSale)
class ConsumptionSaleAdmin(spreadsheet("projects.resources.ConsumptionSaleResource"), PlacedAdmin):
    list_display = (
        "year",
        "month",
        "kind",
        "channel",
        "product_category",
        "seller",
        "buyer",
        "place",
        "unofficial_place",
        "amount_wan",
        "certified_amount_wan",
        "partnership",
    )
    list_filter = (
        "year",
        "month",
        "kind",
        "channel",
        "product_category",
        ("town", admin.RelatedOnlyFieldListFilter),
        UnofficialPlaceFilter,
        "partnership",
    )
    search_fields = ("seller", "buyer", "note", "place_text", "town__name")
    fieldsets = (
        (None, {"fields": ("partnership", "year", "month", "kind", "channel", "product_category")}),
        (_("地点"), {"fields": PLACE_FIELDS}),
        (
            _("销售（万元）"),
            {"fields": ("seller", "buyer", "amount", "certified_amount", "note")},
        ),
    )

    amount_wan = wan_column("amount", _("销售金额（万元）"))
    certified_amount_wan = wan_column("certified_amount", _("其中扶贫产品（万元）"))


@admin.register(Donation)
class DonationAdmin(spreadsheet("projects.resources.DonationResource"), PlacedAdmin):
    list_display = (
        "date",
        "donor",
        "recipient",
        "place",
        "unofficial_place",
        "cash_wan",
        "in_kind_wan",
        "total_wan",
        "purpose",
        "partnership",
    )
    list_filter = (
        DateYearFilter,
        ("town", admin.RelatedOnlyFieldListFilter),
        UnofficialPlaceFilter,
        "partnership",
    )
    search_fields = ("donor", "donor_org__name", "recipient", "purpose", "place_text")
    autocomplete_fields = (*PlacedAdmin.autocomplete_fields, "donor_org")
    date_hierarchy = "date"
    fieldsets = (
        (None, {"fields": ("partnership", "donor", "donor_org", "recipient", "date")}),
        (_("地点"), {"fields": PLACE_FIELDS}),
        (_("捐赠（万元）"), {"fields": ("cash", "in_kind", "purpose")}),
    )

    cash_wan = wan_column("cash", _("捐款（万元）"))
    in_kind_wan = wan_column("in_kind", _("捐物折价（万元）"))

    @admin.display(description=_("合计（万元）"))
    def total_wan(self, obj):
        return wan(obj.total)


class IndustrialParkYearInline(CappedInline):
    model = IndustrialParkYear
    fields = ("year", "jobs", "poverty_exited_jobs")
    max_num = 100
    absolute_max = 100


@admin.register(IndustrialPark)
class IndustrialParkAdmin(spreadsheet("projects.resources.IndustrialParkResource"), PlacedAdmin):
    list_display = (
        "name",
        "kind",
        "established_on",
        "place",
        "unofficial_place",
        "partnership",
    )
    list_filter = (
        "kind",
        EstablishedYearFilter,
        ("town", admin.RelatedOnlyFieldListFilter),
        UnofficialPlaceFilter,
        "partnership",
    )
    search_fields = ("name", "note", "place_text", "town__name")
    inlines = [IndustrialParkYearInline]
    fieldsets = (
        (None, {"fields": ("partnership", "name", "kind", "established_on")}),
        (_("地点"), {"fields": PLACE_FIELDS}),
        (None, {"fields": ("note",)}),
    )


@admin.register(DemonstrationVillage)
class DemonstrationVillageAdmin(
    spreadsheet("projects.resources.DemonstrationVillageResource"), PlacedAdmin
):
    list_display = ("year", "place", "funds_wan", "partnership")
    list_filter = ("year", ("town", admin.RelatedOnlyFieldListFilter), "partnership")
    search_fields = ("village__name", "town__name", "note")
    fieldsets = (
        (None, {"fields": ("partnership", "year")}),
        (_("地点"), {"fields": ("town", "village")}),
        (_("资金（万元）"), {"fields": ("funds", "note")}),
    )

    funds_wan = wan_column("funds", _("投入协作资金（万元）"))
