"""Query strings no page can use are refused with 400 and a plain message before any view
(cooperation/input_guard.py); ordinary ones pass."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_nul_character_is_refused(admin_client):
    response = admin_client.get(reverse("admin:cooperation_pairing_changelist"), {"q": "a\x00b"})
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


def test_a_nul_character_in_a_public_list_is_refused(client):
    response = client.get(reverse("projects:projects"), {"year": "2021\x00"})
    assert response.status_code == 400


@pytest.mark.parametrize("year", ["99999999999999999999", "9999", "1", "0", "-1", "²", "abc"])
def test_an_impossible_year_in_the_admins_date_hierarchy_is_refused(admin_client, year):
    url = reverse("admin:cooperation_visit_changelist")
    response = admin_client.get(url, {"date__year": year})
    assert response.status_code == 400
    assert "date__year" in response.content.decode()


def test_a_real_year_in_the_date_hierarchy_passes(admin_client):
    url = reverse("admin:cooperation_visit_changelist")
    response = admin_client.get(url, {"date__year": "2021", "date__month": "5"})
    assert response.status_code == 200


def test_a_search_of_more_than_twenty_words_is_refused(admin_client):
    url = reverse("admin:cooperation_organisation_changelist")
    assert admin_client.get(url, {"q": " ".join(["镇"] * 21)}).status_code == 400
    assert admin_client.get(url, {"q": " ".join(["镇"] * 20)}).status_code == 200
