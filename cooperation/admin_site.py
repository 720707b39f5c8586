"""The project's admin site: Django's, with one rule added to every model registered on it
(the project's own, and third-party ones such as users and login logs), the login logs kept
for superusers, and the index in the order of the work: data entry first, login logs last.

**A change list answers only the filters it offers.** Django's admin applies any lookup on a
model's own fields that arrives in the query string (`?id_number__startswith=6109`), so a
list that shows no ID number would still answer whether one exists, digit by digit. Here a
query parameter is accepted only when the page itself offers it: a filter of the sidebar
(`list_filter`), the date hierarchy, the search box, paging, sorting and the admin's own
switches (popup, facets). Anything else is refused with 400 and a message naming the
parameter, before any query runs, so the answer never depends on a hidden value. A name
that is no field at all keeps Django's answer (the list again with “invalid lookups”).
"""

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import url_params_from_lookup_dict
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class FilterNotOffered(DisallowedModelAdminLookup):
    """A query parameter of a change list that none of its filters takes."""

    def __init__(self, parameter):
        super().__init__(parameter)
        self.parameter = parameter


class OfferedFiltersChangeList(ChangeList):
    def get_filters(self, request):
        asked = self.get_filters_params()
        result = super().get_filters(request)
        remaining = result[2]
        generated = set()
        if self.date_hierarchy and f"{self.date_hierarchy}__year" in asked:
            generated = {f"{self.date_hierarchy}__gte", f"{self.date_hierarchy}__lt"}
        for name in remaining:
            if name in generated:
                continue
            if not self.model_admin.popup_lookup_offered(name, asked.get(name)):
                raise FilterNotOffered(name)
        return result


class OfferedFiltersOnly:
    """Mixed into every ModelAdmin registered on the site (see CooperationAdminSite)."""

    def get_changelist(self, request, **kwargs):
        return OfferedFiltersChangeList

    def lookup_allowed(self, lookup, value, request=None):
        # The real check runs once the list's filters have taken their parameters
        # (OfferedFiltersChangeList): what is left over was not offered.
        return True

    def popup_lookup_offered(self, name, values):
        """The lookups a raw-id widget's popup adds for a foreign key's limit_choices_to."""
        for fk_lookup in self.model._meta.related_fkey_lookups:
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            offered = url_params_from_lookup_dict(fk_lookup)
            if name in offered and all(v == offered[name] for v in values or ()):
                return True
        return False

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except FilterNotOffered as refused:
            message = gettext(
                "此列表不能按“%(parameter)s”筛选。只能使用页面右侧提供的筛选条件、"
                "搜索框、日期层级、分页和排序。"
            ) % {"parameter": refused.parameter}
        context = {
            **self.admin_site.each_context(request),
            "message": message,
            "opts": self.opts,
            "changelist_url": request.path,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/filter_not_offered.html", context, status=400)


class SuperusersOnly:
    """Mixed into the ModelAdmins of SUPERUSER_APPS: hidden from the index and refused (403)
    to everyone else, whatever permissions they were given."""

    def has_module_permission(self, request):
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args, **kwargs):
        return request.user.is_superuser and super().has_add_permission(request, *args, **kwargs)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


# The index lists data entry first, then users and groups; other apps after those, and the
# login logs of django-axes last (they hold who tried which account from where).
APP_ORDER = ("cooperation", "projects", "labor", "auth")
# The login log (axes) and the background task queue (django_tasks_db): for superusers.
LAST_APPS = ("axes", "django_tasks_database")
SUPERUSER_APPS = {"axes", "django_tasks_database"}


def app_position(app):
    label = app["app_label"]
    if label in APP_ORDER:
        return APP_ORDER.index(label)
    return len(APP_ORDER) + (label in LAST_APPS)


class CooperationAdminSite(admin.AdminSite):
    site_header = _("东西部协作台账管理")
    site_title = _("东西部协作台账")
    index_title = _("数据录入与审核")

    def register(self, model_or_iterable, admin_class=None, **options):
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        for model in models:
            super().register(model, with_site_rules(model, admin_class), **options)

    def get_app_list(self, request, app_label=None):
        # sorted() keeps Django's alphabetical order within each position.
        return sorted(super().get_app_list(request, app_label), key=app_position)


def with_site_rules(model, admin_class):
    """`admin_class` with the site's rules mixed in: offered filters only, and superusers
    only for the models of SUPERUSER_APPS."""
    admin_class = admin_class or admin.ModelAdmin
    rules = [OfferedFiltersOnly]
    if model._meta.app_label in SUPERUSER_APPS:
        rules.insert(0, SuperusersOnly)
    rules = tuple(rule for rule in rules if not issubclass(admin_class, rule))
    if not rules:
        return admin_class
    return type(admin_class.__name__, (*rules, admin_class), {"__module__": admin_class.__module__})
