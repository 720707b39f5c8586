"""Cells → Python values, with messages a clerk understands."""

import datetime
import re
import unicodedata
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .files import is_blank, unneutralise


def normalise_text(value):
    """NFKC (full-width digits, letters and punctuation → ASCII), spaces trimmed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


# Characters a spreadsheet hides: zero-width ones (removed), and spaces that are not the
# plain one (no-break, thin …: made plain). The full-width space U+3000 is kept in text, but
# not inside a person's name (PersonNameWidget).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_ODD_SPACES = dict.fromkeys(
    map(
        ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
    ),
    " ",
)


def cell_text(value):
    """A cell as text, for text fields: numbers from XLSX without a trailing ".0", hidden
    characters removed and odd spaces made plain."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    text = str(value).translate(_INVISIBLE).translate(_ODD_SPACES)
    return unneutralise(text.strip())


_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
# Units a clerk may append, and their value in the field's unit (yuan or 万元).
_UNITS_IN_YUAN = {
    "亿元": Decimal(100_000_000),
    "万元": Decimal(10_000),
    "元": Decimal(1),
    "亿": Decimal(100_000_000),
    "万": Decimal(10_000),
}
# What ledgers write in a number's cell for "none": read as a blank cell.
_NOTHING_MARKS = {"—", "——", "-", "－", "–", "/", "／"}


def _no_number(value):
    return is_blank(value) or (isinstance(value, str) and value.strip() in _NOTHING_MARKS)


def parse_decimal(value, *, unit="万元", places=4, what=None):
    """'1,234.50', '1234.5万元', '１２３４．５', 1234.5 (an Excel number) → Decimal in `unit`.

    A cell may name its unit (亿元, 万元, 元); it is converted to the column's unit. More
    decimal places than the field keeps (4 for 万元: exact to the yuan) are refused rather
    than rounded away, except for binary floats from Excel which are rounded. A dash ("—")
    is a blank cell."""
    if _no_number(value):
        return None
    what = what or _("金额")
    if isinstance(value, bool):
        raise ValueError(gettext("'%(v)s' 不是有效的%(what)s") % {"v": value, "what": what})
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places))
    raw = str(value).strip()
    text = normalise_text(raw).replace("，", ",").replace(" ", "")
    factor = Decimal(1)
    for suffix, in_yuan in _UNITS_IN_YUAN.items():
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            factor = in_yuan / _UNITS_IN_YUAN[unit]
            break
    if _GROUPED_NUMBER.match(text):
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.match(text):
        raise ValueError(gettext("'%(v)s' 不是有效的%(what)s") % {"v": raw, "what": what})
    number = Decimal(text) * factor
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise ValueError(
            gettext("'%(v)s' 的小数位太多（最多%(places)d位）") % {"v": raw, "places": places}
        )
    return number.quantize(Decimal(1).scaleb(-places)) if factor != 1 else number


# An amount in 万元 from this on, typed without a unit, was probably typed in 元: an import
# preview asks about it (it is not refused: a large investment can be this big).
DOUBTFUL_WAN = 10_000


def doubt_about_wan(value, number):
    """A question about an amount read in 万元 (None when it looks right): a plain number of
    10,000 or more (1亿元) is most often an amount typed in 元."""
    if number is None or abs(number) < DOUBTFUL_WAN:
        return None
    if isinstance(value, str) and any(u in value for u in _UNITS_IN_YUAN):
        return None  # the cell names its unit
    return gettext(
        "%(v)s 万元即 %(yi)s 亿元，金额是否按“元”填写了？按元应为 %(wan)s 万元，请核对"
    ) % {
        "v": f"{number.normalize():f}",
        "yi": f"{(number / 10_000).normalize():f}",
        "wan": f"{(number / 10_000).normalize():f}",
    }


def parse_integer(value, *, what=None):
    if _no_number(value):
        return None
    what = what or _("整数")
    if isinstance(value, bool):
        raise ValueError(gettext("'%(v)s' 不是有效的%(what)s") % {"v": value, "what": what})
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if value == int(value):
            return int(value)
        raise ValueError(gettext("'%(v)s' 不是整数") % {"v": value})
    raw = str(value).strip()
    text = normalise_text(raw).replace(" ", "")
    text = re.sub(r"(人|个|家|次|名|人次|户)$", "", text)
    if _GROUPED_NUMBER.match(text):
        text = text.replace(",", "")
    if re.fullmatch(r"[+-]?\d+(\.0*)?", text):
        return int(Decimal(text))
    if _PLAIN_NUMBER.match(text):
        raise ValueError(gettext("'%(v)s' 不是整数") % {"v": raw})
    raise ValueError(gettext("'%(v)s' 不是有效的%(what)s") % {"v": raw, "what": what})


def parse_year(value):
    if is_blank(value):
        return None
    if isinstance(value, datetime.date):
        return value.year
    raw = str(value).strip()
    text = normalise_text(raw)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    match = re.fullmatch(r"(\d{4})\s*(年|年度)?", text)
    if not match or not 1949 <= int(match.group(1)) <= 2100:
        raise ValueError(gettext("'%(v)s' 不是有效的年份") % {"v": raw})
    return int(match.group(1))


_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(\s+0{1,2}:00(:00)?)?$"
)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(value):
    """'2021-04-05', '2021/4/5', '2021.4.5', '2021年4月5日', '20210405', an Excel date cell,
    or an Excel date serial number (44291) → date."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # An Excel serial number that lost its date format (1955–2119).
        if 20000 <= value < 80000 and float(value).is_integer():
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise ValueError(gettext("'%(v)s' 不是有效的日期") % {"v": value})
    raw = str(value).strip()
    text = normalise_text(raw)
    match = _DATE_RE.match(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if match:
        try:
            return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    raise ValueError(
        gettext("'%(v)s' 不是有效的日期（可写作 2021-04-05、2021/4/5 或 2021年4月5日）")
        % {"v": raw}
    )


_TRUE = {"是", "√", "✓", "✔", "y", "yes", "true", "1", "对", "已确认", "确认"}
_FALSE = {"否", "×", "x", "n", "no", "false", "0", "", "不是"}


def parse_bool(value):
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float):
        return bool(value)
    text = normalise_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(gettext("'%(v)s' 应填写“是”或“否”") % {"v": value})


def comparable(text):
    """The form in which names and labels are compared: NFKC, no spaces."""
    return re.sub(r"\s+", "", normalise_text(text))
