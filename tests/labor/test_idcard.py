"""Resident ID numbers: shape, MOD 11-2 check character, birth date, normalisation."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from labor import idcard
from tests.labor.conftest import ID_NUMBER
from tests.places import HANBIN

# GB 11643-1999's own example (a woman born 31 Dec 1949 in 北京市朝阳区): weighted sum 167,
# 167 mod 11 = 2 → check character "X".
STANDARD_EXAMPLE = "11010519491231002X"
TODAY = datetime.date(2026, 11, 29)


def codes_of(value):
    try:
        idcard.validate(value, today=TODAY)
    except ValidationError as exc:
        return [e.code for e in exc.error_list]
    return []


def test_it_accepts_the_standard_example():
    assert idcard.validate(STANDARD_EXAMPLE, today=TODAY) == STANDARD_EXAMPLE


def test_it_accepts_a_lower_case_x_and_returns_upper_case():
    assert idcard.validate("11010519491231002x", today=TODAY) == STANDARD_EXAMPLE


def test_it_accepts_full_width_digits_and_spaces():
    full_width = " ６１０９０２ １９７５０４０５ １２３Ｘ　"
    assert idcard.validate(full_width, today=TODAY) == ID_NUMBER


def test_it_rejects_a_wrong_check_character():
    assert codes_of("110105194912310021") == ["id_check"]


def test_it_rejects_17_digits_and_says_how_many():
    with pytest.raises(ValidationError) as exc:
        idcard.validate("11010519491231002", today=TODAY)
    assert exc.value.messages == ["身份证号码应为18位，现为17位。"]


def test_it_rejects_30_february():
    first17 = "61090219990230123"  # 1999-02-30 does not exist
    number = first17 + idcard.check_char(first17)  # a correct check character
    with pytest.raises(ValidationError) as exc:
        idcard.validate(number, today=TODAY)
    assert exc.value.messages == ["身份证号码中的出生日期 19990230 不是有效日期。"]


def test_it_rejects_a_birth_date_in_the_future():
    number = idcard.make(HANBIN, TODAY + datetime.timedelta(days=1), 123)
    assert codes_of(number) == ["id_birth"]


def test_it_accepts_birth_today():
    assert codes_of(idcard.make(HANBIN, TODAY, 123)) == []


def test_it_rejects_letters_inside():
    assert codes_of("6109021975A405123X") == ["id_shape"]


def test_it_accepts_a_county_code_newer_than_the_birth_year():
    # 330383 龙港市 exists only since 2019; people born in 1980 hold numbers with it.
    assert codes_of("330383198005170210") == []


def test_gender_and_birth_date_come_from_the_number():
    assert idcard.gender_of(ID_NUMBER) == "M"  # sequence 123: odd
    assert idcard.gender_of(STANDARD_EXAMPLE) == "F"  # sequence 002: even
    assert idcard.birth_date_of(ID_NUMBER) == datetime.date(1975, 4, 5)


def test_mask_keeps_only_the_area_code():
    """Nothing of the birth date, sequence, gender digit or check digit shows."""
    assert idcard.mask(ID_NUMBER) == "610902************"
    assert idcard.mask(STANDARD_EXAMPLE) == STANDARD_EXAMPLE[:6] + "*" * 12
    assert idcard.mask("") == ""
