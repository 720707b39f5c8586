"""The dashboard's indicator cards and chart tables as HTML, written in Python.

45 cards and four tables of up to 30 rows through the template engine cost a cold dashboard
some 30 ms of include, for-loop and filter nodes; these functions write the same HTML (the
markup of `cooperation/_figure_card.html` and `includes/table.html`, which remain the
reference and are used where speed does not matter) with every value escaped. Tests compare
both, byte for byte (tests/dashboard/test_cards.py)."""

import html

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .templatetags.coop import bar_class, figure, in_yi, pct

NUM = ' class="num"'


def card_html(f):
    """One Figure (cooperation.views.Figure) as `_figure_card.html` renders it."""
    e = conditional_escape
    ind = f.indicator
    unit = e(ind.unit)
    shown = e(figure(f.actual, ind))
    if f.url:
        shown = f'<a href="{e(f.url)}" title="{e(gettext("查看明细"))}">{shown}</a>'
    note = (
        f'<p class="card-note">{e(gettext("明细需登录并具有查看个人信息权限"))}</p>'
        if f.restricted
        else ""
    )
    yi = in_yi(f.actual, ind)
    yi = f'<p class="card-yi">{e(yi)}</p>' if yi else ""
    target = ""
    if f.target is not None:
        target = (
            f'\n    <p class="card-target">{e(gettext("目标"))} {e(figure(f.target, ind))} {unit}'
            f" · {e(gettext('完成'))} <strong>{e(pct(f.percent))}</strong></p>\n"
            f'    <div class="bar" aria-hidden="true"><span class="bar-fill {e(bar_class(f.percent))}"></span></div>\n  '
        )
    return (
        f'<article class="card">\n  <h3 class="card-title">{e(ind.label)}</h3>\n'
        f'  <p class="card-figure">{shown} <span class="unit">{unit}</span></p>\n'
        f"  {note}\n  {yi}\n  {target}\n</article>\n"
    )


def cards_html(figures):
    return mark_safe("".join(card_html(f) for f in figures))


def table_html(table):
    """A chart's data table (cooperation.charts.Table) as `includes/table.html` renders it."""
    e = conditional_escape
    head = "".join(
        f'<th scope="col"{NUM if i else ""}>{e(h)}</th>' for i, h in enumerate(table.headers)
    )
    rows = [
        "<tr>"
        + "".join(f"<td{NUM if i else ''}>{_text(v)}</td>" for i, v in enumerate(row))
        + "</tr>\n  "
        for row in table.display_rows
    ]
    body = "".join(rows) or (
        f'<tr><td colspan="{len(table.headers)}" class="empty">{e(gettext("暂无数据"))}</td></tr>'
    )
    return mark_safe(
        f'<table class="data">\n  <thead><tr>{head}</tr></thead>\n  <tbody>{body}</tbody>\n</table>\n'
    )


def _options(items, chosen):
    """<option>s of (value, label) pairs, the chosen value marked (values as the template
    writes them: localized, escaped)."""
    out = []
    for value, label in items:
        mark = " selected" if value == chosen else ""
        out.append(f'<option value="{_text(value)}"{mark}>{_text(label)}</option>')
    return "".join(out)


def _text(value):
    """A value as the template engine writes it: localized, escaped (strings straight to
    html.escape, which is what django.utils.html.escape does)."""
    if value.__class__ is str:
        return html.escape(value)
    return conditional_escape(localize(value))


def choice_form_html(choice):
    """The partnership / year / town form of the dashboard and the summary, as
    `cooperation/_choice_form.html` renders it (300 partnerships, a thousand options with
    the towns: the template loop cost more than some of the page's queries)."""
    e = conditional_escape
    partnerships = _options(
        ((p.pk, p.name) for p in choice.partnerships), getattr(choice.partnership, "pk", None)
    )
    years = _options(((y, y) for y in choice.years), choice.year)
    towns = ""
    if choice.towns:
        chosen = choice.town.code if choice.town is not None else None
        options = _options(((t.code, t.name) for t in choice.towns), chosen)
        towns = (
            f'<label>{e(gettext("镇（街道）"))}\n    <select name="town"><option value="">'
            f"{e(gettext('全县（区）'))}</option>{options}</select>\n  </label>"
        )
    return mark_safe(
        f'<form method="get" class="choice no-print" action="">\n'
        f'  <label>{e(gettext("协作关系"))}\n    <select name="partnership">{partnerships}</select>\n  </label>\n'
        f'  <label>{e(gettext("年度"))}\n    <select name="year">{years}</select>\n  </label>\n'
        f"  {towns}\n"
        f'  <button type="submit">{e(gettext("查看"))}</button>\n</form>\n'
    )
