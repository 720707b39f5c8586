"""Large exports in the background: an XLSX export of EXPORT_BACKGROUND_ROWS rows or more
(minutes of work) is written by a task in a worker process, not in the request; the user
goes to its page, which reloads itself until the file is there to download.

    wanted(request, fmt, rows)   should this export go to the background?
    start(request, title, rows)  queue it; → ExportJob
    run_export_job               the task: the list's own export, run for the job's user

The task runs the list's export view itself (its access check, area, filters, masks and
audit), with a request rebuilt from the job: its user, path, query and language. Lists
register here (`EXPORTS`), so this module needs none of them."""

import logging
import re
import tempfile
from urllib.parse import unquote

from django.conf import settings
from django.core.files import File
from django.http import HttpRequest, QueryDict
from django.urls import resolve
from django.utils import timezone, translation
from django_tasks import task

from cooperation.models import ExportJob

logger = logging.getLogger(__name__)

#: the lists whose exports may run here (each ListSpec adds itself)
EXPORTS = []

_FILENAME = re.compile(r"filename\*=utf-8''([^;]+)", re.IGNORECASE)


def wanted(request, fmt, rows):
    """A signed-in user's XLSX of EXPORT_BACKGROUND_ROWS or more rows, not already in the
    background (CSV streams in seconds whatever its size)."""
    return (
        fmt == "xlsx"
        and request.user.is_authenticated
        and not getattr(request, "in_background", False)
        and rows >= settings.EXPORT_BACKGROUND_ROWS
    )


def start(request, title, rows):
    job = ExportJob.objects.create(
        user=request.user,
        title=str(title)[:80],
        path=request.get_full_path(),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        rows=rows,
    )
    run_export_job.enqueue(str(job.pk))
    return job


def rebuilt_request(job):
    path, _, query = job.path.partition("?")
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    request.user = job.user
    request.in_background = True
    return request


def spec_of(view_name):
    return next(s for s in EXPORTS if f"{s.url_name}_export" == view_name)


@task()
def run_export_job(job_id):
    taken = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING
    )
    if not taken:
        return
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    request = rebuilt_request(job)
    try:
        match = resolve(request.path)
        with translation.override(job.language):
            response = spec_of(match.view_name).export_view(request, **match.kwargs)
        if response.status_code != 200:
            raise ValueError(f"export answered {response.status_code}")
        found = _FILENAME.search(response.get("Content-Disposition", ""))
        name = unquote(found.group(1)) if found else f"{job.title}.xlsx"
        # Read to its end, which ends the export's generator (and its cursor). Not
        # `response.close()`: that tells Django a request has finished, and it then closes
        # the task's database connection.
        with tempfile.TemporaryFile() as handle:
            for chunk in response.streaming_content:
                handle.write(chunk)
            job.file.save(name, File(handle), save=False)
        job.file_name, job.status = name[:255], ExportJob.Status.DONE
    except Exception:
        logger.exception("export job %s failed", job.pk)  # the job's id, never a cell
        job.status = ExportJob.Status.FAILED
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "file_name", "status", "finished_at"])
