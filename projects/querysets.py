"""Reads of the projects app, named as phrases and computed in the database.

Every figure of funds and industry comes from here (the indicators in `indicators.py` only
pick the records and call one of these). Conventions:

- the year of a project is its fund year (资金年度), of an investment its signing date, of a
  consumption sale its `year`/`month` fields, of a donation its date;
- "in town" means the record's town (镇/街道, a 9-digit code) is that town; a record with only
  a village has its town filled in from the village when saved;
- cancelled projects (已取消) never count in a total: every figure method of
  `ProjectQuerySet` applies `not_cancelled()` itself, so it cannot be forgotten;
- each figure runs exactly one query, whatever the number of rows.
"""

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

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


def _int_sum(field):
    return Coalesce(Sum(field), Value(0))


def _town_code(town):
    """A town `Region` or its 9-digit code → the code."""
    return getattr(town, "code", town)


def _fill_months(rows, empty):
    """Twelve rows (1–12) for a chart: months without records get `empty` (zeros)."""
    by_month = {row["month"]: row for row in rows}
    return [by_month.get(m, {"month": m, **empty}) for m in range(1, 13)]


def _with_labels(rows, key, choices):
    """Rows of a grouping by a choice field, in the choices' order, each with its label."""
    labels = dict(choices)
    order = {value: i for i, value in enumerate(labels)}
    for row in rows:
        row["label"] = str(labels.get(row[key], row[key]))
    return sorted(rows, key=lambda row: order.get(row[key], len(order)))


class PlaceQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)

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

    def in_category(self, category):
        return self.filter(category=category)

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

    def totals(self):
        """Aid, matching and other funds, projects, people benefiting (and of them
        poverty-exited) — one query; cancelled projects left out."""
        return self.not_cancelled().aggregate(
            aid_funds=_money_sum("aid_funds"),
            local_funds=_money_sum("local_funds"),
            other_funds=_money_sum("other_funds"),
            projects=Count("id"),
            beneficiaries=_int_sum("beneficiaries"),
            beneficiaries_poverty_exited=_int_sum("beneficiaries_poverty_exited"),
        )

    def aid_funds(self):
        """Sum of aid funds (协作资金, 万元) of the projects not cancelled."""
        return self.not_cancelled().aggregate(v=_money_sum("aid_funds"))["v"]

    def project_count(self):
        return self.not_cancelled().count()

    def beneficiaries(self):
        return self.not_cancelled().aggregate(v=_int_sum("beneficiaries"))["v"]

    def beneficiaries_poverty_exited(self):
        return self.not_cancelled().aggregate(v=_int_sum("beneficiaries_poverty_exited"))["v"]

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
    def in_year(self, year):
        """Investments signed (签约落地) in a year."""
        return self.filter(signed_on__year=year)

    def in_month(self, month):
        return self.filter(signed_on__month=month)

    def totals(self):
        """Enterprises settled (distinct names), investment agreed and arrived, jobs."""
        return self.aggregate(
            enterprises=Count("enterprise", distinct=True),
            agreed=_money_sum("agreed"),
            arrived=_money_sum("arrived"),
            jobs=_int_sum("jobs"),
        )

    def enterprise_count(self):
        """Enterprises settled: distinct enterprise names (one enterprise signing twice is
        one enterprise)."""
        return self.aggregate(v=Count("enterprise", distinct=True))["v"]

    def agreed_total(self):
        return self.aggregate(v=_money_sum("agreed"))["v"]

    def arrived_total(self):
        return self.aggregate(v=_money_sum("arrived"))["v"]

    def jobs_total(self):
        return self.aggregate(v=_int_sum("jobs"))["v"]

    def _aggregates(self):
        return {
            "enterprises": Count("enterprise", distinct=True),
            "agreed": _money_sum("agreed"),
            "arrived": _money_sum("arrived"),
            "jobs": _int_sum("jobs"),
        }

    def totals_by_year(self):
        """[{"year", "enterprises", "agreed", "arrived", "jobs"}, …] by signing year."""
        return self.annotate(year=ExtractYear("signed_on"))._grouped(["year"], **self._aggregates())

    def totals_by_month(self, year):
        """Twelve rows {"month", …} of the year's signings, months without any at zero."""
        rows = (
            self.in_year(year)
            .annotate(month=ExtractMonth("signed_on"))
            ._grouped(["month"], **self._aggregates())
        )
        return _fill_months(rows, {"enterprises": 0, "agreed": ZERO, "arrived": ZERO, "jobs": 0})

    def totals_by_town(self, year):
        """[{"town", "town_name", …}, …] by town code, unplaced last (town None)."""
        rows = self.in_year(year)._grouped(["town", "town__name"], **self._aggregates())
        rows = [{"town": r.pop("town"), "town_name": r.pop("town__name"), **r} for r in rows]
        return sorted(rows, key=lambda r: (r["town"] is None, r["town"] or ""))


class ConsumptionSaleQuerySet(PlaceQuerySet):
    def in_year(self, year):
        return self.filter(year=year)

    def in_month(self, month):
        return self.filter(month=month)

    def through_channel(self, channel):
        return self.filter(channel=channel)

    def with_certified_products(self):
        """Sales that include nationally certified poverty-alleviation products."""
        return self.filter(certified_amount__gt=0)

    def totals(self):
        """Sales amount and, of it, certified poverty-alleviation products (万元)."""
        return self.aggregate(
            amount=_money_sum("amount"), certified_amount=_money_sum("certified_amount")
        )

    def amount_total(self):
        return self.aggregate(v=_money_sum("amount"))["v"]

    def certified_amount_total(self):
        return self.aggregate(v=_money_sum("certified_amount"))["v"]

    def _aggregates(self):
        return {"amount": _money_sum("amount"), "certified_amount": _money_sum("certified_amount")}

    def amounts_by_year(self):
        """[{"year", "amount", "certified_amount"}, …], oldest first."""
        return self._grouped(["year"], **self._aggregates())

    def amounts_by_month(self, year):
        """Twelve rows {"month", "amount", "certified_amount"}, months without sales at zero."""
        rows = self.in_year(year)._grouped(["month"], **self._aggregates())
        return _fill_months(rows, {"amount": ZERO, "certified_amount": ZERO})

    def amounts_by_channel(self, year, month=None):
        """[{"channel", "label", "amount", "certified_amount"}, …] in the channels' order."""
        from .models import ConsumptionSale

        qs = self.in_year(year)
        if month is not None:
            qs = qs.in_month(month)
        rows = qs._grouped(["channel"], **self._aggregates())
        return _with_labels(rows, "channel", ConsumptionSale.Channel.choices)

    def amounts_by_product_category(self, year):
        """[{"product_category", "label", "amount", "certified_amount"}, …]."""
        from .models import ConsumptionSale

        rows = self.in_year(year)._grouped(["product_category"], **self._aggregates())
        return _with_labels(rows, "product_category", ConsumptionSale.ProductCategory.choices)

    def amounts_by_town(self, year):
        """[{"town", "town_name", "amount", "certified_amount"}, …], unplaced last."""
        rows = self.in_year(year)._grouped(["town", "town__name"], **self._aggregates())
        rows = [{"town": r.pop("town"), "town_name": r.pop("town__name"), **r} for r in rows]
        return sorted(rows, key=lambda r: (r["town"] is None, r["town"] or ""))


class DonationQuerySet(PlaceQuerySet):
    def in_year(self, year):
        return self.filter(date__year=year)

    def in_month(self, month):
        return self.filter(date__month=month)

    def in_cash(self):
        """Donations with a cash part."""
        return self.filter(cash__gt=0)

    def in_kind(self):
        """Donations with a part in kind."""
        return self.filter(in_kind__gt=0)

    def totals(self):
        """Cash, value in kind, and both together (万元); number of donations."""
        return self.aggregate(**self._aggregates(), donations=Count("id"))

    def cash_total(self):
        return self.aggregate(v=_money_sum("cash"))["v"]

    def in_kind_total(self):
        return self.aggregate(v=_money_sum("in_kind"))["v"]

    def grand_total(self):
        """Cash plus value in kind (万元)."""
        return self.aggregate(v=_money_sum(F("cash") + F("in_kind")))["v"]

    def _aggregates(self):
        # "total" first: once an aggregate named "cash" exists, F("cash") would mean it.
        return {
            "total": _money_sum(F("cash") + F("in_kind")),
            "cash": _money_sum("cash"),
            "in_kind": _money_sum("in_kind"),
        }

    def totals_by_year(self):
        """[{"year", "cash", "in_kind", "total"}, …] by the year of the donation date."""
        return self.annotate(year=ExtractYear("date"))._grouped(["year"], **self._aggregates())

    def totals_by_month(self, year):
        """Twelve rows {"month", "cash", "in_kind", "total"}, months without donations at zero."""
        rows = (
            self.in_year(year)
            .annotate(month=ExtractMonth("date"))
            ._grouped(["month"], **self._aggregates())
        )
        return _fill_months(rows, {"cash": ZERO, "in_kind": ZERO, "total": ZERO})


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

    def totals(self):
        """Park jobs and, of them, jobs of poverty-exited workers."""
        return self.aggregate(
            jobs=_int_sum("jobs"), poverty_exited_jobs=_int_sum("poverty_exited_jobs")
        )


class DemonstrationVillageQuerySet(PlaceQuerySet):
    def in_year(self, year):
        return self.filter(year=year)

    def totals(self):
        """Demonstration villages (records) and the cooperation funds put into them."""
        return self.aggregate(villages=Count("id"), funds=_money_sum("funds"))
