"""Reads of the labour app, named as phrases and computed in the database: what the lists,
the admin's filters and the charts ask of workers, spells and factories. The figures are
declared once, in `indicators.py`, over the rules of `rules.py`."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Avg, F, FilteredRelation, Q

from cooperation.querysets import RecordQuerySet, year_end

CENT = Decimal("0.01")


class WorkerQuerySet(RecordQuerySet):
    def with_facts(self, **conditions):
        """Workers having a WorkerYear row meeting all the conditions (one row meets them all):
        `with_facts(year=2021, transferred=True, stable=True)`. Distinct by construction."""
        from .models import WorkerYear

        return self.filter(pk__in=WorkerYear.objects.filter(**conditions).values("worker_id"))

    def with_year_wage(self, year):
        """Annotate `year_wage`: the worker's monthly wage in the year, that of his year row
        (WorkerYear.monthly_wage, his mean over the year's spells that have a wage); NULL
        without one. A LEFT JOIN on the (worker, year) unique index: one row at most, so the
        workers are neither repeated nor lost, and the value keeps its column's two places
        on every database."""
        return self.annotate(
            year_row=FilteredRelation("years", condition=Q(years__year=year)),
            year_wage=F("year_row__monthly_wage"),
        )

    def with_personal_search(self, term):
        """Exact match on a normalised ID number, else a name containing the term."""
        from . import idcard

        if idcard.looks_like_id_number(term):
            return self.filter(id_number=idcard.normalise(term))
        return self.filter(name__icontains=term.strip())


class EmploymentQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(worker__partnership=partnership)

    def active_in(self, year):
        """Spells that overlap the calendar year."""
        return self.filter(start_date__lte=year_end(year)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year, 1, 1))
        )


class WorkerYearQuerySet(RecordQuerySet):
    def in_year(self, year):
        return self.filter(year=year)

    def in_town(self, town):
        return self.filter(home_town_id=getattr(town, "code", town))

    def transferred(self, month=None):
        qs = self.filter(transferred=True)
        return qs if month is None else qs.filter(transferred_month=month)

    def average_wage(self):
        """Mean of the rows' monthly wages (each row: a worker's mean over the year's spells),
        in 元 to the fen (half up); rows without a wage are left out. None when no row has
        one. The average-wage card and the worker list's footer both read it."""
        wage = self.aggregate(wage=Avg("monthly_wage"))["wage"]
        return None if wage is None else Decimal(str(wage)).quantize(CENT, ROUND_HALF_UP)


def factory_in_operation_at_end_q(year):
    """Factories opened by 31 December and not closed by then (closed on 31 December: not
    counted)."""
    end = year_end(year)
    return Q(opened_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))


class CommunityFactoryQuerySet(RecordQuerySet):
    def in_operation_at_end_of(self, year):
        return self.filter(factory_in_operation_at_end_q(year))

    def opened_in(self, year, month=None):
        qs = self.filter(opened_on__year=year)
        return qs if month is None else qs.filter(opened_on__month=month)
