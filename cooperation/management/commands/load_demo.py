import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from cooperation.demo import already_loaded, load
from cooperation.demo.figures import HANBIN, WUJIN
from cooperation.models import Region
from cooperation.planner import analyse

DEMO_APPS = ("cooperation", "projects", "labor")


class Command(BaseCommand):
    help = (
        "Load the demo data: the 武进区–汉滨区 partnership whose figures are those of the "
        "published report (see cooperation/demo/figures.py). With --scale N, also N−1 "
        "synthetic partnerships of the same shape, each 60–95 % of its size: --scale 470 is "
        "the national data set of the benchmark (about 1,000,000 workers). Partnerships that "
        "already hold records are left alone, so running it again changes nothing and "
        "completes an interrupted load. Needs the regions (manage.py load_regions)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="N partnerships: the demo one and N−1 synthetic ones.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=(
                "Load nothing when the database already holds this data set (at least the "
                "workers the scale makes) or records of partnerships the scale does not make."
            ),
        )

    def handle(self, *args, scale, if_empty, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if not Region.objects.filter(code__in=[WUJIN, HANBIN]).count() == 2:
            raise CommandError("The regions are not loaded: run manage.py load_regions first.")
        started = time.perf_counter()
        try:
            reason = already_loaded(scale) if if_empty else None
            if reason:
                self.stdout.write(f"--if-empty: {reason}; nothing loaded.")
                return
            loaded = load(scale, log=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        # Fresh planner statistics for the tables just filled (cooperation/planner.py).
        analyse(m for label in DEMO_APPS for m in apps.get_app_config(label).get_models())
        self.stdout.write(
            self.style.SUCCESS(
                f"demo: {len(loaded)} partnership(s) loaded in {time.perf_counter() - started:.1f} s"
            )
        )
