import time

from django.core.management.base import BaseCommand, CommandError

from cooperation.demo import load


class Command(BaseCommand):
    help = (
        "Load the demo data: the 武进区–汉滨区 partnership whose figures are those of the "
        "published report (see cooperation/demo/figures.py). With --scale N, also N−1 "
        "synthetic partnerships of the same shape, for trying the system with volume. "
        "Partnerships that already hold records are left alone, so running it again changes "
        "nothing. Needs the regions (manage.py load_regions)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="N: about N times the records (the demo partnership plus N−1 synthetic ones).",
        )

    def handle(self, *args, scale, **options):
        from cooperation.models import Region

        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if not Region.objects.filter(code__in=["320412", "610902"]).count() == 2:
            raise CommandError("The regions are not loaded: run manage.py load_regions first.")
        started = time.perf_counter()
        try:
            loaded = load(scale, log=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"demo: {len(loaded)} partnership(s) loaded in {time.perf_counter() - started:.1f} s"
            )
        )
