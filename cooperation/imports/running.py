"""Running an import: a file (a Table, read a chunk at a time) or a Dataset through a
resource, all or nothing, into an ImportSummary. The command, the background task and the
tests import this way; the admin's preview of a small file uses django-import-export's own
flow through the same resource."""

from django.db import transaction

from cooperation.planner import ANALYSE_AFTER_ROWS, analyse

from .files import Table
from .resources import Sentences, dataset_skipped, row_counts

#: how many records an import reads, checks and writes at a time (see `run_import`)
CHUNK_ROWS = 2000


class ImportSummary(Sentences):
    """What an import did, kept without its rows: counts, every error and every question by
    line and column, and what reading left out. Small whatever the file's size."""

    def __init__(self):
        self.totals = dict.fromkeys(("new", "update", "skip", "invalid", "error"), 0)
        self.errors = []  # (line or None, column or None, text)
        self.doubts = []  # (line, column, question)
        self.ignored_columns = []
        self.skipped = (0, [])
        self.lines = 0

    def add(self, result):
        """Take in one chunk's ImportResult."""
        for kind, count in row_counts(result).items():
            self.totals[kind] += count
        self.errors.extend(result.entries())
        self.doubts.extend(result.doubt_entries())
        self.ignored_columns = list(result.ignored_columns)
        self.lines += result.total_rows

    @property
    def ok(self):
        return not self.errors

    def entries(self):
        return self.errors

    def doubt_entries(self):
        return self.doubts


def run_import(resource, source, *, dry_run=False, progress=None, chunk_size=CHUNK_ROWS):
    """Import a Table (files.open_table) or a Dataset all-or-nothing; returns an
    ImportSummary. Nothing is written unless every line is right (and not on a dry run).

    The records go through the resource `chunk_size` at a time, in one transaction, so
    memory does not grow with the file: a later chunk sees what the earlier ones wrote, and
    the resource keeps only what spans chunks (the keys already seen, with their lines).
    `progress(n)` is called as records are done (the command's bar, a task's page)."""
    table = isinstance(source, Table)
    datasets = source.datasets(chunk_size) if table else [source]
    summary = ImportSummary()
    with transaction.atomic():
        for dataset in datasets:
            result = resource.import_data_inner(
                dataset,
                dry_run=dry_run,
                raise_errors=False,
                using_transactions=True,
                collect_failed_rows=False,
            )
            summary.add(result)
            resource.forget_chunk()
            if result.base_errors:
                break  # the file's shape: every chunk would say the same
            if progress is not None:
                progress(len(dataset))
        summary.skipped = source.skipped if table else dataset_skipped(source)
        if dry_run or not summary.ok:
            transaction.set_rollback(True)
        elif summary.totals["new"] + summary.totals["update"] >= ANALYSE_AFTER_ROWS:
            transaction.on_commit(lambda: analyse(resource.filled_models()))
    return summary
