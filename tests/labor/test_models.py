"""Worker and employment records: derived fields and validation messages."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from labor.models import Worker
from tests.labor.conftest import ID_NUMBER
from tests.labor.factories import EmploymentFactory, WorkerFactory
from tests.places import DAHE

pytestmark = pytest.mark.django_db


def new_worker(partnership, **fields):
    values = {
        "partnership": partnership,
        "name": "韩廷勤",
        "id_number": ID_NUMBER,
        "household": Worker.Household.POVERTY_EXITED,
        "home_town_id": DAHE,
    }
    values.update(fields)
    return Worker(**values)


def test_gender_and_birth_date_are_derived_on_save(partnership):
    worker = new_worker(partnership, id_number=ID_NUMBER.lower())
    worker.full_clean()
    worker.save()
    worker.refresh_from_db()
    assert (worker.id_number, worker.gender, worker.birth_date) == (
        ID_NUMBER,
        "M",
        datetime.date(1975, 4, 5),
    )


def test_full_width_id_number_is_stored_normalised(partnership):
    worker = new_worker(partnership, id_number="６１０９０２１９７５０４０５１２３ｘ")
    worker.full_clean()
    assert worker.id_number == ID_NUMBER


def test_second_worker_with_same_number_is_rejected_without_echoing_it(partnership):
    WorkerFactory(partnership=partnership, id_number=ID_NUMBER)
    duplicate = new_worker(partnership, name="另一人", id_number=ID_NUMBER.lower())
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert exc.value.message_dict["id_number"] == ["该身份证号码已登记。"]
    assert ID_NUMBER not in str(exc.value)


def test_bad_check_digit_is_reported_on_the_field(partnership):
    worker = new_worker(partnership, id_number="610902197504051231")
    with pytest.raises(ValidationError) as exc:
        worker.full_clean()
    assert exc.value.message_dict["id_number"] == ["身份证号码校验位错误，请核对。"]


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "138123456789", "23812345678"])
def test_bad_mobile_numbers_are_rejected(partnership, phone):
    with pytest.raises(ValidationError) as exc:
        new_worker(partnership, phone=phone).full_clean()
    assert "手机号码应为以13–19开头的11位数字。" in exc.value.message_dict["phone"]


def test_mobile_number_with_spaces_and_full_width_digits_is_normalised(partnership):
    worker = new_worker(partnership, phone="１３８ 1234-5678")
    worker.full_clean()
    assert worker.phone == "13812345678"


def test_home_town_outside_the_western_county_is_rejected(partnership):
    worker = new_worker(partnership, home_town_id="320412001")  # a town of 武进区
    with pytest.raises(ValidationError) as exc:
        worker.full_clean()
    assert exc.value.message_dict["home_town"] == ["户籍镇不在汉滨区境内。"]


def test_str_never_shows_the_name(partnership):
    worker = WorkerFactory(partnership=partnership, name="韩廷勤")
    assert str(worker) == f"务工人员 #{worker.pk}"


@pytest.mark.parametrize(
    ("destination", "in_east"),
    [
        ("320412", True),  # 武进区, the partner county itself
        ("320102", True),  # 南京市玄武区: same eastern province (32)
        ("440305", False),  # 深圳市南山区: another eastern province, not the partner's
        ("610902", False),  # at home
        (None, False),  # destination not in the code list
    ],
)
def test_in_east_means_the_partnerships_eastern_province(partnership, destination, in_east):
    worker = WorkerFactory(partnership=partnership)
    spell = EmploymentFactory(worker=worker, destination_id=destination)
    assert spell.in_east is in_east


def test_employment_starting_in_the_future_is_rejected(partnership):
    spell = EmploymentFactory.build(
        worker=WorkerFactory(partnership=partnership),
        start_date=datetime.date.today() + datetime.timedelta(days=2),
    )
    with pytest.raises(ValidationError) as exc:
        spell.full_clean()
    assert "start_date" in exc.value.message_dict
