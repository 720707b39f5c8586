"""Template filters for figures: money in 万元 (亿元 where apt), counts, percentages, and
query strings that keep the current filters."""

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperation import formatting

register = template.Library()

WAN = _("万元")
YI_FROM = 10000  # 1 亿元 = 10,000 万元


@register.filter
def wan(value, places=2):
    return formatting.wan(value, places)


@register.filter
def yi(value, places=2):
    return formatting.yi(value, places)


@register.filter
def number(value, places=0):
    return formatting.number(value, places)


@register.filter
def figure(value, indicator):
    """An indicator's figure with its own decimals: 9965.1134 万元 → '9,965.11'."""
    if value is None:
        return "—"
    places = indicator.decimals
    if str(indicator.unit) == str(WAN):
        places = places or 2
    return formatting.grouped(value, places)


@register.filter
def in_yi(value, indicator):
    """'4.60 亿元' for an amount in 万元 of at least one 亿元, else ''."""
    if value is None or str(indicator.unit) != str(WAN) or value < YI_FROM:
        return ""
    return gettext("%(v)s 亿元") % {"v": formatting.yi(value)}


@register.filter
def pct(value):
    return "—" if value is None else f"{formatting.grouped(value, 1)}%"


@register.filter
def bar_class(value):
    """A CSS class for a progress bar of percent reached, in steps of 10 (no inline style)."""
    if value is None:
        return "p-none"
    step = max(0, min(100, int(value) // 10 * 10))
    return f"p-{step}"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (None or '' removes one)."""
    data = context["request"].GET.copy()
    for key, value in changes.items():
        data.pop(key, None)
        if value not in (None, ""):
            data[key] = value
    return data.urlencode()
