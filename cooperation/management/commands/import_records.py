"""manage.py import_records MODEL FILE [--dry-run] [--user NAME]

The admin import for files too large for a browser: the same resources, parsing and
validation, all-or-nothing in one transaction, with a progress bar."""

import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext
from tqdm import tqdm

from cooperation.imports.files import ImportFileError, open_table
from cooperation.imports.running import run_import
from cooperation.middleware import acting_user
from cooperation.resources import CadreTrainingResource, PairingResource, PostingResource
from labor.resources import (
    CommunityFactoryResource,
    JobFairResource,
    TrainingCourseResource,
    WorkerResource,
)
from projects.resources import (
    ConsumptionSaleResource,
    DisbursementResource,
    DonationResource,
    InvestmentResource,
    ProjectResource,
)

MAX_MESSAGES = 50


def resource_classes():
    """{name: resource class}; each model is known by its model name and its verbose name."""
    table = {}
    for cls in (
        ProjectResource,
        DisbursementResource,
        InvestmentResource,
        ConsumptionSaleResource,
        DonationResource,
        PairingResource,
        PostingResource,
        CadreTrainingResource,
        WorkerResource,
        JobFairResource,
        TrainingCourseResource,
        CommunityFactoryResource,
    ):
        opts = cls._meta.model._meta
        for name in (opts.model_name, opts.label_lower, str(opts.verbose_name)):
            table[name] = cls
    return table


def resource_class_for(name):
    table = resource_classes()
    cls = table.get(name.lower()) or table.get(name.lower().rstrip("s"))
    if cls is None:
        choices = sorted({k for k in table if "." in k})
        raise CommandError(f"未知的模型“{name}”。可选：{', '.join(choices)}")
    return cls


class Command(BaseCommand):
    help = (
        "导入台账文件（CSV 或 XLSX）：与管理后台的导入相同的校验；任何一行有错，整个文件都不写入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("model", help="e.g. labor.worker, projects.project (or 协作资金项目)")
        parser.add_argument("file", help="a .csv (UTF-8, UTF-8 with BOM, GBK) or .xlsx file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row and report; write nothing"
        )
        parser.add_argument("--user", help="username recorded as creator / modifier")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, model, file, dry_run, user, no_progress, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return self.run(model, file, dry_run, user, no_progress)

    def run(self, model, file, dry_run, username, no_progress):
        resource_class = resource_class_for(model)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"没有用户“{username}”")

        started = time.perf_counter()
        try:
            table = open_table(path.read_bytes(), path.name)
        except ImportFileError as exc:
            raise CommandError(f"{path.name}：{exc}") from None

        bar = tqdm(
            total=table.size_hint,
            unit="行",
            desc=str(resource_class._meta.model._meta.verbose_name),
            disable=True if no_progress else None,
            file=sys.stderr,
            mininterval=0.5,
        )
        with acting_user(user), bar:
            resource = resource_class(user=user, fast=True)
            try:
                result = run_import(resource, table, dry_run=dry_run, progress=bar.update)
            except ImportFileError as exc:  # found further down the file
                raise CommandError(f"{path.name}：{exc}") from None
        seconds = time.perf_counter() - started
        if not result.ok:
            messages = result.messages
            shown = "\n".join(messages[:MAX_MESSAGES])
            more = (
                f"\n……另有 {len(messages) - MAX_MESSAGES} 处错误未列出"
                if len(messages) > MAX_MESSAGES
                else ""
            )
            raise CommandError(
                f"{path.name}：导入失败，没有写入任何数据。共 {len(messages)} 处错误：\n{shown}{more}"
            )

        for message in result.doubt_messages[:MAX_MESSAGES]:
            self.stdout.write(self.style.WARNING(gettext("请核对：%(m)s") % {"m": message}))
        return self.report(path, result, seconds, dry_run)

    def report(self, path, result, seconds, dry_run):
        counts, lines = result.totals, result.lines
        summary = (
            f"{path.name}：{lines} 行，新增 {counts['new']}，修改 {counts['update']}，"
            f"无变化 {counts['skip']}；{seconds:.1f} 秒（{lines / max(seconds, 1e-9):,.0f} 行/秒）"
            f"{result.skipped_note}"
        )
        if dry_run:
            summary += "。试运行：没有写入任何数据。"
        self.stdout.write(self.style.SUCCESS(summary))
