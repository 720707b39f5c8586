"""What every admin page of the project shares: who/when columns, history behind a
permission, the current user recorded on save, and optimistic locking: a change form
carries the version it was loaded with, and a save based on a stale version is refused
with the list of what changed since, so two clerks never silently overwrite each other."""

import json

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    RelatedFieldWidgetWrapper,
)
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models, router, transaction
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import Http404
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from confirmation import closing

from . import areas
from .models import Partnership, Region

AUDIT_FIELDS = ("created_at", "created_by", "updated_at", "updated_by")
# Hidden inputs of the change form (templates/admin/change_form.html): the version of the
# record, and of each inline row ({formset prefix: {pk: version}}), as they were loaded.
LOADED_VERSION = "_loaded_version"
LOADED_INLINE_VERSIONS = "_loaded_inline_versions"


def _stored_version(model, pk):
    """The record's version in the database, locking the row until the admin's transaction
    ends, so that two saves posted at the same moment are checked one after the other."""
    queryset = model._base_manager.filter(pk=pk)
    if transaction.get_connection(router.db_for_write(model)).in_atomic_block:
        queryset = queryset.select_for_update()
    return queryset.values_list("version", flat=True).first()


def _shown(field, value):
    """A field's value as a clerk reads it (choice labels, related records' names)."""
    if value is None or value == "":
        return gettext("（空）")
    if field.is_relation and not isinstance(value, models.Model):
        value = field.related_model._base_manager.filter(pk=value).first() or value
    elif field.choices:
        value = dict(field.flatchoices).get(value, value)
    elif isinstance(value, bool):
        value = gettext("是") if value else gettext("否")
    return str(localize(value))


def conflict_message(form, loaded):
    """What changed in the stored record since version `loaded`, field by field: the value
    this form submitted against the value stored, and who stored it when."""
    model = type(form.instance)
    stored = model._base_manager.get(pk=form.instance.pk)
    then = form.instance.history.filter(version=loaded).order_by("-history_date").first()
    cleaned = getattr(form, "cleaned_data", {})
    rows = []
    for field in model._meta.concrete_fields:
        if field.name not in form.fields or field.name not in cleaned:
            continue
        stored_value = field.value_from_object(stored)
        if then is not None:
            changed = getattr(then, field.attname, None) != stored_value
        else:  # no history of the loaded version: show every difference
            changed = cleaned[field.name] != getattr(stored, field.name)
        if changed:
            rows.append(
                (
                    field.verbose_name,
                    _shown(field, cleaned[field.name]),
                    _shown(field, stored_value),
                )
            )
    intro = gettext(
        "“%(record)s”在您打开后已被 %(who)s 于 %(when)s 修改（版本 %(loaded)s → %(stored)s），"
        "您的修改未保存，以免覆盖对方的修改。请重新打开此记录，核对后再修改。"
    ) % {
        "record": stored,
        "who": stored.updated_by or gettext("他人"),
        "when": localize(timezone.localtime(stored.updated_at)) if stored.updated_at else "",
        "loaded": loaded,
        "stored": stored.version,
    }
    items = format_html_join(
        "",
        "<li>{}</li>",
        (
            (
                gettext("%(field)s：您提交的 “%(mine)s”，已保存的 “%(theirs)s”")
                % {"field": label, "mine": mine, "theirs": theirs},
            )
            for label, mine, theirs in rows
        ),
    )
    return format_html("{}<ul>{}</ul>", intro, items) if rows else format_html("{}", intro)


def _parse_version(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ValidationError(
            _("表单的版本号无效，请重新打开此记录。"), code="bad_version"
        ) from None


class StaleEditGuard:
    """Mixed into the admin's ModelForm of a change form: refuses the save when the record
    was saved by someone else after this form was loaded."""

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None or LOADED_VERSION not in self.data:
            # Add forms, and forms rendered without the hidden version (the history revert
            # form, which is an explicit overwrite), have nothing to compare.
            return cleaned_data
        loaded = _parse_version(self.data[LOADED_VERSION])
        stored = _stored_version(type(self.instance), self.instance.pk)
        if stored is None:
            raise ValidationError(_("此记录已被他人删除，未保存。"), code="deleted")
        if stored != loaded:
            raise ValidationError(conflict_message(self, loaded), code="stale")
        self.instance.version = stored
        return cleaned_data


class AreaGuard:
    """Mixed into the admin's ModelForm: a partnership or an organisation cannot be added or
    moved outside the user's areas (cooperation/areas.py); records of a partnership are kept
    inside by their choices."""

    area_user = None

    def clean(self):
        cleaned_data = super().clean()
        values = {
            name: cleaned_data.get(name, getattr(self.instance, name, None))
            for name in ("east_region", "west_region", "region")
            if name in cleaned_data or hasattr(self.instance, name)
        }
        refused = areas.refusal(self.area_user, type(self.instance), values) or {}
        for name, why in refused.items():
            self.add_error(name, ValidationError(why, code="outside_area"))
        return cleaned_data


class ClosedYearGuard:
    """Mixed into the admin's ModelForm: a record dated in a year both sides have confirmed
    (confirmation/closing.py) is neither added, changed nor moved into or out of it."""

    def clean(self):
        cleaned_data = super().clean()
        refused = closing.refusal(self.instance, values=cleaned_data)
        if refused:
            raise ValidationError(closing.message(refused), code="year_closed")
        return cleaned_data


class ClosedYearInlineGuard:
    """Mixed into an inline formset: its rows are refused like the form's (ClosedYearGuard),
    deletions included."""

    def clean(self):
        super().clean()
        refused = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data:
                continue  # an empty extra row, or one with errors of its own
            deleting = bool(self.can_delete and data.get(DELETION_FIELD_NAME))
            if deleting and form.instance.pk is None:
                continue
            if deleting or form.has_changed():
                refused |= closing.refusal(form.instance, deleting=deleting, values=data)
        if refused:
            raise ValidationError(closing.message(refused), code="year_closed")


class StaleInlineGuard:
    """Mixed into an inline formset of tracked rows: a row changed or deleted on this page
    that someone saved elsewhere (e.g. on its own change page) since loading is refused."""

    def clean(self):
        super().clean()
        try:
            loaded_rows = json.loads(self.data.get(LOADED_INLINE_VERSIONS) or "{}")
        except ValueError:
            loaded_rows = None
        if not isinstance(loaded_rows, dict):
            raise ValidationError(_("表单的版本号无效，请重新打开此记录。"), code="bad_version")
        loaded_rows = loaded_rows.get(self.prefix) or {}
        conflicts = []
        for form in self.initial_forms:
            pk = form.instance.pk
            if pk is None or str(pk) not in loaded_rows:
                continue
            if not (form.has_changed() or self._should_delete_form(form)):
                continue  # an untouched row is not saved, so it overwrites nothing
            loaded = _parse_version(loaded_rows[str(pk)])
            stored = _stored_version(self.model, pk)
            if stored is None:
                conflicts.append(_("“%(record)s”已被他人删除。") % {"record": form.instance})
            elif stored != loaded:
                conflicts.append(conflict_message(form, loaded))
            else:
                form.instance.version = stored
        if conflicts:
            raise ValidationError(conflicts, code="stale")


class _ValidChoicesOnly:
    """Django's autocomplete widgets look the submitted value up as a primary key when the
    form is shown again, so "abc" for an integer key raises ValueError (and a NUL byte, on
    PostgreSQL, for any key): a 500 for a typo or a tampered form. Values that are not valid keys are dropped (the field's own error
    still says why the form was refused)."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        using = self.db or router.db_for_read(target.model)
        valid = [item for item in value if is_valid_key(target, item, using)]
        return super().optgroups(name, valid, attr)


class SafeAutocompleteSelect(_ValidChoicesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidChoicesOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocomplete:
    """Mixed into every admin and inline with autocomplete fields: they get the safe widgets
    above (Django uses a `widget` given to the form field instead of its own)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def is_valid_key(field, raw, using):
    """Whether a value from a URL or a form can be a key of `field` on the database `using`:
    no NUL (PostgreSQL refuses it in any string), of the field's type ("abc" is no integer),
    and for integers within the column's range (SQLite cannot even compare 10**30)."""
    if "\x00" in str(raw):
        return False
    try:
        key = field.to_python(raw)
    except ValidationError:
        return False
    if isinstance(key, int):
        ops = connections[using].ops
        low, high = ops.integer_field_ranges.get(field.get_internal_type(), (None, None))
        return low is None or low <= key <= high
    return True


def _existing_key(model, raw):
    """404 for a URL's record key that cannot be a key of the model, which simple-history
    would pass to the database as it comes (ValueError: a 500)."""
    if not is_valid_key(model._meta.pk, raw, router.db_for_read(model)):
        raise Http404


def _has_version(model):
    return any(f.name == "version" for f in model._meta.concrete_fields)


class NoRegionLinks(SafeAutocomplete):
    """Mixed into every admin and inline whose form has a region field: the official regions
    are reference data, read-only for every role, so the field offers no add, change, delete
    or view link beside it (a clerk would only open a popup that refuses, or the code list)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if (
            formfield is not None
            and db_field.is_relation
            and db_field.related_model is Region
            and isinstance(formfield.widget, RelatedFieldWidgetWrapper)
        ):
            formfield.widget.can_add_related = False
            formfield.widget.can_change_related = False
            formfield.widget.can_delete_related = False
            formfield.widget.can_view_related = False
        return formfield


class TrackedAdmin(NoRegionLinks, SimpleHistoryAdmin):
    """Base admin of every record that inherits `cooperation.models.Tracked`."""

    list_per_page = 50
    show_full_result_count = False  # a second COUNT(*) over big tables is not worth it
    history_permission = "cooperation.view_history"
    readonly_fields = AUDIT_FIELDS

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form = type(form)(form.__name__, (AreaGuard, form), {"area_user": request.user})
        form = type(form)(form.__name__, (ClosedYearGuard, form), {})
        if obj is not None and not issubclass(form, StaleEditGuard):
            form = type(form)(form.__name__, (StaleEditGuard, form), {})
        return form

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if obj is not None and _has_version(formset.model):
                formset = type(formset.__name__, (StaleInlineGuard, formset), {})
            formset = type(formset.__name__, (ClosedYearInlineGuard, formset), {})
            yield formset, inline

    # -- closed years (confirmation/closing.py) ------------------------------------------------

    def closed_years(self, obj):
        """The closed years the record is dated in (asked once per record and request)."""
        if not hasattr(obj, "closed_years_seen"):
            obj.closed_years_seen = closing.closed_years_of(obj)
        return obj.closed_years_seen

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and not (obj is not None and self.closed_years(obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and not (obj is not None and self.closed_years(obj))

    def get_deleted_objects(self, objs, request):
        """A delete (of one record, or of those selected) that would take a record of a
        closed year says so in place of the permission it lacks, and deletes nothing."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if isinstance(objs, models.QuerySet):
            refused = closing.closed_years_in(objs)
        else:
            refused = set().union(*(self.closed_years(o) for o in objs))
        if refused:
            perms_needed = {*perms_needed, closing.message(refused)}
        return deleted, counts, perms_needed, protected

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            if self.closed_years(obj):
                messages.warning(request, closing.message(self.closed_years(obj)))
            # After a refused save the form keeps the versions it was loaded with, so that
            # posting it again is refused again rather than overwriting.
            posted = request.POST if request.method == "POST" else {}
            context["tracked_version"] = posted.get(LOADED_VERSION, obj.version)
            context["tracked_inline_versions"] = posted.get(LOADED_INLINE_VERSIONS) or json.dumps(
                {
                    inline.formset.prefix: {
                        str(form.instance.pk): form.instance.version
                        for form in inline.formset.initial_forms
                    }
                    for inline in context.get("inline_admin_formsets", [])
                    if _has_version(inline.formset.model)
                }
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_queryset(self, request):
        """Only the records of the user's areas (cooperation/areas.py): the change list, the
        change, delete and history pages, bulk actions and the admin's exports."""
        return areas.scope(super().get_queryset(request), request.user)

    def partnerships_for(self, request):
        """The partnerships whose records this user enters: those of the user's areas."""
        return areas.partnerships(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Partnership and "queryset" not in kwargs:
            # Its name is its two regions': joined, not two queries per partnership shown.
            kwargs["queryset"] = self.partnerships_for(request).with_regions()
        elif "queryset" not in kwargs:
            # A record of another area is neither offered nor accepted when posted.
            related = db_field.related_model
            kwargs["queryset"] = areas.scope(related._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def in_area_or_404(self, request, object_id):
        """404 for a record outside the user's areas — also for one deleted since, whose
        history says where it was — so that its existence does not leak."""
        if object_id is None or areas.sees_everything(request.user):
            return
        pk = unquote(object_id)
        _existing_key(self.model, pk)
        if self.get_queryset(request).filter(pk=pk).exists():
            return
        deleted = not self.model._default_manager.filter(pk=pk).exists()
        history = getattr(self.model, "history", None)
        if deleted and history is not None:
            rows = areas.scope(history.model._default_manager.filter(id=pk), request.user)
            if rows.exists():
                return
        raise Http404(gettext("没有这条记录。"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.in_area_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self.in_area_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def get_changeform_initial_data(self, request):
        """An add form's partnership is preselected when the user has only one to choose."""
        initial = super().get_changeform_initial_data(request)
        fields = [
            f.name
            for f in self.model._meta.concrete_fields
            if f.is_relation and f.related_model is Partnership and f.name not in initial
        ]
        if fields:
            only = list(self.partnerships_for(request).values_list("pk", flat=True)[:2])
            if len(only) == 1:
                initial.update(dict.fromkeys(fields, only[0]))
        return initial

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
        _existing_key(self.model, unquote(object_id))
        self.in_area_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self.has_history_permission(request):
            raise PermissionDenied
        _existing_key(self.model, unquote(object_id))
        _existing_key(self.model.history.model, version_id)
        self.in_area_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            # Count on from the stored version, also when reverting to an old one from
            # the history page (whose instance carries the old version number).
            stored = _stored_version(type(obj), obj.pk)
            if stored is not None:
                obj.version = stored
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
