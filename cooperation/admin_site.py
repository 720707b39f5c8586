"""The project's admin site: Django's, with one rule added to every model registered on it
(the project's own, and third-party ones such as users and login logs).

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


class CooperationAdminSite(admin.AdminSite):
    site_header = _("东西部协作台账管理")
    site_title = _("东西部协作台账")
    index_title = _("数据录入与审核")

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, OfferedFiltersOnly):
            admin_class = type(
                admin_class.__name__,
                (OfferedFiltersOnly, admin_class),
                {"__module__": admin_class.__module__},
            )
        return super().register(model_or_iterable, admin_class, **options)
