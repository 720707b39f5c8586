"""Template filters for figures: money in 万元 (亿元 where apt; millions and billions of
yuan in English), counts, percentages, and query strings that keep the current filters."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from cooperation import formatting

register = template.Library()

WAN = _("万元")
YI_FROM = 10000  # 1 亿元 = 10,000 万元
BILLION_FROM = Decimal("999.5")  # millions of yuan that round to 1,000 million


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
    """'4.60 亿元' for an amount in 万元 of at least one 亿元, else ''. English has no word
    for 亿 (10⁸): there the same amounts read '460 million yuan', '1.127 billion yuan'."""
    if value is None or str(indicator.unit) != str(WAN) or value < YI_FROM:
        return ""
    if (get_language() or "").startswith("zh"):
        return gettext("%(v)s 亿元") % {"v": formatting.yi(value)}
    return in_millions_or_billions(value)


def in_millions_or_billions(value):
    """An amount in 万元 in millions of yuan, or in billions from a billion on, to the same
    million yuan as 亿元 with two decimals: 46000 → '460 million yuan', 112700 → '1.127
    billion yuan'."""
    millions = Decimal(str(value)) / 100
    if millions < BILLION_FROM:
        return gettext("%(v)s 百万元") % {"v": formatting.grouped(millions, 0)}
    return gettext("%(v)s 十亿元") % {"v": formatting.grouped(millions / 1000, 3)}


@register.filter
def pct(value):
    return "—" if value is None else f"{formatting.grouped(value, 1)}%"


@register.filter
def completion(percent, choice):
    """How a figure stands against its target: "met" (100 % or more), "on-track" (at least
    the share of the year its records cover, less a tenth of the year) or "behind"; None
    without a target. Shown as a colour and a word, never by colour alone."""
    if percent is None:
        return None
    if percent >= 100:
        return "met"
    as_of = getattr(choice, "as_of", None)
    if getattr(choice, "part_year", False) and as_of is not None:
        expected = Decimal(as_of.timetuple().tm_yday) / Decimal(365) * 100
    else:
        expected = Decimal(100)
    return "on-track" if percent >= expected - 10 else "behind"


COMPLETION_WORDS = {
    "met": _("已完成"),
    "on-track": _("进度正常"),
    "behind": _("落后于进度"),
}


@register.filter
def completion_word(state):
    return COMPLETION_WORDS.get(state, "")


@register.filter
def meter_value(percent):
    """The percent for a <meter> from 0 to 100 (a figure past its target fills it)."""
    return "0" if percent is None else str(max(Decimal(0), min(Decimal(100), Decimal(percent))))


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (None or '' removes one)."""
    data = context["request"].GET.copy()
    for key, value in changes.items():
        data.pop(key, None)
        if value not in (None, ""):
            data[key] = value
    return data.urlencode()
