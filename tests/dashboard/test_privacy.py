"""No personal data for anyone without `labor.view_personal_data`: staff lists and their
exports refuse them, and no public page or export carries a worker's name, ID or phone."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cooperation.dashboard import charts
from cooperation.models import ExportAudit
from tests.conftest import PUBLIC_LISTS, YEAR
from tests.dashboard.conftest import ID_NUMBERS, WORKER_NAMES
from tests.dashboard.helpers import body, streamed

pytestmark = pytest.mark.django_db

STAFF_URLS = [
    reverse("labor:workers"),
    reverse("labor:employments"),
    reverse("labor:workers_export", args=["csv"]),
    reverse("labor:workers_export", args=["xlsx"]),
    reverse("labor:employments_export", args=["csv"]),
    reverse("labor:employments_export", args=["xlsx"]),
]
PHONES = [f"1380000000{n}" for n in range(4)]


def public_urls(data):
    query = f"?partnership={data.pk}&year={YEAR}"
    urls = [reverse("cooperation:dashboard") + query, reverse("cooperation:summary") + query]
    urls += [reverse("cooperation:summary_export", args=[f]) + query for f in ("csv", "xlsx")]
    for chart in charts.registry:
        urls.append(reverse("cooperation:chart_svg", args=[chart.key]) + query)
        urls.append(reverse("cooperation:chart_export", args=[chart.key, "csv"]) + query)
    for name in PUBLIC_LISTS:
        urls += [reverse(name), reverse(name) + query]
        urls += [reverse(f"{name}_export", args=[f]) for f in ("csv", "xlsx")]
    return urls


@pytest.mark.parametrize("url", STAFF_URLS)
def test_anonymous_visitors_are_sent_to_the_login_page(client, data, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not ExportAudit.objects.exists()


@pytest.mark.parametrize("url", STAFF_URLS)
def test_staff_without_the_permission_get_403(client, data, official, url):
    client.force_login(official)
    response = client.get(url)
    assert response.status_code == 403
    assert not any(name.encode() in response.content for name in WORKER_NAMES)


@pytest.mark.parametrize("url", STAFF_URLS[:2])
def test_staff_with_the_permission_see_masked_id_numbers(client, data, clerk, url):
    client.force_login(clerk)  # 录入员 hold labor.view_personal_data
    html = client.get(url).content.decode()
    assert WORKER_NAMES[0] in html
    assert ID_NUMBERS[0] not in html and ID_NUMBERS[0][:6] + "*" * 12 in html
    assert PHONES[0] not in html


def test_full_id_numbers_need_the_permission_too(client, data, official):
    client.force_login(official)
    url = reverse("labor:workers_export", args=["csv"])
    assert client.get(url, {"full": 1}).status_code == 403
    official.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    official = type(official).objects.get(pk=official.pk)  # fresh permission cache
    client.force_login(official)
    assert ID_NUMBERS[0].encode() in streamed(client.get(url, {"full": 1}))


def test_no_public_page_or_export_carries_personal_data(client, data):
    for url in public_urls(data):
        response = client.get(url)
        assert response.status_code == 200, url
        content = body(response).decode("utf-8", "replace") if not url.endswith("xlsx") else ""
        for secret in WORKER_NAMES + ID_NUMBERS + PHONES:
            assert secret not in content, (url, secret)


def test_phones_are_masked_in_the_staff_list_of_workers(client, data, clerk):
    client.force_login(clerk)
    html = client.get(reverse("labor:workers")).content.decode()
    assert PHONES[0] not in html and "138****0000" in html


def test_the_navigation_shows_staff_lists_only_to_staff_with_the_permission(client, data, clerk):
    nav_link = f'href="{reverse("labor:workers")}" class="staff"'
    assert nav_link not in client.get(reverse("cooperation:dashboard")).content.decode()
    client.force_login(clerk)
    assert nav_link in client.get(reverse("cooperation:dashboard")).content.decode()


def test_cards_whose_list_is_for_staff_say_so_to_visitors(client, data):
    html = client.get(reverse("cooperation:dashboard")).content.decode()
    assert "明细需登录并具有查看个人信息权限" in html


def test_the_export_audit_is_read_only_and_hidden_from_staff_without_the_permission(
    client, data, clerk, official
):
    client.force_login(clerk)
    read = client.get(reverse("labor:workers_export", args=["csv"]), {"q": "韩一"})
    streamed(read)
    audit = ExportAudit.objects.get()
    change_url = reverse("admin:cooperation_exportaudit_change", args=[audit.pk])
    assert client.get(reverse("admin:cooperation_exportaudit_changelist")).status_code == 200
    assert client.post(change_url, {"rows": 0}).status_code == 403
    assert client.get(reverse("admin:cooperation_exportaudit_add")).status_code == 403
    client.force_login(official)  # 领导: no personal data, and the query string holds a name
    assert client.get(reverse("admin:cooperation_exportaudit_changelist")).status_code == 403
