from . import views

app_name = "labor"
urlpatterns = [
    *views.worker_list.urls("labor/workers/"),
    *views.employment_list.urls("labor/employments/"),
    *views.job_fair_list.urls("job-fairs/"),
    *views.course_list.urls("training/"),
    *views.factory_list.urls("factories/"),
]
