from django.urls import path

from . import views

app_name = "confirmation"
urlpatterns = [
    path("<int:partnership>/<int:year>/", views.year_page, name="year"),
    path("<int:partnership>/<int:year>/confirm", views.confirm, name="confirm"),
    path("<int:partnership>/<int:year>/reopen", views.reopen, name="reopen"),
    path(
        "<int:partnership>/<int:year>/confirmed.<exportformat:fmt>",
        views.export,
        name="export",
    ),
]
