"""Downloading an evidence file, and the reviewer's page of the year's records without
evidence. Neither is public: both need a signed-in user with the permission, and reach only
the records of the user's areas (cooperation/areas.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from cooperation import areas
from cooperation.models import ExportAudit
from cooperation.roles import can_view_personal_data

from . import registry
from .completeness import missing_evidence
from .models import EvidenceFile

VIEW_PERMISSION = "evidence.view_evidencefile"


def _view_permission(model):
    return f"{model._meta.app_label}.view_{model._meta.model_name}"


@require_safe
@login_required
def download(request, pk):
    """The file as an attachment, never shown inline (nosniff: the browser does not guess
    another type). 403 without the permission to view files and their record (and, for a
    personal file, personal data); 404 for a file outside the user's areas. Each download
    is recorded like an export (导出记录), marked when the file is personal."""
    user = request.user
    if not user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    files = areas.scope(EvidenceFile.objects.select_related("content_type"), user)
    evidence = get_object_or_404(files, pk=pk)
    model = evidence.content_type.model_class()
    if model is None or not user.has_perm(_view_permission(model)):
        raise PermissionDenied
    personal = evidence.personal
    if personal and not can_view_personal_data(user):
        raise PermissionDenied
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(gettext("文件已不在存储中，请联系管理员。")) from None
    ExportAudit.objects.create(
        user=user,
        username=user.get_username(),
        list_name=gettext("佐证材料：%(kind)s") % {"kind": model._meta.verbose_name},
        query_string=f"evidence={evidence.pk}&record={evidence.object_id}",
        format=(evidence.file_type.extension.lstrip(".") if evidence.file_type else "")[:4],
        rows=1,
        personal_data=personal,
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.download_name,
        content_type=evidence.mime_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _year(request):
    raw = request.GET.get("year", "").strip()
    if not raw:
        return timezone.localdate().year
    if not (raw.isascii() and raw.isdecimal() and 1996 <= int(raw[:5]) <= 2100):
        raise Http404(gettext("年度“%(year)s”无效。") % {"year": raw[:20]})
    return int(raw)


def _partnership(request, choices):
    raw = request.GET.get("partnership", "").strip()
    if not raw:
        only = list(choices[:2])
        return only[0] if len(only) == 1 else None
    if not (raw.isascii() and raw.isdecimal() and 1 <= int(raw[:19]) <= 2**62):
        raise Http404(gettext("协作关系“%(id)s”无效。") % {"id": raw[:20]})
    return get_object_or_404(choices, pk=int(raw))


@require_safe
@login_required
def missing(request):
    """缺少佐证材料的记录: per kind of record, the year's records of a partnership that have
    no file yet, with the counts (records, with evidence, without). Without a partnership
    chosen (and more than one to choose from) it lists the user's partnerships as links."""
    user = request.user
    if not user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    year = _year(request)
    choices = areas.partnerships(user).with_regions()
    partnership = _partnership(request, choices)
    context = {"title": gettext("缺少佐证材料的记录"), "year": year, "partnership": partnership}
    if partnership is None:
        context["choices"] = choices
        return render(request, "evidence/missing.html", context)
    kinds = [
        (kind, model) for kind, model in registry.kinds() if user.has_perm(_view_permission(model))
    ]
    sections = missing_evidence((partnership.pk,), year, kinds)
    for section in sections:
        opts = section.model._meta
        section.changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        section.change_url = f"admin:{opts.app_label}_{opts.model_name}_change"
    context["sections"] = sections
    return render(request, "evidence/missing.html", context)
