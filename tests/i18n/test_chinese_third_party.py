"""Simplified Chinese, the default language, also for the strings of third-party packages
whose own catalogues do not serve zh-hans (django-filter ships only zh_CN, django-axes no
Chinese at all; import-export, simple-history and Django 5.2's admin miss a few): the
project's catalogue translates them (see cooperation/third_party_msgids.py)."""

import django_filters
import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import translation
from django_filters.widgets import BooleanWidget
from import_export.widgets import DurationWidget

from projects.models import Project
from tests.projects.factories import ProjectFactory


def rendered_form(language):
    """A FilterSet with filters of each kind whose texts come from django-filter itself.

    It is defined inside the language: BooleanWidget and OrderingFilter turn their labels
    into text when the class is defined (the project's FilterSets: at import, in zh-hans)."""
    with translation.override(language):

        class ProjectDemoFilter(django_filters.FilterSet):
            cancelled = django_filters.BooleanFilter(
                field_name="status", lookup_expr="isnull", widget=BooleanWidget()
            )
            started = django_filters.DateRangeFilter(field_name="start_date")
            years = django_filters.BaseInFilter(field_name="fund_year")
            order = django_filters.OrderingFilter(
                fields=[("name", "name")], field_labels={"name": "名称"}
            )

            class Meta:
                model = Project
                fields = []

        return ProjectDemoFilter(queryset=Project.objects.none()).form.as_div()


def test_django_filter_texts_are_chinese_under_zh_hans():
    html = rendered_form("zh-hans")
    assert "排序" in html  # OrderingFilter's label, "Ordering"
    assert "名称（降序）" in html  # "%s (descending)"
    assert "多个值可以用逗号分隔。" in html  # the help text of an "in" filter
    for choice in ["今天", "昨天", "过去7天", "本月", "今年"]:  # DateRangeFilter
        assert choice in html, choice
    for choice in ["未知", "是", "否"]:  # BooleanWidget
        assert f">{choice}</option>" in html, choice
    for english in ["Ordering", "descending", "Multiple values", "Past 7 days", "Unknown"]:
        assert english not in html, english


def test_django_filter_texts_stay_english_under_english():
    html = rendered_form("en")
    for english in ["Ordering", "名称 (descending)", "Multiple values may be separated by commas."]:
        assert english in html, english
    assert "Past 7 days" in html and ">Unknown</option>" in html


def test_django_axes_models_are_named_in_chinese():
    with translation.override("zh-hans"):
        opts = AccessAttempt._meta
        assert str(opts.verbose_name_plural) == "登录尝试"
        assert str(opts.get_field("ip_address").verbose_name) == "IP 地址"
        assert str(opts.get_field("failures_since_start").verbose_name) == "登录失败次数"


@pytest.mark.django_db
def test_the_admin_lists_login_attempts_in_chinese(admin_client):
    AccessAttempt.objects.create(
        username="clerk", ip_address="10.0.0.7", user_agent="Firefox", failures_since_start=2
    )
    html = admin_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "登录尝试" in html and "IP 地址" in html
    assert "access attempts" not in html and "IP Address" not in html


@pytest.mark.django_db
def test_the_admin_index_has_no_english_table_headers(admin_client):
    # Django 5.2's zh_Hans catalogue lacks the (screen-reader) headers of the app list.
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "模型名称" in html and "修改或查看列表链接" in html
    assert "Model name" not in html and "Change or view list link" not in html


def test_an_import_export_error_is_chinese():
    with translation.override("zh-hans"), pytest.raises(ValueError, match="无法解析该值。"):
        DurationWidget().clean(3)  # a number where a duration was expected


@pytest.mark.django_db
def test_the_history_page_heads_its_changes_column_in_chinese(admin_client):
    project = ProjectFactory()
    url = reverse("admin:projects_project_history", args=[project.pk])
    html = admin_client.get(url).content.decode()
    assert '<th scope="col">变更</th>' in html
    assert '<th scope="col">Changes</th>' not in html
