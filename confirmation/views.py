"""The page of a partnership's year (年度确认): its state, its figures with each side's
remarks, the drift since it was confirmed, the confirm and reopen forms, and the confirmed
figures as a printable page and an XLSX file. Staff of the partnership's areas only (another
area's year is not found)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from cooperation import areas
from cooperation.dashboard.indicators import registry
from cooperation.lists import exports

from . import state as states
from .models import Side

MIN_YEAR = 1996


def _partnership_year(request, partnership, year):
    """The partnership (of the user's areas: else 404) and the year (within bounds: else
    404)."""
    found = get_object_or_404(areas.partnerships(request.user).with_regions(), pk=partnership)
    if not MIN_YEAR <= year <= timezone.localdate().year:
        raise Http404(gettext("没有这个年度。"))
    return found


def _rows(current, year_state):
    """[(Group, [(indicator, value, remarks), …]), …] of every figure, in the assessment's
    order."""
    remarks = year_state.remarks()
    return [
        (
            group,
            [
                (ind, states.read_value(current.get(ind.key)), remarks.get(ind.key, []))
                for ind in indicators
            ],
        )
        for group, indicators in registry.by_group()
    ]


@login_required
def year_page(request, partnership, year):
    found = _partnership_year(request, partnership, year)
    year_state = states.state(found, year)
    current = states.current_figures(found, year)
    sides = states.sides_of(request.user, found)
    may_confirm = sorted(s for s in sides if s not in year_state.confirmations)
    context = {
        "title": gettext("%(p)s %(y)s年度数据确认") % {"p": found.name, "y": year},
        "partnership": found,
        "year": year,
        "state": year_state,
        "groups": _rows(current, year_state),
        "drift": states.drift(year_state, current),
        "digest": states.digest(current),
        "confirm_sides": [(s, Side(s).label) for s in may_confirm],
        "may_reopen": bool(sides) and bool(year_state.confirmations),
        "reason_max": states.REASON_MAX,
        "remark_max": states.REMARK_MAX,
        "print": request.GET.get("print") == "1",
    }
    return render(request, "confirmation/year.html", context)


def _refused(request, error):
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))


@login_required
@require_POST
def confirm(request, partnership, year):
    found = _partnership_year(request, partnership, year)
    side = request.POST.get("side") or None
    remarks = {
        key.removeprefix("remark-"): value
        for key, value in request.POST.items()
        if key.startswith("remark-")
    }
    try:
        _confirmation, ended = states.confirm(
            request.user, found, year, side, remarks, seen=request.POST.get("digest", "")
        )
    except (PermissionDenied, ValidationError) as error:
        _refused(request, error)
    else:
        messages.success(request, gettext("已确认。"))
        if ended is not None:
            messages.warning(
                request,
                gettext("%(side)s确认之后数据有变化，%(side)s的确认已失效，需%(side)s重新确认。")
                % {"side": ended.get_side_display()},
            )
    return redirect("confirmation:year", partnership=found.pk, year=year)


@login_required
@require_POST
def reopen(request, partnership, year):
    found = _partnership_year(request, partnership, year)
    try:
        states.reopen(request.user, found, year, request.POST.get("reason", ""))
    except (PermissionDenied, ValidationError) as error:
        _refused(request, error)
    else:
        messages.success(request, gettext("已重新打开该年度，需东西部双方重新确认。"))
    return redirect("confirmation:year", partnership=found.pk, year=year)


@login_required
def export(request, partnership, year, fmt):
    """The year's figures with the confirmed values beside today's, each side's remarks, and
    the confirmations below the table."""
    found = _partnership_year(request, partnership, year)
    year_state = states.state(found, year)
    current = states.current_figures(found, year)
    reference = year_state.reference() or {}
    remarks = year_state.remarks()
    headers = [
        gettext("类别"),
        gettext("指标"),
        gettext("单位"),
        gettext("确认值"),
        gettext("当前值"),
        gettext("说明"),
    ]
    rows = []
    for group, indicators in registry.by_group():
        for ind in indicators:
            confirmed = states.read_value(reference.get(ind.key))
            rows.append(
                [
                    str(group.label),
                    str(ind.label),
                    str(ind.unit),
                    _cell(confirmed),
                    _cell(states.read_value(current.get(ind.key))),
                    "；".join(f"{side}：{text}" for side, text in remarks.get(ind.key, [])),
                ]
            )
    rows.append([""] * len(headers))
    rows.append([gettext("确认状态"), str(year_state.label), "", "", "", ""])
    for side in (Side.WEST, Side.EAST):
        c = year_state.confirmations.get(side)
        who = (
            gettext("%(name)s 于 %(at)s 确认")
            % {
                "name": c.confirmed_by.get_full_name() or c.confirmed_by.get_username(),
                "at": timezone.localtime(c.confirmed_at).strftime("%Y-%m-%d %H:%M"),
            }
            if c
            else gettext("未确认")
        )
        rows.append([str(Side(side).label), who, "", "", "", ""])
    name = gettext("%(p)s %(y)s年度东西部协作指标确认表") % {"p": found.name, "y": year}
    return exports.table_response(fmt, name, headers, rows)


def _cell(value):
    """A figure for a file cell: a duration as days, money exact."""
    if hasattr(value, "total_seconds"):
        return round(value.total_seconds() / 86400, 1)
    return exports.exact_money(value) if hasattr(value, "quantize") else value
