from . import views

app_name = "projects"
urlpatterns = [
    *views.project_list.urls("projects/"),
    *views.investment_list.urls("investments/"),
    *views.sale_list.urls("consumption/"),
    *views.donation_list.urls("donations/"),
    *views.park_list.urls("parks/"),
    *views.park_year_list.urls("parks/jobs/"),
    *views.village_list.urls("demonstration-villages/"),
]
