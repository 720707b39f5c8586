"""Town filters are offered as a drop-down of the western county's towns, not a code to type."""

import pytest
from django.urls import reverse

from projects.models import Project
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["projects:projects", "labor:factories", "labor:job_fairs"])
def test_town_filter_lists_the_towns_of_the_western_county(client, partnership, name):
    html = client.get(reverse(name), {"partnership": partnership.pk}).content.decode()
    assert '<select name="town" id="id_town">' in html
    # 汉滨区 has 28 towns; 大河镇 is one of them, 武进区's 湖塘镇 is not.
    assert '<option value="610902115">大河镇</option>' in html
    assert "湖塘镇" not in html


def test_choosing_a_town_filters_the_list(client, partnership):
    ProjectFactory(partnership=partnership, name="大河镇项目", town_id="610902115")
    ProjectFactory(partnership=partnership, name="石梯镇项目", town_id="610902124")
    response = client.get(
        reverse("projects:projects"), {"partnership": partnership.pk, "town": "610902115"}
    )
    html = response.content.decode()
    assert "大河镇项目" in html and "石梯镇项目" not in html
    assert Project.objects.count() == 2


def test_village_names_show_in_their_everyday_form(client, partnership):
    ProjectFactory(
        partnership=partnership,
        name="小河村黑猪养殖",
        town_id="610902115",
        village_id="610902115208",
    )
    html = client.get(
        reverse("projects:projects"), {"partnership": partnership.pk}
    ).content.decode()
    assert "大河镇小河村" in html
    assert "小河村委会" not in html
