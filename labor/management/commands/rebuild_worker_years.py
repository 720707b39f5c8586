"""Rebuild the per-worker, per-year facts (WorkerYear).

Every write rebuilds its worker's rows already; this command is for what writes do not
cover: the passing of time. An open spell's employed days grow day by day (up to 31
December), and a new year needs its rows. Run it daily (cron) with `--current`."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from labor.models import Worker
from labor.services import CHUNK_SIZE, rebuild_worker_years, workers_needing_daily_rebuild


class Command(BaseCommand):
    help = "重新计算务工人员年度就业情况（WorkerYear）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--current",
            action="store_true",
            help="只重算就业尚未结束或自去年1月1日以来结束的务工人员（每日定时运行）。",
        )
        parser.add_argument("--partnership", type=int, help="只重算该协作关系（编号）的务工人员。")

    def handle(self, *args, current=False, partnership=None, **options):
        if current:
            ids = workers_needing_daily_rebuild()
            if partnership:
                ids = ids.filter(worker__partnership_id=partnership)
        else:
            ids = Worker.objects.order_by("pk").values_list("pk", flat=True)
            if partnership:
                ids = ids.filter(partnership_id=partnership)
        ids = list(ids.iterator(chunk_size=CHUNK_SIZE))
        rows = 0
        # One transaction per slice of workers keeps locks short on a national database.
        for i in range(0, len(ids), CHUNK_SIZE * 10):
            rows += rebuild_worker_years(ids[i : i + CHUNK_SIZE * 10])
        self.stdout.write(
            _("已重算 %(workers)d 名务工人员，写入 %(rows)d 条年度记录。")
            % {"workers": len(ids), "rows": rows}
        )
