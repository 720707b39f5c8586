"""Imports in the background: a large file is checked, and once confirmed imported, by a
task (Django's task framework) in a worker process, while its clerk may leave the page.

    start(user, resource_class, upload)   keep the file, queue its check; → ImportJob
    confirm(job)                          queue the import of a checked file
    run_import_job                        the task: check or import, all-or-nothing
    progress_of(job)                      (lines done, lines in all) while it runs

The import is the one pipeline (`run_import`, a chunk of lines at a time, so memory stays
flat). Its progress goes to the "progress" cache: the job's row is only written before the
import's transaction opens and after it closes, so a SQLite database is never written by
two connections at once."""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django_tasks import task

from cooperation.middleware import acting_user
from cooperation.models import ImportJob

from .files import ImportFileError, open_table
from .resources import TrackedResource
from .running import run_import

logger = logging.getLogger(__name__)

#: how many errors a job keeps to show and to download (a file wrong on every line of
#: 274,515 would otherwise keep a million sentences)
MAX_KEPT_ERRORS = 10_000


def resource_path(resource_class):
    return f"{resource_class.__module__}.{resource_class.__qualname__}"


def resource_class_of(job):
    cls = import_string(job.resource)
    if not (isinstance(cls, type) and issubclass(cls, TrackedResource)):
        raise ValueError(job.resource)
    return cls


def start(user, resource_class, upload):
    """Keep the uploaded file and queue its check (a dry run of every line)."""
    job = ImportJob(
        user=user,
        resource=resource_path(resource_class),
        title=str(resource_class._meta.model._meta.verbose_name),
        file_name=upload.name[:255],
    )
    job.file.save(upload.name, upload, save=False)
    job.save()
    transaction.on_commit(lambda: run_import_job.enqueue(str(job.pk)))
    return job


def confirm(job):
    """Queue the import of a file whose check passed; False when it is not waiting for that
    (confirmed already, a double click)."""
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
        status=ImportJob.Status.QUEUED, dry_run=False, started_at=None, finished_at=None
    )
    if updated:
        transaction.on_commit(lambda: run_import_job.enqueue(str(job.pk)))
    return bool(updated)


def progress_key(job_id):
    return f"import-job:{job_id}"


def progress_of(job):
    """(lines done, lines in all) of a running job, as its worker last reported."""
    done = caches["progress"].get(progress_key(job.pk), 0)
    return done, max(job.size_hint, done)


@task()
def run_import_job(job_id):
    """Check or import one queued file. A job taken already (a task delivered twice) is
    left alone."""
    taken = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not taken:
        return
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    with translation.override(settings.LANGUAGE_CODE):
        status, summary = run(job)
    job.status, job.summary, job.finished_at = status, summary, timezone.now()
    job.save(update_fields=["status", "summary", "finished_at"])
    if status != ImportJob.Status.CHECKED:  # nothing more to do with the file
        job.file.delete(save=True)
    caches["progress"].delete(progress_key(job.pk))


def run(job):
    """(status, summary) of checking or importing the job's file."""
    progress = caches["progress"]
    key = progress_key(job.pk)
    done = 0

    def advance(lines):
        nonlocal done
        done += lines
        progress.set(key, done, timeout=24 * 3600)

    try:
        resource_class = resource_class_of(job)
        with job.file.open("rb") as stream:
            table = open_table(stream.read(), job.file_name)
        if job.size_hint != (table.size_hint or 0):
            job.size_hint = table.size_hint or 0
            job.save(update_fields=["size_hint"])
        with acting_user(job.user):
            result = run_import(
                resource_class(user=job.user, fast=True),
                table,
                dry_run=job.dry_run,
                progress=advance,
            )
    except ImportFileError as exc:
        return ImportJob.Status.REFUSED, {"errors": [[None, None, str(exc)]], "lines": done}
    except Exception:
        # The traceback names the job, never a cell of the file (personal data).
        logger.exception("import job %s failed", job.pk)
        return ImportJob.Status.FAILED, {
            "errors": [[None, None, gettext("处理时出错，没有写入任何数据。请联系管理员。")]],
            "lines": done,
        }
    summary = {
        "lines": result.lines,
        "totals": result.totals,
        "errors": [list(e) for e in result.errors[:MAX_KEPT_ERRORS]],
        "error_count": len(result.errors),
        "doubts": [list(d) for d in result.doubts[:MAX_KEPT_ERRORS]],
        "note": result.skipped_note,
    }
    if not result.ok:
        return ImportJob.Status.REFUSED, summary
    return (ImportJob.Status.CHECKED if job.dry_run else ImportJob.Status.IMPORTED), summary
