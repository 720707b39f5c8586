from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("projects/", views.project_list, name="projects"),
    path("investments/", views.investment_list, name="investments"),
    path("consumption/", views.sale_list, name="sales"),
    path("donations/", views.donation_list, name="donations"),
]
