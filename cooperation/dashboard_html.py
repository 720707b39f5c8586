"""The dashboard's and the summary's choice form as HTML, written in Python.

300 partnerships and their towns make a thousand options: through the template engine the
loop cost a cold dashboard more than some of its queries. `choice_form_html` writes the
markup of `cooperation/_choice_form.html` (which remains the reference) with every value
escaped; tests compare both, byte for byte (tests/dashboard/test_dashboard_html.py). The
cards and chart tables, which once were written here too, are templates again
(`cooperation/_figure_card.html`, `cooperation/_chart_table.html`)."""

import html

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext


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
