"""Yearly figures per partnership: the table roll-ups add up instead of scanning the nation.

`YearFigure` holds, for each partnership and year, the value of every part of every
indicator's aggregate over that partnership's records (a count, a sum; a mean keeps its sum
and its count). A city pair, a province pair or the nation then gets a figure that adds up
(`Measure.summable`) with one `SUM(value) … GROUP BY key, part` over a few thousand rows,
instead of one aggregate per source over every record beneath it (about a second for the
nation at a million workers: docs/performance.md). Figures that do not add up across
partnerships — distinct persons and enterprises, who may appear in two partnerships — are
still counted from the records.

**Never stale.** `YearFigureStamp` says at which data version (`DataVersion.token`,
changed in the same transaction as every write of the partnership's records: see
freshness.py) a partnership's year was computed. Before reading, `refresh` finds the
partnerships beneath the scope whose stamp differs from their token (one query) and
recomputes only those (one grouped aggregate per source, over their records alone). A
write in one partnership therefore costs the next roll-up one partnership's aggregates, and
nothing on the write itself: the writing transaction only changes the token, as for every
cache. The token is read before the records, so figures are never older than their stamp.
Two readers refreshing the same year take the stamp rows' locks first (one upsert, in id
order) and write the figures behind them, so a stamp always describes the rows beside it.

The engine (indicators.py) gives `refresh` the function that computes the parts; this
module knows nothing of indicators.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from cooperation.models import DataVersion, Partnership, YearFigure, YearFigureStamp

PLACES = Decimal("0.0001")  # YearFigure.value's decimal places
_CHUNK = 500  # partnership ids per IN list (SQLite's historic limit of 999 parameters)
_BATCH = 1000  # rows per INSERT


def stored(value):
    """A part's value as the table holds it: a number (a duration in seconds)."""
    if isinstance(value, datetime.timedelta):
        return Decimal(str(value.total_seconds()))
    return Decimal(value).quantize(PLACES)


def _ids_filter(ids, path="partnership_id"):
    return Q() if ids is None else Q(**{f"{path}__in": ids})


def stale(ids, year, using=None):
    """{partnership id: current token} of the partnerships (`ids`; None: every one) whose
    figures of the year are missing or older than their data version. One query."""
    current = DataVersion.objects.filter(partnership_id=OuterRef("pk")).values("token")[:1]
    stamped = YearFigureStamp.objects.filter(partnership=OuterRef("pk"), year=year)
    rows = (
        Partnership.objects.using(using or DEFAULT_DB_ALIAS)
        .filter(_ids_filter(ids, "pk"))
        .annotate(
            current=Coalesce(Subquery(current), Value("")),
            stamped=Subquery(stamped.values("token")[:1]),
        )
        .filter(Q(stamped__isnull=True) | ~Q(stamped=F("current")))
        .values_list("pk", "current")
    )
    return dict(rows)


def refresh(ids, year, compute, using=None):
    """Bring the year's figures of the partnerships `ids` (None: all) up to their data
    version. `compute(ids)` gives {partnership id: {(key, part): value}} from the records
    (a part over no rows may be left out). Returns the ids recomputed."""
    alias = using or DEFAULT_DB_ALIAS
    tokens = stale(ids, year, alias)
    if not tokens:
        return []
    ordered = sorted(tokens)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        parts = compute(chunk)  # read after the tokens: never older than the stamp
        with transaction.atomic(using=alias):
            YearFigureStamp.objects.using(alias).bulk_create(
                [YearFigureStamp(partnership_id=p, year=year, token=tokens[p]) for p in chunk],
                update_conflicts=True,
                unique_fields=["year", "partnership"],
                update_fields=["token"],
            )
            YearFigure.objects.using(alias).filter(year=year, partnership_id__in=chunk).delete()
            YearFigure.objects.using(alias).bulk_create(
                [
                    YearFigure(partnership_id=p, year=year, key=key, part=part, value=stored(v))
                    for p in chunk
                    for (key, part), v in parts.get(p, {}).items()
                    if v is not None
                ],
                batch_size=_BATCH,
            )
    return ordered


def summed(ids, year, keys, using=None):
    """{(key, part): sum over the partnerships `ids` (None: all)} of the stored parts of
    these indicators. One query; refresh first."""
    rows = (
        YearFigure.objects.using(using or DEFAULT_DB_ALIAS)
        .filter(_ids_filter(ids), year=year, key__in=keys)
        .order_by()
        .values_list("key", "part")
        .annotate(total=Sum("value"))
    )
    return {(key, part): total for key, part, total in rows}


def by_partnership(ids, year, keys, using=None):
    """{partnership id: {(key, part): value}} of these indicators. One query; refresh first."""
    rows = (
        YearFigure.objects.using(using or DEFAULT_DB_ALIAS)
        .filter(_ids_filter(ids), year=year, key__in=keys)
        .values_list("partnership_id", "key", "part", "value")
    )
    found = {}
    for pid, key, part, value in rows:
        found.setdefault(pid, {})[key, part] = value
    return found
