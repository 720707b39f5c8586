"""Loading the official division codes (统计用区划代码 2023) shipped in cooperation/data/regions."""

import csv
from pathlib import Path

from django.db import transaction

from .freshness import bump_data_version
from .models import Region

DATA_DIR = Path(__file__).resolve().parent / "data" / "regions"

# file, level, column holding the parent code
FILES = [
    ("provinces.csv", Region.Level.PROVINCE, None),
    ("cities.csv", Region.Level.CITY, "provinceCode"),
    ("areas.csv", Region.Level.COUNTY, "cityCode"),
    ("streets-jiangsu-shaanxi.csv", Region.Level.TOWN, "areaCode"),
    ("villages-hanbin-wujin.csv", Region.Level.VILLAGE, "streetCode"),
]


def read_region_rows(data_dir=DATA_DIR):
    for filename, level, parent_column in FILES:
        with open(Path(data_dir) / filename, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                yield Region(
                    code=row["code"].strip(),
                    name=row["name"].strip(),
                    level=level,
                    parent_id=row[parent_column].strip() if parent_column else None,
                )


@transaction.atomic
def load_regions(data_dir=DATA_DIR):
    """Insert the regions not yet present and correct changed names; returns (created, updated).

    Parents come before children in FILES, and everything runs in one transaction. Bulk
    writes send no signals, so a load that changed anything bumps the data version itself
    (choices cached under it — towns, villages — show the change at once); a load that
    changed nothing leaves it, and the caches, alone."""
    rows = list(read_region_rows(data_dir))
    existing = dict(Region.objects.values_list("code", "name"))
    new = [r for r in rows if r.code not in existing]
    renamed = [r for r in rows if r.code in existing and existing[r.code] != r.name]
    Region.objects.bulk_create(new, batch_size=2000)
    Region.objects.bulk_update(renamed, ["name"], batch_size=2000)
    if new or renamed:
        bump_data_version()
    return len(new), len(renamed)
