"""How complete the evidence of a year is: per kind of record, how many of the year's
records there are and how many have at least one file, and which have none.

    evidence_counts(partnership_ids, 2021)   # partnership_ids: ids, a queryset, or None (all)

is what the annual summary shows beside each kind's figures; the page of records without
evidence (evidence/views.py) lists them per kind. Each kind costs one query for its counts
and, on the page, one for its rows, whatever the number of records."""

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Q

from cooperation import freshness
from cooperation.dashboard.indicators import registry as indicators
from cooperation.freshness import partnership_lookup

from . import registry
from .models import has_evidence

# Rows listed per kind on the page of missing evidence; the counts are always complete,
# and the admin's change list (linked) shows the rest.
MISSING_ROWS = 200


@dataclass
class Completeness:
    kind: registry.RecordKind
    model: type
    records: int
    with_evidence: int
    missing_rows: list = field(default_factory=list)

    @property
    def without_evidence(self):
        return self.records - self.with_evidence

    @property
    def title(self):
        return self.model._meta.verbose_name_plural

    @property
    def percent(self):
        """Share of records with evidence, in percent (None without records)."""
        return None if not self.records else round(100 * self.with_evidence / self.records, 1)


def records_of_year(kind, model, partnership_ids, year):
    records = model._default_manager.filter(**{kind.year: year})
    if partnership_ids is not None:
        records = records.filter(**{f"{partnership_lookup(model)}__in": partnership_ids})
    return records


def evidence_counts(partnership_ids, year, kinds=None):
    """[Completeness] per kind of record (registry order): the year's records of the given
    partnerships (None: all) and how many have evidence. One query per kind."""
    found = []
    for kind, model in kinds if kinds is not None else registry.kinds():
        totals = (
            records_of_year(kind, model, partnership_ids, year)
            .order_by()
            .aggregate(
                records=Count("pk"),
                with_evidence=Count("pk", filter=Q(has_evidence(model))),
            )
        )
        found.append(Completeness(kind, model, totals["records"], totals["with_evidence"]))
    return found


def missing_evidence(partnership_ids, year, kinds=None, limit=MISSING_ROWS):
    """evidence_counts with, for each kind, its first `limit` records without evidence (in
    the model's order). Two queries per kind."""
    found = evidence_counts(partnership_ids, year, kinds)
    for item in found:
        if item.without_evidence:
            rows = (
                records_of_year(item.kind, item.model, partnership_ids, year)
                .exclude(has_evidence(item.model))
                .select_related(*item.kind.related)
            )
            item.missing_rows = list(rows[:limit])
    return found


def by_indicator(scope, year):
    """{indicator key: (records, records with evidence)} for the indicators whose records
    take files: the rows each figure counts (its source's rows of the scope and year that
    meet its condition) and how many of them have at least one. One conditional aggregate
    per source, like the figures themselves (cooperation/dashboard/indicators.py), cached
    under the scope's data version (a file added or removed bumps it, like any record)."""
    return freshness.cached(
        "evidence-by-indicator",
        scope.key,
        year,
        compute=lambda: _by_indicator(scope, year),
        version=scope.version(),
    )


def _by_indicator(scope, year):
    by_source = {}
    for ind in indicators.all():
        if ind.applies(scope):
            by_source.setdefault(ind.source, []).append(ind)
    found = {}
    for source, members in by_source.items():
        model = apps.get_model(source.model)
        if registry.kind_of(model) is None:
            continue
        filed = Q(has_evidence(model))
        aggregates = {}
        for n, ind in enumerate(members):
            where = ind.condition(year)
            aggregates[f"records{n}"] = Count("pk", filter=where)
            aggregates[f"filed{n}"] = Count("pk", filter=filed if where is None else where & filed)
        row = source.queryset(scope, year).aggregate(**aggregates)
        for n, ind in enumerate(members):
            found[ind.key] = (row[f"records{n}"], row[f"filed{n}"])
    return found
