"""Reads of the projects app, named as phrases and computed in the database: the conditions
the indicators, lists and filters share (a project that counts, one started or completed, a
park existing at a year's end), a project's disbursed amount, and the groupings the charts
draw. The figures themselves are declared once, in `indicators.py`.

- the year of a project is its fund year (资金年度);
- "in town" means the record's town (镇/街道, a 9-digit code) is that town; a record with only
  a village has its town filled in from the village when saved;
- cancelled projects (已取消) never count: the charts' groupings apply `not_cancelled()`.
"""

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from cooperation.querysets import RecordQuerySet

ZERO = Decimal("0")
HALF_A_YUAN = Value(Decimal("0.00005"), output_field=DecimalField(max_digits=20, decimal_places=5))
# Projects that count: every figure and list of funds leaves cancelled projects out.
NOT_CANCELLED = ~Q(status="cancelled")
# Projects started (开工) and completed (完工): one in operation has been built.
STARTED = Q(status__in=["building", "completed", "operating"])
COMPLETED = Q(status__in=["completed", "operating"])


def disbursed():
    """A project's disbursements (资金拨付, 万元), 0 without any: a subquery over its own
    rows, so that it can be summed over projects beside their other columns (a join would
    repeat each project once per disbursement)."""
    from .models import Disbursement

    money = DecimalField(max_digits=20, decimal_places=4)
    paid = (
        Disbursement.objects.filter(project_id=OuterRef("pk"))
        .order_by()
        .values("project_id")
        .annotate(v=Sum("amount"))
        .values("v")
    )
    return Coalesce(Subquery(paid, output_field=money), Value(ZERO), output_field=money)


def _money_sum(field):
    """SUM of an amount column, 0 (not NULL) over no rows."""
    money = DecimalField(max_digits=20, decimal_places=4)
    return Coalesce(Sum(field), Value(ZERO), output_field=money)


def _town_code(town):
    """A town `Region` or its 9-digit code → the code."""
    return getattr(town, "code", town)


def _with_labels(rows, key, choices):
    """Rows of a grouping by a choice field, in the choices' order, each with its label."""
    labels = dict(choices)
    order = {value: i for i, value in enumerate(labels)}
    for row in rows:
        row["label"] = str(labels.get(row[key], row[key]))
    return sorted(rows, key=lambda row: order.get(row[key], len(order)))


class PlaceQuerySet(RecordQuerySet):
    def in_town(self, town):
        """Records whose town (镇/街道) is `town` (a Region or its 9-digit code)."""
        return self.filter(town_id=_town_code(town))

    def with_unofficial_place(self):
        """Records whose place was written as text, outside the official code list."""
        return self.exclude(place_text="")

    def _grouped(self, group_fields, **aggregates):
        return list(
            self.order_by().values(*group_fields).annotate(**aggregates).order_by(*group_fields)
        )


class ProjectQuerySet(PlaceQuerySet):
    def in_year(self, year):
        """Projects of a fund year (资金年度)."""
        return self.filter(fund_year=year)

    def not_cancelled(self):
        return self.filter(NOT_CANCELLED)

    def with_disbursed(self):
        """Each project with `disbursed`, the sum of its disbursements (万元)."""
        return self.annotate(disbursed=disbursed())

    def over_disbursed(self):
        """Projects whose disbursements exceed their aid funds, with `disbursed` (one query):
        what an import checks after writing, all projects it touched at once."""
        # Over by one yuan (0.0001 万元) at least: SQLite sums decimals as floating point, so
        # 17 + 17 + 17.01 may read 51.010000000000005 against 51.01.
        return self.with_disbursed().filter(disbursed__gt=F("aid_funds") + HALF_A_YUAN)

    def aid_funds_by_year(self):
        """[{"year", "aid_funds", "projects"}, …] by fund year, oldest first."""
        rows = self.not_cancelled()._grouped(
            ["fund_year"], aid_funds=_money_sum("aid_funds"), projects=Count("id")
        )
        return [{"year": r.pop("fund_year"), **r} for r in rows]

    def aid_funds_by_town(self, year=None):
        """[{"town", "town_name", "aid_funds", "projects"}, …] by town code; projects placed
        only by text (非标准地名) or not placed come last with town None."""
        qs = self.in_year(year) if year is not None else self
        rows = qs.not_cancelled()._grouped(
            ["town", "town__name"], aid_funds=_money_sum("aid_funds"), projects=Count("id")
        )
        rows = [{"town": r.pop("town"), "town_name": r.pop("town__name"), **r} for r in rows]
        return sorted(rows, key=lambda r: (r["town"] is None, r["town"] or ""))

    def aid_funds_by_category(self, year=None):
        """[{"category", "label", "aid_funds", "projects"}, …] in the categories' order."""
        from .models import Project

        qs = self.in_year(year) if year is not None else self
        rows = qs.not_cancelled()._grouped(
            ["category"], aid_funds=_money_sum("aid_funds"), projects=Count("id")
        )
        return _with_labels(rows, "category", Project.Category.choices)


class InvestmentQuerySet(PlaceQuerySet):
    def enterprise_count(self):
        """Enterprises settled: distinct enterprise names (one enterprise signing twice is
        one enterprise)."""
        return self.aggregate(v=Count("enterprise", distinct=True))["v"]


class ConsumptionSaleQuerySet(PlaceQuerySet):
    def with_certified_products(self):
        """Sales that include nationally certified poverty-alleviation products."""
        return self.filter(certified_amount__gt=0)


class DonationQuerySet(PlaceQuerySet):
    def in_cash(self):
        """Donations with a cash part."""
        return self.filter(cash__gt=0)

    def in_kind(self):
        """Donations with a part in kind."""
        return self.filter(in_kind__gt=0)


def park_existing_at_end_q(year):
    """Parks established (建成) by 31 December of the year."""
    return Q(established_on__lte=datetime.date(year, 12, 31))


class IndustrialParkQuerySet(PlaceQuerySet):
    def existing_at_end_of(self, year):
        return self.filter(park_existing_at_end_q(year))

    def established_in(self, year, month=None):
        qs = self.filter(established_on__year=year)
        return qs if month is None else qs.filter(established_on__month=month)


class IndustrialParkYearQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(park__partnership=partnership)

    def in_town(self, town):
        """Years of the parks whose town is `town` (a Region or its 9-digit code)."""
        return self.filter(park__town_id=_town_code(town))
