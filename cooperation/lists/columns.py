"""The columns of a list and how their values read on screen: one place for the kinds of
value (text, amount, date…) that the page, the footer and the exports all follow."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cooperation import formatting

TEXT, INT, MONEY, DECIMAL, DATE, CODE, CHOICE, BOOL = (
    "text",
    "int",
    "money",
    "decimal",
    "date",
    "code",
    "choice",
    "bool",
)
NUMERIC_KINDS = {INT, MONEY, DECIMAL}
DEFAULT_UNIT = _("条")


@dataclass
class Column:
    """One column of a list: `key` is a `values()` path (or an annotation of the spec's
    queryset); `label` carries the unit (资金（万元）)."""

    key: str
    label: str
    kind: str = TEXT
    sortable: bool = True
    total: bool = False  # summed over the filtered rows in the footer
    mask: object = None  # callable applied to the value on screen and in exports
    places: int = 2  # decimals shown on screen for money/decimal

    @property
    def numeric(self):
        return self.kind in NUMERIC_KINDS


@dataclass(frozen=True)
class Rate:
    """A footer figure that is a percentage of two aggregates over the filtered rows
    (资金拨付率 = disbursed ÷ aid funds): computed in the footer's one aggregate, shown to 0.1,
    no figure when the whole is 0."""

    key: str
    label: str
    part: object  # an aggregate, e.g. Sum(...) or Count("pk", filter=Q(...))
    whole: object


@dataclass
class Total:
    """A figure in the list's footer, computed over all the filtered rows (not the page)."""

    key: str
    label: str
    value: object
    kind: str = INT
    places: int = 2

    @property
    def display(self):
        return format_value(self.value, self.kind, self.places)


def format_value(value, kind, places=2):
    """A value as shown on screen."""
    if value is None or value == "":
        return ""
    if kind == MONEY:
        return formatting.wan(value, places)
    if kind == DECIMAL:
        return formatting.grouped(value, places)
    if kind == INT:
        return formatting.number(value)
    if kind == DATE:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    return str(value)  # text, and 是/否 as a list's converter wrote them
