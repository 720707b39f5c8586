"""Resident identity card numbers (居民身份证号码, GB 11643-1999).

18 characters: 6-digit area code, 8-digit birth date, 3-digit sequence (odd for men,
even for women), and an ISO 7064 MOD 11-2 check character (0–9 or X).

The area code is not checked against the code list on purpose: real numbers keep the
county code of the day they were issued, which may be older or newer than the birth year.
"""

import datetime
import re
from operator import mul

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SHAPE = re.compile(r"^\d{17}[\dX]$")


def check_char(first17):
    return CHECK_CHARS[sum(map(mul, map(int, first17), WEIGHTS)) % 11]


def normalise_digits(value):
    """Full-width digits (from Chinese input methods) to ASCII digits."""
    return str(value).translate(_FULL_WIDTH_DIGITS)


def normalise(value):
    """Full-width digits to ASCII, a lower-case x to X, spaces removed."""
    if value is None:
        return ""
    return re.sub(r"\s+", "", str(value).translate(_FULL_WIDTH)).upper()


def looks_like_id_number(value):
    """True when a (normalised) search term has the shape of an ID number."""
    return bool(_SHAPE.match(normalise(value)))


def birth_date_of(number):
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_of(number):
    return "M" if int(number[16]) % 2 == 1 else "F"


def validate(value, today=None):
    """Return the normalised number, or raise ValidationError with a message a clerk understands."""
    number = normalise(value)
    if len(number) != 18:
        raise ValidationError(
            _("身份证号码应为18位，现为%(n)d位。") % {"n": len(number)}, code="id_length"
        )
    if not _SHAPE.match(number):
        raise ValidationError(_("身份证号码前17位应为数字，末位为数字或X。"), code="id_shape")
    try:
        born = birth_date_of(number)
    except ValueError:
        raise ValidationError(
            _("身份证号码中的出生日期 %(d)s 不是有效日期。") % {"d": number[6:14]}, code="id_birth"
        ) from None
    today = today or timezone.localdate()
    if born > today or born.year < 1900:
        raise ValidationError(
            _("身份证号码中的出生日期 %(d)s 不合理。") % {"d": born.isoformat()}, code="id_birth"
        )
    if check_char(number[:17]) != number[17]:
        raise ValidationError(_("身份证号码校验位错误，请核对。"), code="id_check")
    return number


def mask(number):
    """610902************: only the area code stays. The birth date, sequence (whose last
    digit is the gender) and check digit are hidden: with the check digit shown, a masked
    number plus a guessed birth date narrows the rest to a few candidates."""
    if not number:
        return ""
    return number[:6] + "*" * max(len(number) - 6, 0)


def make(area, born, sequence):
    """Build a valid number (for demo data and tests): area '610902', date, 3-digit sequence."""
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
