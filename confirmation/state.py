"""Where a partnership's year stands — 未确认, 西部已确认, 东部已确认, 双方已确认 — and the
two steps that move it: `confirm` (one side, with a snapshot of every figure and its
remarks) and `reopen` (either side, with a reason). Both confirmed, the year is closed
(closing.py). `drift` lists the figures whose value today differs from the confirmed one.

Both sides always confirm the same figures: when the figures have changed since the first
side confirmed, the second side's confirmation ends the first one (it confirmed other
figures), and the first side confirms again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_duration
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperation import areas
from cooperation.dashboard.indicators import evaluate, registry
from cooperation.dashboard.scopes import of_partnership
from cooperation.freshness import bump_data_version
from cooperation.roles import CONFIRM_YEAR

from .models import Side, YearConfirmation, YearReopening

REASON_MAX = 1000
REMARK_MAX = 200

OPEN, CLOSED = "open", "closed"
LABELS = {
    OPEN: _("未确认"),
    Side.WEST: _("西部已确认"),
    Side.EAST: _("东部已确认"),
    CLOSED: _("双方已确认"),
}


# --- figures as stored ------------------------------------------------------------------------


def stored_form(values):
    """{key: value} as a confirmation stores it (JSON: decimals and durations as text)."""
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def read_value(raw):
    """A stored value back as a number (int, Decimal) or a duration, for display."""
    if raw is None or isinstance(raw, int):
        return raw
    try:
        return Decimal(raw)
    except (InvalidOperation, TypeError):
        return parse_duration(raw)


def digest(figures):
    """A short fingerprint of stored figures: the confirmation form carries the one it
    showed, so that figures changed while the reviewer read them are not confirmed unseen."""
    text = json.dumps(figures, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def current_figures(partnership, year):
    """Every figure of the partnership's year, computed now from the records, as stored."""
    return stored_form(evaluate(of_partnership(partnership), year))


# --- the state ----------------------------------------------------------------------------


@dataclass
class Drift:
    indicator: object
    confirmed: object
    current: object


@dataclass
class YearState:
    partnership: object
    year: int
    confirmations: dict  # side → the active YearConfirmation
    reopening: YearReopening | None = None
    past: list = field(default_factory=list)  # ended confirmations, newest first

    @property
    def status(self):
        if len(self.confirmations) == 2:
            return CLOSED
        if self.confirmations:
            return next(iter(self.confirmations))
        return OPEN

    @property
    def closed(self):
        return self.status == CLOSED

    @property
    def label(self):
        return LABELS[self.status]

    @property
    def west(self):
        return self.confirmations.get(Side.WEST)

    @property
    def east(self):
        return self.confirmations.get(Side.EAST)

    def reference(self):
        """The figures the year was last confirmed with: an active confirmation's, else
        those of the last reopening; None when never confirmed."""
        for side in (Side.WEST, Side.EAST):
            if side in self.confirmations:
                return self.confirmations[side].figures
        return self.reopening.figures if self.reopening else None

    def remarks(self):
        """{key: [(side label, text), …]} of the active confirmations' remarks."""
        found = {}
        for side in (Side.WEST, Side.EAST):
            c = self.confirmations.get(side)
            for key, text in (c.remarks if c else {}).items():
                found.setdefault(key, []).append((c.get_side_display(), text))
        return found


def state(partnership, year):
    """The year's state: two queries (the confirmations, the last reopening)."""
    rows = (
        YearConfirmation.objects.filter(partnership=partnership, year=year)
        .select_related("confirmed_by")
        .order_by("-confirmed_at", "-pk")
    )
    active, past = {}, []
    for c in rows:
        if c.active:
            active[c.side] = c
        else:
            past.append(c)
    reopening = (
        YearReopening.objects.filter(partnership=partnership, year=year)
        .select_related("reopened_by")
        .order_by("-reopened_at", "-pk")
        .first()
    )
    return YearState(partnership, year, active, reopening, past)


def drift(year_state, current):
    """[Drift, …] of the figures whose current value differs from the confirmed one, in the
    registry's order; empty when the year was never confirmed."""
    reference = year_state.reference()
    if reference is None:
        return []
    return [
        Drift(ind, read_value(reference.get(ind.key)), read_value(current.get(ind.key)))
        for ind in registry.all()
        if reference.get(ind.key) != current.get(ind.key)
    ]


def for_page(scope, year, values):
    """(state, drift) for a dashboard-like page of a partnership (a town's page: its
    partnership's state, no drift, its figures being the town's); (None, []) above a
    partnership. `values`: the page's figures {key: value}. Two queries."""
    if scope.partnership is None:
        return None, []
    year_state = state(scope.partnership, year)
    if scope.town is not None:
        return year_state, []
    return year_state, drift(year_state, stored_form(values))


# --- who may ------------------------------------------------------------------------------


def sides_of(user, partnership):
    """The sides of the partnership this user may confirm for: a reviewer (the permission)
    whose areas hold that side's county."""
    if user is None or not user.is_active or not user.has_perm(CONFIRM_YEAR):
        return set()
    return areas.sides(user, partnership)


def _side_or_refuse(user, partnership, side):
    sides = sides_of(user, partnership)
    if side is None and len(sides) == 1:
        side = next(iter(sides))
    if side not in sides:
        raise PermissionDenied(
            gettext("只有协作关系东部或西部的审核员可以确认或重新打开年度数据。")
        )
    return side


def _valid_year(year):
    if not 1996 <= year <= timezone.localdate().year:
        raise ValidationError(gettext("只能确认已开始的年度。"))


# --- the steps ----------------------------------------------------------------------------


@transaction.atomic
def confirm(user, partnership, year, side=None, remarks=None, seen=None):
    """The user's side confirms the year with the figures as they are now, and remarks
    ({key: text}). Returns (the confirmation, the other side's confirmation it ended —
    the figures changed since — or None). Refused (PermissionDenied, ValidationError) for a
    user who is no reviewer of a side, a side that has confirmed already, the person who
    confirmed the other side, and figures that changed since the reviewer saw them (`seen`:
    their digest, when the form carried one)."""
    _valid_year(year)
    side = _side_or_refuse(user, partnership, side)
    remarks = {k: v.strip()[:REMARK_MAX] for k, v in (remarks or {}).items() if k in registry}
    remarks = {k: v for k, v in remarks.items() if v}
    # Locks the year's confirmations (PostgreSQL), so two confirmations meet in order.
    rows = list(
        YearConfirmation.objects.select_for_update().filter(
            partnership=partnership, year=year, active=True
        )
    )
    mine = next((c for c in rows if c.side == side), None)
    if mine is not None:
        raise ValidationError(gettext("本方已经确认过该年度。"))
    other = next((c for c in rows if c.side != side), None)
    if other is not None and other.confirmed_by_id == user.pk:
        raise ValidationError(gettext("同一人不能代表东西部双方确认。"))
    figures = current_figures(partnership, year)
    if seen is not None and seen != digest(figures):
        raise ValidationError(gettext("您查看之后数据有变化，请核对最新的指标值后再确认。"))
    ended = None
    if other is not None and other.figures != figures:
        other.active = False
        other.ended_why = gettext("对方确认前数据有变化")
        other.save(update_fields=["active", "ended_why"])
        ended = other
    confirmation = YearConfirmation.objects.create(
        partnership=partnership,
        year=year,
        side=side,
        confirmed_by=user,
        figures=figures,
        remarks=remarks,
    )
    bump_data_version(partnerships=[partnership.pk])  # cached pages show the new state
    return confirmation, ended


@transaction.atomic
def reopen(user, partnership, year, reason, side=None):
    """A reviewer of either side reopens a confirmed year, giving a reason: every active
    confirmation ends, and both sides confirm again. Returns the YearReopening."""
    side = _side_or_refuse(user, partnership, side)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(gettext("请填写重新打开的原因。"))
    if len(reason) > REASON_MAX:
        raise ValidationError(gettext("原因最多 %(n)d 个字。") % {"n": REASON_MAX})
    rows = list(
        YearConfirmation.objects.select_for_update()
        .filter(partnership=partnership, year=year, active=True)
        .order_by("-confirmed_at")
    )
    if not rows:
        raise ValidationError(gettext("该年度没有有效的确认，无需重新打开。"))
    reopening = YearReopening.objects.create(
        partnership=partnership,
        year=year,
        side=side,
        reopened_by=user,
        reason=reason,
        figures=rows[0].figures,
    )
    why = gettext("%(date)s 重新打开") % {"date": timezone.localdate().isoformat()}
    YearConfirmation.objects.filter(pk__in=[c.pk for c in rows]).update(active=False, ended_why=why)
    bump_data_version(partnerships=[partnership.pk])
    return reopening
