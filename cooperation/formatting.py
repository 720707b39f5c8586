"""How numbers are shown. zh-hans has no thousand separator and groups by four, and
USE_THOUSAND_SEPARATOR would also print years as "2,021", so money goes through these."""

from decimal import ROUND_HALF_UP, Decimal


def _decimal(value):
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def grouped(value, places=2):
    """1234567.891 → '1,234,567.89' (places decimals, half up)."""
    d = _decimal(value)
    if d is None:
        return ""
    q = Decimal(1).scaleb(-places)
    return f"{d.quantize(q, rounding=ROUND_HALF_UP):,.{places}f}"


def wan(value, places=2):
    """An amount in 万元 as '9,965.11' (the unit goes in the header or after the number)."""
    return grouped(value, places)


def yi(value_in_wan, places=2):
    """万元 → 亿元: 46000 → '4.60'."""
    d = _decimal(value_in_wan)
    return "" if d is None else grouped(d / 10000, places)


def number(value, places=0):
    """A count or measure with thousands separators: 35000 → '35,000'."""
    return grouped(value, places)
