"""Root URLs: the dashboard and core lists here, each app's lists from its own urls.py."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from cooperation import background_views
from cooperation.dashboard import views
from cooperation.dashboard.scopes import partnership_ids_of

from .freshness import never_stale_page


def healthz(request):
    """For load balancers and the benchmark's baseline: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


app_urls = (
    [
        # Cached under the data version of the partnerships they show, so never stale
        # (cooperation/freshness.py).
        path(
            "",
            never_stale_page("dashboard", scope=partnership_ids_of)(views.dashboard),
            name="dashboard",
        ),
        path("summary/", views.summary, name="summary"),
        path("summary/export.<exportformat:fmt>", views.summary_export, name="summary_export"),
        path(
            "comparison/export.<exportformat:fmt>",
            views.comparison_export,
            name="comparison_export",
        ),
        path("scopes/", views.choose_scope, name="choose_scope"),
        path("jobs/", background_views.job_list, name="jobs"),
        path("imports/<uuid:pk>/", background_views.job_page, name="import_job"),
        path("imports/<uuid:pk>/errors.csv", background_views.job_errors, name="import_job_errors"),
        path("exports/<uuid:pk>/", background_views.export_page, name="export_job"),
        path("exports/<uuid:pk>/file", background_views.export_file, name="export_job_file"),
        path("indicators/", views.indicator_notes, name="indicator_notes"),
        path(
            "charts/<slug:key>.svg",
            never_stale_page("chart", scope=partnership_ids_of)(views.chart_svg),
            name="chart_svg",
        ),
        path("charts/<slug:key>.<exportformat:fmt>", views.chart_export, name="chart_export"),
        *views.pairing_list.urls("pairings/"),
        *views.posting_list.urls("postings/"),
        *views.visit_list.urls("visits/"),
        *views.cadre_training_list.urls("cadre-trainings/"),
    ],
    "cooperation",
)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers and crawlers ask for /favicon.ico whatever a page links.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico"))),
    path("", include(app_urls)),
    path("", include("projects.urls")),
    path("", include("labor.urls")),
    path("", include("evidence.urls")),  # 佐证材料: downloads, records without evidence
    path("", include("cooperation.deletions_urls")),  # 已删除记录, for reviewers
    path("years/", include("confirmation.urls")),  # 年度确认
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
]

# 400, 403 and 404 use Django's handlers with the site's templates (templates/40x.html);
# a server error renders its page without the database or the request.
handler500 = "cooperation.errors.server_error"
