from django.urls import path

from . import views

app_name = "labor"
urlpatterns = [
    path("labor/workers/", views.worker_list, name="workers"),
    path("labor/employments/", views.employment_list, name="employments"),
    path("job-fairs/", views.job_fair_list, name="job_fairs"),
    path("training/", views.course_list, name="courses"),
    path("factories/", views.factory_list, name="factories"),
]
