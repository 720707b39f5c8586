"""Evidence files in the admin: a table of files on the change page of every record kind of
evidence/registry.py (upload, retitle, delete), a 佐证材料 column counting each record's
files on its change list, and a 佐证材料 有/无 filter there.

The record admins are declared in their own apps; here each one is registered again as a
subclass with `WithEvidence` mixed in, so adding a kind to the registry is the only change
needed for its admin to offer files."""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import EvidenceFile, evidence_count


class EvidenceForm(forms.ModelForm):
    """A new row takes a file, checked from its content; a saved row's file cannot be
    replaced (delete it and upload the right one: the deletion stays in its history)."""

    file = forms.FileField(label=_("文件"), widget=forms.FileInput)

    class Meta:
        model = EvidenceFile
        fields = ("title", "kind", "file")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["file"].disabled = True
            self.fields["file"].required = False

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if self.instance.pk:
            return self.instance.file
        self.instance.take(upload)  # ValidationError names what is wrong with it
        return upload


class EvidenceInline(GenericTabularInline):
    model = EvidenceFile
    form = EvidenceForm
    fields = ("title", "kind", "file", "download", "file_size", "created_by", "created_at")
    readonly_fields = ("download", "file_size", "created_by", "created_at")
    extra = 1
    # Caps what a posted form may ask the page to render (a forged TOTAL_FORMS).
    max_num = 200
    absolute_max = 200
    verbose_name = _("佐证材料")
    verbose_name_plural = _("佐证材料（PDF、JPEG、PNG、DOCX、XLSX）")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    @admin.display(description=_("下载"))
    def download(self, obj):
        if not obj.pk:
            return ""
        return render_to_string("evidence/download_link.html", {"evidence": obj})

    @admin.display(description=_("大小"))
    def file_size(self, obj):
        return filesizeformat(obj.size) if obj.pk else ""

    def _may_change_record(self, request, obj):
        """Files are added, changed and deleted only by users who may change the record."""
        return self.admin_site.get_model_admin(self.parent_model).has_change_permission(
            request, obj
        )

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._may_change_record(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change_record(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change_record(request, obj)


class HasEvidenceFilter(admin.SimpleListFilter):
    title = _("佐证材料")
    parameter_name = "evidence"

    def lookups(self, request, model_admin):
        return (("yes", _("有")), ("none", _("无")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(evidence_count__gt=0)
        if self.value() == "none":
            return queryset.filter(evidence_count=0)
        return queryset


class WithEvidence:
    """Mixed into the admin of each record kind of evidence/registry.py."""

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), EvidenceInline]

    def get_queryset(self, request):
        """Annotates how many evidence files each record has."""
        return super().get_queryset(request).annotate(evidence_count=evidence_count(self.model))

    def get_list_display(self, request):
        return (*super().get_list_display(request), "evidence_files")

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), HasEvidenceFilter)

    @admin.display(description=_("佐证材料"), ordering="evidence_count")
    def evidence_files(self, obj):
        return obj.evidence_count


def offer_evidence(site=admin.site):
    """Register each record kind's admin again with WithEvidence mixed in."""
    for _kind, model in registry.kinds():
        if not site.is_registered(model):
            continue
        current = type(site.get_model_admin(model))
        if issubclass(current, WithEvidence):
            continue
        site.unregister(model)
        site.register(
            model,
            type(current.__name__, (WithEvidence, current), {"__module__": current.__module__}),
        )


offer_evidence()
