import time

from django.core.management.base import BaseCommand

from cooperation.regions import load_regions


class Command(BaseCommand):
    help = "Load the official division codes (NBS 2023) into Region; safe to run again."

    def handle(self, *args, **options):
        started = time.perf_counter()
        created, updated = load_regions()
        self.stdout.write(
            f"regions: {created} added, {updated} renamed ({time.perf_counter() - started:.2f} s)"
        )
