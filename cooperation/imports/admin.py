"""The admin: import with preview, export with the same columns."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm

from cooperation.lists.export_limit import limit_exports
from cooperation.models import ExportAudit
from cooperation.roles import can_view_personal_data

from . import jobs
from .files import FORMATS, ZIP_SIGNATURE, ImportFileError, file_kind, skipped_note
from .resources import row_counts


def extension_of(upload):
    """The kind of an uploaded file the admin imports, "csv" or "xlsx" (None for neither):
    `file_kind` of its first bytes and its name."""
    upload.seek(0)
    head = upload.read(len(ZIP_SIGNATURE))
    upload.seek(0)
    kind = file_kind(head, upload.name)
    return kind if kind in ("csv", "xlsx") else None


class SpreadsheetImportForm(ImportForm):
    """The admin's import form with no format to choose: CSV or XLSX is told from the file
    (extension_of). A format still posted (by a script, or a page loaded before) is used."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.fields["format"].required = False
        self.fields["format"].widget = forms.HiddenInput()

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("import_file")
        if upload is None or cleaned_data.get("format"):
            return cleaned_data
        kind = extension_of(upload)
        found = [str(i) for i, f in enumerate(self.formats) if f().get_extension() == kind]
        if not found:
            self.add_error(
                "import_file",
                ValidationError(
                    _(
                        "无法判断“%(name)s”是 CSV 还是 XLSX 文件。请上传 .csv 或 .xlsx 文件"
                        "（旧版 .xls 请先在 Excel 中另存为 .xlsx）。"
                    ),
                    code="unknown_format",
                    params={"name": upload.name},
                ),
            )
        else:
            cleaned_data["format"] = found[0]
        return cleaned_data


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import (CSV/XLSX, preview, all-or-nothing) and export for an admin class:
    `class ProjectAdmin(SpreadsheetAdminMixin, TrackedAdmin): resource_classes = [...]`."""

    formats = FORMATS
    import_form_class = SpreadsheetImportForm
    import_template_name = "admin/import_export/import.html"
    # Large exports are limited like the lists' (cooperation/lists/export_limit.py).
    export_action = method_decorator(limit_exports)(ImportExportMixin.export_action)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_import_data_kwargs(self, **kwargs):
        kwargs.pop("form", None)
        kwargs.pop("request", None)
        # A row that fails on confirmation (data changed since the preview) undoes them all.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def import_action(self, request, **kwargs):
        """A file of IMPORT_BACKGROUND_BYTES or more is checked and imported in the
        background (jobs.py): the clerk goes to its page, which he may leave and come back
        to. A smaller one is previewed at once, as django-import-export does."""
        upload = request.FILES.get("import_file")
        if (
            request.method == "POST"
            and upload is not None
            and upload.size >= settings.IMPORT_BACKGROUND_BYTES
            and self.has_import_permission(request)
        ):
            form = self.create_import_form(request)
            if form.is_valid():
                job = jobs.start(
                    request.user, self.choose_import_resource_class(form, request), upload
                )
                return HttpResponseRedirect(reverse("cooperation:import_job", args=[job.pk]))
        return super().import_action(request, **kwargs)

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["background_bytes"] = settings.IMPORT_BACKGROUND_BYTES
        return context

    def process_import(self, request, **kwargs):
        """The confirmation. Its temporary file is removed once imported, so confirming the
        same preview again (a double click, the back button) finds none: say so."""
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            messages.warning(
                request,
                gettext(
                    "这次导入已确认过（或预览已过期），没有再次写入。请在列表中核对；"
                    "如需导入，请重新上传文件。"
                ),
            )
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            )

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):  # its text says what is wrong, in words of ours
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def has_import_permission(self, request):
        if not super().has_import_permission(request):
            return False
        if self.shows_personal_data(request):
            return can_view_personal_data(request.user)
        return True

    def shows_personal_data(self, request):
        return any(getattr(r, "personal_data", False) for r in self.get_resource_classes(request))

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(
            request,
            queryset,
            force_native_type=getattr(file_format, "native_types", False),
            **kwargs,
        )
        self.audit_export(request, file_format, len(data))
        return file_format.export_data(data)

    def audit_export(self, request, file_format, rows):
        """Every admin export leaves an ExportAudit entry (who, when, which filter — the
        changelist's query string —, how many rows, whether personal data was in it), as
        the lists' exports do."""
        if request.user.is_authenticated:  # the admin has no anonymous visitors; be sure
            ExportAudit.objects.create(
                user=request.user,
                username=request.user.get_username(),
                list_name=f"admin:{self.model._meta.label_lower}",
                query_string=request.META.get("QUERY_STRING", ""),
                format=file_format.get_extension()[:4],
                rows=rows,
                personal_data=self.shows_personal_data(request)
                and can_view_personal_data(request.user),
            )

    def process_result(self, result, request):
        if not result.ok:
            # Nothing was written (the transaction was rolled back): say so and show why.
            context = self.admin_site.each_context(request)
            context.update(
                {
                    "title": _("导入"),
                    "opts": self.model._meta,
                    "result": result,
                    "form": self.create_import_form(request),
                    "import_error_display": self.import_error_display,
                    "fields_list": [],
                    "refused": True,
                }
            )
            request.current_app = self.admin_site.name
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        counts = row_counts(result)
        messages.success(
            request,
            gettext("导入完成：新增 %(new)d 行，修改 %(update)d 行，无变化 %(skip)d 行。") % counts
            + skipped_note(result),
        )


def spreadsheet(resource_path):
    """The import/export mixin for one resource, named by its dotted path so that admin
    modules need not import resources: `class ProjectAdmin(spreadsheet("projects.resources.
    ProjectResource"), PlacedAdmin)`."""

    class Mixin(SpreadsheetAdminMixin):
        def get_resource_classes(self, request):
            return [import_string(resource_path)]

    Mixin.__name__ = f"Spreadsheet[{resource_path.rsplit('.', 1)[-1]}]"
    return Mixin
