"""The pages of work done in the background for a user (only his own; another's is not
found): the list of his imports and exports; one import's progress and result, with the
confirmation of a checked file, and its errors as a CSV file; one export's page and file."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from cooperation.imports import jobs
from cooperation.imports.resources import error_message
from cooperation.lists.exports import neutralise
from cooperation.models import ExportAudit, ExportJob, ImportJob

#: errors shown on the page; the rest are in the CSV file
SHOWN_ERRORS = 200
#: a running import's page reloads itself this often (seconds)
REFRESH_SECONDS = 3


def own_job(request, pk):
    """A job of the signed-in user: another's is not found (404), whoever asks."""
    return get_object_or_404(ImportJob, pk=pk, user=request.user)


@login_required
def job_list(request):
    return render(
        request,
        "cooperation/jobs.html",
        {
            "title": gettext("我的后台任务"),
            "imports": ImportJob.objects.filter(user=request.user)[:50],
            "exports": ExportJob.objects.filter(user=request.user)[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def job_page(request, pk):
    job = own_job(request, pk)
    if request.method == "POST":
        if jobs.confirm(job):
            messages.success(request, gettext("已确认，正在导入。可以离开此页，稍后再来查看。"))
        else:
            messages.warning(request, gettext("这次导入已确认过，没有再次导入。"))
        return redirect("cooperation:import_job", pk=job.pk)
    summary = job.summary or {}
    done, total = jobs.progress_of(job)
    errors = [error_message(*e) for e in summary.get("errors", [])[:SHOWN_ERRORS]]
    return render(
        request,
        "cooperation/import_job.html",
        {
            "title": gettext("后台导入：%(name)s") % {"name": job.file_name},
            "job": job,
            "done": done,
            "total": total,
            "percent": int(100 * done / total) if total else 0,
            "refresh": REFRESH_SECONDS if job.busy and not job.stalled else None,
            "stalled_hours": settings.BACKGROUND_JOB_STALLED_HOURS,
            "totals": summary.get("totals", {}),
            "errors": errors,
            "error_count": summary.get("error_count", len(summary.get("errors", []))),
            "more_errors": len(summary.get("errors", [])) > SHOWN_ERRORS,
            "doubts": [error_message(*d) for d in summary.get("doubts", [])[:SHOWN_ERRORS]],
            "note": summary.get("note", ""),
            "lines": summary.get("lines", 0),
        },
    )


@login_required
def job_errors(request, pk):
    """Every kept error of a job, one per line: 行号, 列, 错误. Errors may quote a person's
    name (an ID number registered under another), so the download is recorded like an
    export."""
    job = own_job(request, pk)
    errors = job.summary.get("errors", [])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="import-errors.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow([gettext("行号"), gettext("列"), gettext("错误")])
    for line, column, text in errors:
        writer.writerow(["" if line is None else line, neutralise(column or ""), neutralise(text)])
    ExportAudit.objects.create(
        user=request.user,
        username=request.user.get_username(),
        list_name=(gettext("导入错误：%(name)s") % {"name": job.file_name})[:80],
        format="csv",
        rows=len(errors),
        personal_data=True,
    )
    return response


@login_required
def export_page(request, pk):
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    return render(
        request,
        "cooperation/export_job.html",
        {
            "title": gettext("后台导出：%(name)s") % {"name": job.title},
            "job": job,
            "refresh": REFRESH_SECONDS if job.busy and not job.stalled else None,
            "stalled_hours": settings.BACKGROUND_JOB_STALLED_HOURS,
        },
    )


@login_required
def export_file(request, pk):
    """The file of a finished export, to its user only (the export wrote its audit row when
    it ran)."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name)
