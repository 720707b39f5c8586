"""What every admin page of the project shares: who/when columns, history behind a
permission, and the current user recorded on save."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

AUDIT_FIELDS = ("created_at", "created_by", "updated_at", "updated_by")


class TrackedAdmin(SimpleHistoryAdmin):
    """Base admin of every record that inherits `cooperation.models.Tracked`."""

    list_per_page = 50
    show_full_result_count = False  # a second COUNT(*) over big tables is not worth it
    history_permission = "cooperation.view_history"
    readonly_fields = AUDIT_FIELDS

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + tuple(f for f in AUDIT_FIELDS if f not in fields)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.fieldsets:
            return list(fieldsets) + [
                (_("记录信息"), {"classes": ("collapse",), "fields": AUDIT_FIELDS})
            ]
        return fieldsets

    def has_history_permission(self, request, obj=None):
        return request.user.is_active and (
            request.user.is_superuser or request.user.has_perm(self.history_permission)
        )

    def history_view(self, request, object_id, extra_context=None):
        if not self.has_history_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self.has_history_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.display(description=_("是"), boolean=True)
def yes(value):  # pragma: no cover - helper for boolean columns
    return value
