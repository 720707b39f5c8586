"""Cadre and professional training (干部人才培训): its rules with the messages staff see, its
import (a bad row named by line and column, nothing written; the admin's export imports back
unchanged), and its public list's filters, whose footer adds up the person-times."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cooperation.models import CadreTraining
from cooperation.resources import CadreTrainingResource
from tests.conftest import YEAR
from tests.cooperation.factories import CadreTrainingFactory
from tests.dashboard.helpers import footer
from tests.imports.conftest import (
    CSV_FORMAT,
    XLSX_FORMAT,
    admin_export,
    confirm_import,
    file_bytes,
    import_file,
    upload,
)
from tests.places import P_NAME as P

pytestmark = pytest.mark.django_db

day = datetime.date
HEAD = ["协作关系", "培训班名称", "开班日期", "结业日期", "培训对象", "培训人次", "举办地"]
GOOD = [P, "汉滨区乡镇干部培训班", "2021-04-12", "2021-04-18", "党政干部", "45", "东部"]
OTHER = [P, "汉滨区骨干教师培训班", "2021-09-01", "", "专业技术人才", "120", "西部"]


def test_end_before_start_is_refused(partnership):
    course = CadreTrainingFactory.build(
        partnership=partnership, start_date=day(2021, 5, 10), end_date=day(2021, 5, 9)
    )
    with pytest.raises(ValidationError) as exc:
        course.full_clean()
    assert exc.value.message_dict["end_date"] == ["结业日期不能早于开班日期。"]


def test_zero_trainees_is_refused(partnership):
    course = CadreTrainingFactory.build(partnership=partnership, trainees=0)
    with pytest.raises(ValidationError) as exc:
        course.full_clean()
    assert exc.value.message_dict["trainees"] == ["培训人次应至少为1。"]


def test_a_one_day_course_is_accepted(partnership):
    course = CadreTrainingFactory.build(
        partnership=partnership, start_date=day(2021, 5, 10), end_date=day(2021, 5, 10)
    )
    course.full_clean()  # no error


@pytest.mark.parametrize(
    "column,value,message",
    [
        (5, "0", "第3行“培训人次”"),
        (3, "2021-04-01", "第3行“结业日期”"),
        (6, "南部", "第3行“举办地”"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(partnership, column, value, message):
    bad = list(OTHER)
    bad[column] = value

    result = import_file(CadreTrainingResource, file_bytes([HEAD, GOOD, bad], "utf-8"))

    assert len(result.messages) == 1, result.messages
    assert result.messages[0].startswith(message), result.messages
    assert CadreTraining.objects.count() == 0


def test_the_import_reads_the_labels(partnership):
    result = import_file(CadreTrainingResource, file_bytes([HEAD, GOOD, OTHER], "utf-8"))

    assert result.ok, result.messages
    cadres = CadreTraining.objects.get(title="汉滨区乡镇干部培训班")
    assert (cadres.audience, cadres.held_in, cadres.trainees) == ("cadres", "east", 45)
    assert cadres.end_date == day(2021, 4, 18)
    teachers = CadreTraining.objects.get(title="汉滨区骨干教师培训班")
    assert (teachers.audience, teachers.held_in, teachers.end_date) == (
        "professionals",
        "west",
        None,
    )


def test_admin_export_imports_back_unchanged(client, clerk, partnership):
    client.force_login(clerk)
    url = reverse("admin:cooperation_cadretraining_import")
    confirm_import(client, "cooperation_cadretraining", upload(client, url, file_bytes([HEAD, GOOD, OTHER], "utf-8"), "c.csv"))  # fmt: skip
    assert CadreTraining.objects.count() == 2

    for fmt, name in ((CSV_FORMAT, "e.csv"), (XLSX_FORMAT, "e.xlsx")):
        _f, content = admin_export(client, "cooperation_cadretraining", fmt)
        preview = upload(client, url, content, name, fmt)
        assert "新增 0 行，修改 0 行，无变化 2 行" in preview.content.decode()


def test_the_list_filters_by_audience_and_place_and_adds_up_the_person_times(
    client, partnership, other_partnership
):
    make = CadreTrainingFactory
    make(partnership=partnership, start_date=day(2021, 3, 1), audience="cadres", trainees=30, held_in="east")  # fmt: skip
    make(partnership=partnership, start_date=day(2021, 9, 1), audience="cadres", trainees=12, held_in="west")  # fmt: skip
    make(partnership=partnership, start_date=day(2021, 6, 1), audience="professionals", trainees=40, held_in="west")  # fmt: skip
    make(partnership=partnership, start_date=day(2020, 6, 1), audience="cadres", trainees=7, held_in="east")  # fmt: skip
    make(partnership=other_partnership, start_date=day(2021, 6, 1), audience="cadres", trainees=500, held_in="east")  # fmt: skip
    url = reverse("cooperation:cadre_trainings")
    base = {"partnership": partnership.pk, "year": YEAR}

    def total(**params):
        response = client.get(url, {**base, **params})
        assert response.status_code == 200
        return footer(response)["rows"], footer(response)["trainees"]

    assert total() == (3, 82)  # 30 + 12 + 40; 2020's 7 and the other partnership's 500 out
    assert total(audience="cadres") == (2, 42)  # 30 + 12
    assert total(audience="cadres", held_in="west") == (1, 12)
    assert total(held_in="west") == (2, 52)  # 12 + 40
    assert total(month=3) == (1, 30)


def test_a_bad_filter_value_is_the_filters_message_not_a_500(client):
    response = client.get(reverse("cooperation:cadre_trainings"), {"held_in": "south"})
    assert response.status_code == 400
    assert "举办地" in response.content.decode()
