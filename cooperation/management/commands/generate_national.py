"""manage.py generate_national [--scale S] [--seed N] [--if-empty]: the national data set."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cooperation import national


class Command(BaseCommand):
    help = (
        "Empty the record tables and generate the national-scale data set on PostgreSQL "
        "(at --scale 1: 300 partnerships, 1,000,000 workers, 1,200,000 employments, "
        "100,000 projects, 50,000 postings, …) with COPY. Needs the regions loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="fraction of the national size"
        )
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already holds that many workers",
        )

    def handle(self, *args, scale, seed, if_empty, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The national data set needs PostgreSQL (set DATABASE_URL).")
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if if_empty:
            from labor.models import Worker

            wanted = round(national.FULL["workers"] * scale)
            have = Worker.objects.count()
            if have >= wanted:
                self.stdout.write(f"{have:,} workers present; nothing generated.")
                return
        try:
            counts = national.generate(scale=scale, seed=seed, log=self.stdout.write)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"national data set written in {counts['seconds']} s"))
