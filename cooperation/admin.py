from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Case, DurationField, ExpressionWrapper, F, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.dashboard.indicators import registry
from cooperation.imports.admin import spreadsheet

from . import areas
from .admin_base import NoRegionLinks, TrackedAdmin
from .models import (
    PARTNERSHIP_REGIONS,
    CadreTraining,
    ExportAudit,
    Organisation,
    Pairing,
    Partnership,
    Posting,
    Region,
    Target,
    UserArea,
    Visit,
)
from .querysets import pairing_active_q, posting_on_post_q


def flag(condition):
    """An annotation that is True where `condition` (a Q) holds, else False."""
    return Case(When(condition, then=Value(True)), default=Value(False))


@admin.register(Region)
class RegionAdmin(NoRegionLinks, admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    show_full_result_count = False
    autocomplete_fields = ("parent",)

    def get_search_results(self, request, queryset, search_term):
        """Codes are searched by prefix (fast on the primary key), names by substring."""
        term = search_term.strip()
        if term.isdecimal():
            return queryset.filter(code__startswith=term), False
        return super().get_search_results(request, queryset, search_term)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Partnership)
class PartnershipAdmin(TrackedAdmin):
    list_display = ("__str__", "east_region", "west_region", "since_year")
    search_fields = ("east_region__name", "west_region__name")
    autocomplete_fields = ("east_region", "west_region")
    list_select_related = ("east_region", "west_region")


@admin.register(Organisation)
class OrganisationAdmin(TrackedAdmin):
    list_display = ("name", "kind", "region", "place_text")
    list_filter = ("kind",)
    search_fields = ("name", "region__name", "place_text")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)


class ActiveFilter(admin.SimpleListFilter):
    title = _("当前状态")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return (("1", _("有效")), ("0", _("已终止")))

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "1":
            return queryset.active_on(today)
        if self.value() == "0":
            return queryset.filter(ended_on__lt=today)
        return queryset


@admin.register(Pairing)
class PairingAdmin(spreadsheet("cooperation.resources.PairingResource"), TrackedAdmin):
    list_display = (
        "east_org",
        "west_org",
        "level",
        "signed_on",
        "ended_on",
        "active_today",
        "partnership",
    )
    list_filter = ("level", ActiveFilter, "partnership", ("signed_on", admin.DateFieldListFilter))
    search_fields = ("east_org__name", "west_org__name", "note")
    autocomplete_fields = ("east_org", "west_org")
    list_select_related = ("east_org", "west_org", *PARTNERSHIP_REGIONS)
    date_hierarchy = "signed_on"

    def get_queryset(self, request):
        """Annotates whether the pairing is in force today."""
        active_now = flag(pairing_active_q(timezone.localdate()))
        return super().get_queryset(request).annotate(active_now=active_now)

    @admin.display(description=_("当前有效"), boolean=True, ordering="active_now")
    def active_today(self, obj):
        return obj.active_now


class OnPostFilter(admin.SimpleListFilter):
    title = _("是否在岗")
    parameter_name = "on_post"

    def lookups(self, request, model_admin):
        return (("1", _("在岗")), ("0", _("不在岗")))

    def queryset(self, request, queryset):
        today = timezone.localdate()
        on_post = queryset.on_post_on(today)
        if self.value() == "1":
            return on_post
        if self.value() == "0":
            return queryset.exclude(pk__in=on_post.values("pk"))
        return queryset


@admin.register(Posting)
class PostingAdmin(spreadsheet("cooperation.resources.PostingResource"), TrackedAdmin):
    list_display = (
        "person_name",
        "direction",
        "category",
        "home_org",
        "host_org",
        "start_date",
        "end_date",
        "duration_months",
        "on_post_today",
    )
    list_filter = (
        "direction",
        "category",
        OnPostFilter,
        "partnership",
        ("start_date", admin.DateFieldListFilter),
    )
    search_fields = ("person_name", "home_org__name", "host_org__name", "position")
    autocomplete_fields = ("home_org", "host_org")
    list_select_related = ("home_org", "host_org")
    date_hierarchy = "start_date"

    def get_queryset(self, request):
        """Annotates the days on post (to today while still on post) and whether on post today."""
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .annotate(
                days_on_post=ExpressionWrapper(
                    Coalesce(F("end_date"), Value(today)) - F("start_date"),
                    output_field=DurationField(),
                ),
                on_post_now=flag(posting_on_post_q(today)),
            )
        )

    @admin.display(description=_("在岗时长（月）"), ordering="days_on_post")
    def duration_months(self, obj):
        if obj.days_on_post is None:
            return "—"
        return f"{max(obj.days_on_post.days, 0) / 30:.1f}"

    @admin.display(description=_("今日在岗"), boolean=True, ordering="on_post_now")
    def on_post_today(self, obj):
        return obj.on_post_now


@admin.register(Visit)
class VisitAdmin(TrackedAdmin):
    list_display = (
        "date",
        "direction",
        "level",
        "leader",
        "leader_title",
        "people",
        "enterprises",
        "purpose",
        "partnership",
    )
    list_filter = ("direction", "level", "partnership", ("date", admin.DateFieldListFilter))
    search_fields = ("leader", "purpose", "note")
    date_hierarchy = "date"
    list_select_related = PARTNERSHIP_REGIONS


@admin.register(CadreTraining)
class CadreTrainingAdmin(spreadsheet("cooperation.resources.CadreTrainingResource"), TrackedAdmin):
    list_display = (
        "start_date",
        "end_date",
        "title",
        "audience",
        "trainees",
        "held_in",
        "organiser",
        "partnership",
    )
    list_filter = ("audience", "held_in", "partnership", ("start_date", admin.DateFieldListFilter))
    search_fields = ("title", "organiser", "note")
    date_hierarchy = "start_date"
    list_select_related = PARTNERSHIP_REGIONS


@admin.register(Target)
class TargetAdmin(TrackedAdmin):
    list_display = ("year", "indicator_label", "value", "partnership")
    list_filter = ("year", "partnership")
    search_fields = ("indicator", "note")
    list_select_related = PARTNERSHIP_REGIONS

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            return forms.ChoiceField(
                choices=[("", "---------")] + registry.choices(), label=db_field.verbose_name
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("指标"), ordering="indicator")
    def indicator_label(self, obj):
        indicator = registry.get(obj.indicator)
        return indicator.label if indicator else obj.indicator


@admin.register(ExportAudit)
class ExportAuditAdmin(admin.ModelAdmin):
    """Read-only: the audit trail of exports is written by the export views only."""

    list_display = (
        "created_at",
        "username",
        "list_name",
        "format",
        "rows",
        "personal_data",
        "query_string",
    )
    list_filter = ("personal_data", "list_name", "format")
    search_fields = ("username", "list_name", "query_string")
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        """Only the exports of users working within the reviewer's areas (and their own)."""
        return areas.scope(super().get_queryset(request), request.user)

    def has_view_permission(self, request, obj=None):
        # The filters of a personal-data export may hold a searched name or ID number.
        return super().has_view_permission(request, obj) and request.user.has_perm(
            "labor.view_personal_data"
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UserAreaInline(NoRegionLinks, admin.TabularInline):
    """The areas where a staff user works (cooperation/areas.py): set by whoever manages
    users; without one a staff user sees no records."""

    model = UserArea
    extra = 1
    autocomplete_fields = ("region",)
    verbose_name = _("工作地区")
    verbose_name_plural = _("工作地区（省、市或县；留空为全国）")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class OfficeUserAdmin(UserAdmin):
    """Django's user admin, with the user's areas beside the roles (groups)."""

    inlines = [UserAreaInline]
    list_display = (*UserAdmin.list_display, "office")

    @admin.display(description=_("工作地区与角色"))
    def office(self, obj):
        return areas.office(obj)
