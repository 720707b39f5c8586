"""labor/privacy.py: the helpers other pages and exports use."""

import pytest

from labor.models import Employment, Worker
from labor.privacy import can_view_personal_data, display_value, exportable_fields
from tests.labor.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def test_roles_and_the_permission(official, clerk, reviewer):
    assert [can_view_personal_data(u) for u in (official, clerk, reviewer)] == [False, True, True]


def test_inactive_user_sees_nothing(reviewer):
    reviewer.is_active = False
    assert can_view_personal_data(reviewer) is False


def test_display_value_masks_for_a_user_without_the_permission(official, reviewer, partnership):
    worker = WorkerFactory(
        partnership=partnership, name="王开菊", id_number="11010519491231002X", phone="13912345678"
    )
    shown = {f: display_value(official, worker, f) for f in ("name", "id_number", "phone")}
    assert shown == {"name": "王**", "id_number": "110105************", "phone": "139****5678"}
    assert display_value(official, worker, "birth_date") == ""  # no masked form: not shown
    assert display_value(official, worker, "household") == worker.household  # not personal
    assert display_value(reviewer, worker, "name") == "王开菊"


def test_exports_leave_personal_columns_out(official, reviewer):
    columns = ["id", "name", "id_number", "gender", "birth_date", "phone", "household", "note"]
    assert exportable_fields(official, Worker, columns) == ["id", "gender", "household"]
    assert exportable_fields(reviewer, Worker, columns) == columns
    assert exportable_fields(official, Employment, ["employer"]) == ["employer"]
