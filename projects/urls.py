from . import views

app_name = "projects"
urlpatterns = [
    *views.project_list.urls("projects/"),
    *views.investment_list.urls("investments/"),
    *views.sale_list.urls("consumption/"),
    *views.donation_list.urls("donations/"),
]
