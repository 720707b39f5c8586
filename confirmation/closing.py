"""Closed years: once both sides have confirmed a partnership's year (confirmation/models.py),
the records dated in that year are closed to every write path until a reviewer reopens it.

**Which records a year holds.** A record is dated by the fields listed in `DATED`: a year
field, or dates whose year counts. A spell (a posting, an employment, a pairing, a training
course, a factory's life) is dated by its start and its end: a spell started in 2021, or
ended in 2021, belongs to 2021. A spell that runs across a closed year (started before it,
ended after it or not at all) is not closed by it: ending it later changes no figure of the
closed year's own records, and if a write elsewhere does move a closed figure, the summary
shows the drift (confirmation/state.py). Workers, organisations and partnerships are not
dated: they are closed by no year.

A write is refused when the record's dates, as stored or as written, fall in a closed year
of its partnership (also as stored or as written: a record moved out of, or into, a closed
year is refused).

**Every write path** goes through this module:
- the admin: its forms and inline formsets (`YearClosedGuard`, cooperation/admin_base.py),
  its change and delete permissions per record, and bulk deletes;
- imports, in the browser, the command line or a background task: a row naming a closed
  year is an error naming its line and column (cooperation/imports/resources.py);
- anything else that saves or deletes a record — a service, a script, a task, a restore of
  a deleted record — meets `guard`, connected to pre_save and pre_delete of every dated model,
  which raises `YearClosed`.
Writes without signals (bulk_create, QuerySet.update) are the imports' own, checked above.
"""

from __future__ import annotations

import datetime
from functools import reduce
from operator import or_

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext

from cooperation.freshness import partnership_lookup, partnerships_of

# model label → the fields that date its records (a year, or dates whose year counts); a
# path ("project__fund_year") dates a record by its parent's field too
DATED = {
    "cooperation.pairing": ("signed_on", "ended_on"),
    "cooperation.posting": ("start_date", "end_date"),
    "cooperation.visit": ("date",),
    "cooperation.cadretraining": ("start_date", "end_date"),
    "cooperation.target": ("year",),
    "projects.project": ("fund_year",),
    "projects.projectprogress": ("date",),
    "projects.investment": ("signed_on",),
    "projects.consumptionsale": ("year",),
    "projects.donation": ("date",),
    # a disbursement counts in its project's fund year, whenever it is paid
    "projects.disbursement": ("date", "project__fund_year"),
    "projects.industrialpark": ("established_on",),
    "projects.industrialparkyear": ("year",),
    "projects.demonstrationvillage": ("year",),
    "labor.jobfair": ("date",),
    "labor.employment": ("start_date", "end_date"),
    "labor.trainingcourse": ("start_date", "end_date"),
    "labor.communityfactory": ("opened_on", "closed_on"),
}
# Records of a partnership that no year closes (see the module's docstring). Evidence files
# (佐证材料) are chased after a year is confirmed: no year closes them themselves (files of a
# closed year's record are still refused where the record's own page is read-only).
UNDATED = {"labor.worker", "evidence.evidencefile"}


class YearClosed(PermissionDenied):
    """A write to a closed year; its message says which year and who can reopen it."""

    def __init__(self, years):
        self.years = sorted(years)
        super().__init__(message(self.years))


def message(years):
    return gettext(
        "%(years)s年度的数据已经东西部双方确认，该年度的记录不能新增、修改、删除或导入。"
        "如需更改，请东部或西部的审核员在该年度的指标汇总页“重新打开”该年度。"
    ) % {"years": "、".join(str(y) for y in sorted(years))}


def dated_fields(model):
    """The fields dating the model's records, or () for records no year closes."""
    return DATED.get(model._meta.concrete_model._meta.label_lower, ())


def _year(value):
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date):
        return value.year
    return int(value)


def years_of(values):
    """The years of a record's stored dating values (None and blanks left out)."""
    return {y for y in map(_year, values) if y is not None}


def _field(model, path):
    """The field at the end of a path of dating fields ("date", "project__fund_year")."""
    *parents, name = path.split("__")
    for parent in parents:
        model = model._meta.get_field(parent).related_model
    return model._meta.get_field(name)


def _value(instance, path):
    """The value at the end of a path on a record in memory (None past an empty link)."""
    value = instance
    for name in path.split("__"):
        value = getattr(value, name, None) if value is not None else None
    return value


def partnership_in_memory(record):
    """The partnership id of a record as it is in memory, through its parent when it has
    one (no query when the parent is loaded)."""
    lookup = partnership_lookup(type(record))
    return None if lookup is None else _value(record, lookup)


def years(instance, values=None):
    """The years a record, as it is in memory (with `values` {field name: value} about to
    be written over it), is dated in. Values are read as their fields read them (a date
    given as text is a date); one no field can read gives no year (the write fails on its
    own validation)."""
    values = values or {}
    found = set()
    model = type(instance)
    for path in dated_fields(model):
        value = values[path] if path in values else _value(instance, path)
        try:
            found |= years_of([_field(model, path).to_python(value)])
        except (ValidationError, ValueError, TypeError):
            continue
    return found


def _both_confirmed(**filters):
    """The (partnership id, year) both sides have an active confirmation of, among the
    confirmations `filters` select. One query."""
    YearConfirmation = apps.get_model("confirmation", "YearConfirmation")
    return set(
        YearConfirmation.objects.filter(active=True, **filters)
        .values("partnership_id", "year")
        .annotate(sides=Count("side", distinct=True))
        .filter(sides=2)
        .values_list("partnership_id", "year")
    )


def closed(pairs):
    """The (partnership id, year) of `pairs` that are closed (both sides confirmed). One
    query, none for no pairs."""
    pairs = {(p, y) for p, y in pairs if p is not None and y is not None}
    if not pairs:
        return set()
    partnership_ids, years_ = {p for p, _y in pairs}, {y for _p, y in pairs}
    return _both_confirmed(partnership_id__in=partnership_ids, year__in=years_) & pairs


def closed_of():
    """Every closed (partnership id, year). One query."""
    return _both_confirmed()


def stored(instance):
    """(partnership ids, years) of the record as the database holds it; empty for a new one.
    One query."""
    model = type(instance)
    fields = dated_fields(model)
    if instance.pk is None or not fields:
        return set(), set()
    lookup = partnership_lookup(model)
    row = model._meta.base_manager.filter(pk=instance.pk).values_list(lookup, *fields).first()
    if row is None:
        return set(), set()
    return {row[0]}, years_of(row[1:])


def refusal(instance, deleting=False, values=None):
    """The closed years a save (or, `deleting`, a delete) of this record would touch: its
    years as written and as stored, in its partnership as written and as stored. `values`:
    the values about to be written ({field name: value}, e.g. a form's cleaned data) where
    the instance does not hold them yet. At most three queries (the record's partnership
    through its parent, the stored row, the closed years); one for a new record."""
    model = type(instance)
    fields = dated_fields(model)
    if not fields:
        return set()
    values = values or {}
    old_partnerships, old_years = stored(instance)
    if deleting and instance.pk is not None:
        new_partnerships, new_years = old_partnerships, old_years
    else:
        new_years = years(instance, values)
        chosen = values.get("partnership")
        new_partnerships = {chosen.pk} if chosen is not None else partnerships_of([instance])
    return _closed_years(old_partnerships | new_partnerships, old_years | new_years)


def closed_years_of(record):
    """The closed years a record as loaded (not changed since) is dated in: one query (two
    for a record that reaches its partnership through a parent); none for undated records."""
    if not dated_fields(type(record)):
        return set()
    return _closed_years(partnerships_of([record]), years(record))


def _closed_years(partnerships, years_):
    """The years of `years_` closed in one of `partnerships` (None among them is none)."""
    return {y for _p, y in closed({(p, y) for p in partnerships for y in years_})}


def check(instance, deleting=False):
    """Raise YearClosed when the write would touch a closed year."""
    refused = refusal(instance, deleting=deleting)
    if refused:
        raise YearClosed(refused)


def _closed_q(model, pairs):
    """Q over the model's records dated in one of these (partnership id, year); None when
    the model is not dated or there are no pairs."""
    fields = dated_fields(model)
    if not fields or not pairs:
        return None
    lookup = partnership_lookup(model)
    return reduce(
        or_,
        (
            Q(**{lookup: p}) & reduce(or_, (Q(**{_year_lookup(model, f): y}) for f in fields))
            for p, y in sorted(pairs)
        ),
    )


def closed_years_in(queryset):
    """The closed years some record of `queryset` is dated in: one query, and one per closed
    year of any partnership."""
    if not dated_fields(queryset.model):
        return set()
    pairs = closed_of()
    found = set()
    for year in sorted({y for _p, y in pairs}):
        q = _closed_q(queryset.model, {(p, y) for p, y in pairs if y == year})
        if queryset.filter(q).exists():
            found.add(year)
    return found


def _year_lookup(model, name):
    """The lookup of a dating field's year: `date__year`, or the year field itself."""
    is_date = _field(model, name).get_internal_type() in ("DateField", "DateTimeField")
    return f"{name}__year" if is_date else name


def guard(sender, instance, raw=False, **kwargs):
    """pre_save / pre_delete of every dated model: the last line for write paths that do not
    ask first (services, scripts, tasks, restores). Fixtures (`raw`) are not checked."""
    if raw:
        return
    check(instance, deleting=kwargs.get("signal") is pre_delete)


def connect():
    for label in DATED:
        model = apps.get_model(label)
        pre_save.connect(guard, sender=model, dispatch_uid=f"closing-save-{label}")
        pre_delete.connect(guard, sender=model, dispatch_uid=f"closing-delete-{label}")
