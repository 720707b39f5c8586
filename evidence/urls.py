from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("evidence/<int:pk>/download", views.download, name="download"),
    path("evidence/missing/", views.missing, name="missing"),
]
