"""Data entry for labour cooperation. Personal data (name, ID number, phone, birth date,
note) is shown in full only with `labor.view_personal_data` (labor/privacy.py); without it
the lists and change pages show masked values and no form input holds a raw value, search
by name or ID number is off, and the history of this app is closed."""

import datetime

from django.contrib import admin, messages
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.admin_base import AUDIT_FIELDS, NoRegionLinks, TrackedAdmin
from cooperation.imports.admin import spreadsheet
from cooperation.models import PARTNERSHIP_REGIONS, Partnership, Region

from . import idcard
from .models import CommunityFactory, Employment, JobFair, TrainingCourse, Worker, WorkerYear
from .privacy import can_view_personal_data
from .resources import EMPLOYMENT_FIELDS
from .rules import FACTS


class LaborAdmin(TrackedAdmin):
    """History of labour records needs both the history and the personal-data permission:
    old versions of a worker hold his name, ID number and phone in full."""

    def has_history_permission(self, request, obj=None):
        return super().has_history_permission(request, obj) and can_view_personal_data(request.user)


class PartnershipFilter(admin.SimpleListFilter):
    title = _("协作关系")
    parameter_name = "partnership"

    def lookups(self, request, model_admin):
        # One query, regions joined: the default related filter runs two per partnership.
        return [(str(p.pk), str(p)) for p in Partnership.objects.with_regions()]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdecimal():
            return queryset
        field = "worker__partnership_id" if queryset.model is Employment else "partnership_id"
        return queryset.filter(**{field: self.value()})


class TownFilter(admin.SimpleListFilter):
    """Towns of the selected partnership's western county (of the only one when there is one);
    a national deployment would otherwise list thousands of towns."""

    title = _("镇（街道）")
    parameter_name = "town"
    field = "town_id"

    def lookups(self, request, model_admin):
        chosen = request.GET.get(PartnershipFilter.parameter_name, "")
        partnerships = Partnership.objects.order_by("pk")
        partnerships = partnerships.filter(pk=chosen) if chosen.isdecimal() else partnerships
        west = list(partnerships.values_list("west_region_id", flat=True)[:2])
        if len(west) != 1:
            return []
        towns = Region.objects.filter(level=Region.Level.TOWN, code__startswith=west[0])
        return list(towns.values_list("code", "name"))

    def queryset(self, request, queryset):
        return queryset.filter(**{self.field: self.value()}) if self.value() else queryset


class HomeTownFilter(TownFilter):
    title = _("户籍镇（街道）")
    parameter_name = "home_town"
    field = "home_town_id"


def years_with_data(queryset, date_field):
    """A year filter's choices: the years from the latest `date_field` of the queryset back
    to the earliest, newest first. One query of MIN and MAX, which the index on the date
    field answers from its two ends (a DISTINCT over the years would read all of it: a
    million employments nationally)."""
    span = queryset.aggregate(first=Min(date_field), last=Max(date_field))
    if span["first"] is None:
        return []
    years = range(span["last"].year, span["first"].year - 1, -1)
    return [(str(y), str(y)) for y in years]


class TransferredYearFilter(admin.SimpleListFilter):
    title = _("转移就业年度")
    parameter_name = "transferred_year"

    def lookups(self, request, model_admin):
        # Transferred in a year = an employment starts in it (WorkerYear.transferred).
        return years_with_data(Employment.objects.all(), "start_date")

    def queryset(self, request, queryset):
        if self.value() and self.value().isdecimal():
            return queryset.with_facts(year=int(self.value()), transferred=True)
        return queryset


class StableFilter(admin.SimpleListFilter):
    """Stable in the year chosen under 转移就业年度, else in the current year."""

    title = _("稳定就业（所选年度，默认本年）")
    parameter_name = "stable"

    def lookups(self, request, model_admin):
        return (("1", _("稳定就业")), ("0", _("未达稳定就业")))

    def queryset(self, request, queryset):
        if self.value() not in ("0", "1"):
            return queryset
        year = request.GET.get(TransferredYearFilter.parameter_name, "")
        year = int(year) if year.isdecimal() else timezone.localdate().year
        return queryset.with_facts(year=year, stable=self.value() == "1")


class EmploymentInline(NoRegionLinks, admin.TabularInline):
    model = Employment
    extra = 0
    # Caps what a posted form may ask the page to render (a forged TOTAL_FORMS).
    max_num = 200
    absolute_max = 200
    fields = (*EMPLOYMENT_FIELDS, "in_east")
    readonly_fields = ("in_east",)
    autocomplete_fields = ("destination", "job_fair")
    show_change_link = True


class WorkerYearInline(admin.TabularInline):
    """The derived facts per year, for checking: read-only, rebuilt on every save."""

    model = WorkerYear
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = _("年度就业情况（系统根据就业记录计算）")
    fields = ("year", *FACTS)
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("labor.view_worker")


@admin.register(Worker)
class WorkerAdmin(spreadsheet("labor.resources.WorkerResource"), LaborAdmin):
    inlines = (EmploymentInline, WorkerYearInline)
    list_filter = (
        PartnershipFilter,
        "household",
        HomeTownFilter,
        TransferredYearFilter,
        StableFilter,
        "gender",
    )
    search_fields = ("name",)  # replaced by get_search_results: exact ID number, or name
    search_help_text = _("输入姓名（包含即可）或完整的18位身份证号码（精确匹配）。")
    list_select_related = ("home_town", *PARTNERSHIP_REGIONS)
    autocomplete_fields = ("home_town", "home_village")

    # The list fits a 1366 px screen beside the menu and the filters: no birth date (the ID
    # number beside it holds it) and no record number (name and ID number are the links).
    PERSONAL_LIST = ("name", "id_number", "gender", "phone")
    MASKED = ("masked_name", "masked_id_number", "gender", "masked_phone")  # list and form
    REST_LIST = ("household", "home_town", "partnership")
    PERSONAL_FORM = ("name", "id_number", "gender", "birth_date", "phone")
    REST_FORM = ("partnership", "household", "home_town", "home_village")

    @admin.display(description=_("姓名"))
    def masked_name(self, obj):
        return obj.masked_name

    @admin.display(description=_("身份证号码"))
    def masked_id_number(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("手机号码"))
    def masked_phone(self, obj):
        return obj.masked_phone

    def get_list_display(self, request):
        personal = self.PERSONAL_LIST if can_view_personal_data(request.user) else self.MASKED
        return personal + self.REST_LIST

    def get_list_display_links(self, request, list_display):
        return list_display[:2]

    def get_fields(self, request, obj=None):
        if can_view_personal_data(request.user):
            return (*self.PERSONAL_FORM, *self.REST_FORM, "note", *AUDIT_FIELDS)
        # No raw name, ID number, phone, birth date or note: not even in a hidden input.
        return (*self.MASKED, *self.REST_FORM, *AUDIT_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        derived = ("gender", "birth_date")
        if can_view_personal_data(request.user):
            return (*derived, *AUDIT_FIELDS)
        return (*self.MASKED, *derived, *AUDIT_FIELDS)

    def has_add_permission(self, request):
        # Registering a worker means typing his personal data.
        return super().has_add_permission(request) and can_view_personal_data(request.user)

    def get_search_fields(self, request):
        return self.search_fields if can_view_personal_data(request.user) else ()

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        if not can_view_personal_data(request.user):
            # Finding a person by name or number is itself personal data.
            return queryset.none(), False
        return queryset.with_personal_search(search_term), False

    def changelist_view(self, request, extra_context=None):
        if request.GET.get("q", "").strip() and not can_view_personal_data(request.user):
            messages.warning(request, _("按姓名或身份证号码查找需要“查看个人信息”权限。"))
        return super().changelist_view(request, extra_context)


class StartYearFilter(admin.SimpleListFilter):
    title = _("就业开始年度")
    parameter_name = "start_year"

    def lookups(self, request, model_admin):
        return years_with_data(model_admin.get_queryset(request), "start_date")

    def queryset(self, request, queryset):
        if self.value() and self.value().isdecimal():
            year = int(self.value())
            if not 1 <= year <= 9999:  # no such calendar year: no rows (never a 500)
                return queryset.none()
            return queryset.filter(
                start_date__gte=datetime.date(year, 1, 1),
                start_date__lte=datetime.date(year, 12, 31),
            )
        return queryset


@admin.register(Employment)
class EmploymentAdmin(LaborAdmin):
    list_display = (
        "id",
        "worker",
        "worker_name",
        "employer",
        "destination",
        "start_date",
        "end_date",
        "monthly_wage",
        "channel",
        "in_east",
    )
    list_filter = (PartnershipFilter, StartYearFilter, "channel", "in_east")
    list_select_related = ("worker", "destination")
    search_fields = ("employer",)
    search_help_text = _("输入就业单位，或务工人员完整的18位身份证号码（精确匹配）。")
    autocomplete_fields = ("worker", "destination", "job_fair")
    readonly_fields = ("in_east",)

    @admin.display(description=_("姓名"))
    def worker_name(self, obj):
        return obj.worker.name

    def get_list_display(self, request):
        display = list(super().get_list_display(request))
        if not can_view_personal_data(request.user):
            display[display.index("worker_name")] = "worker_masked_name"
        return display

    @admin.display(description=_("姓名"))
    def worker_masked_name(self, obj):
        return obj.worker.masked_name

    def get_search_results(self, request, queryset, search_term):
        if idcard.looks_like_id_number(search_term):
            if not can_view_personal_data(request.user):
                return queryset.none(), False
            return queryset.filter(worker__id_number=idcard.normalise(search_term)), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(JobFair)
class JobFairAdmin(spreadsheet("labor.resources.JobFairResource"), LaborAdmin):
    list_display = (
        "date",
        "name",
        "town",
        "organiser",
        "employers",
        "jobs_offered",
        "intentions",
        "hired",
        "stable",
        "partnership",
    )
    list_filter = (PartnershipFilter, TownFilter, ("date", admin.DateFieldListFilter))
    search_fields = ("name", "organiser", "place")
    list_select_related = ("town", *PARTNERSHIP_REGIONS)
    autocomplete_fields = ("town",)
    date_hierarchy = "date"


@admin.register(TrainingCourse)
class TrainingCourseAdmin(spreadsheet("labor.resources.TrainingCourseResource"), LaborAdmin):
    list_display = (
        "start_date",
        "name",
        "kind",
        "town",
        "organiser",
        "trainees",
        "certified",
        "employed_after",
        "partnership",
    )
    list_filter = (PartnershipFilter, "kind", TownFilter, ("start_date", admin.DateFieldListFilter))
    search_fields = ("name", "organiser")
    list_select_related = ("town", *PARTNERSHIP_REGIONS)
    autocomplete_fields = ("town",)
    date_hierarchy = "start_date"


class InOperationFilter(admin.SimpleListFilter):
    title = _("生产状态")
    parameter_name = "in_operation"

    def lookups(self, request, model_admin):
        return (("1", _("在产")), ("0", _("已停产")))

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "1":
            return queryset.filter(opened_on__lte=today).filter(
                Q(closed_on__isnull=True) | Q(closed_on__gt=today)
            )
        if self.value() == "0":
            return queryset.filter(closed_on__lte=today)
        return queryset


@admin.register(CommunityFactory)
class CommunityFactoryAdmin(spreadsheet("labor.resources.CommunityFactoryResource"), LaborAdmin):
    list_display = (
        "name",
        "town",
        "village",
        "place_text",
        "industry",
        "opened_on",
        "closed_on",
        "jobs",
        "poverty_exited_jobs",
        "partnership",
    )
    list_filter = (PartnershipFilter, InOperationFilter, TownFilter, "industry")
    search_fields = ("name", "industry", "place_text")
    list_select_related = ("town", "village", *PARTNERSHIP_REGIONS)
    autocomplete_fields = ("town", "village")
    raw_id_fields = ("project",)
