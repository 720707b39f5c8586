"""Lists of the labour app: public (fairs, courses, factories) and staff-only (workers,
employments). Built out by the dashboard issue."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from .models import CommunityFactory, Employment, JobFair, TrainingCourse, Worker


def _simple_list(request, queryset, title):
    return render(request, "cooperation/simple_list.html", {"rows": queryset[:50], "title": title})


@permission_required("labor.view_personal_data", raise_exception=True)
def worker_list(request):
    return _simple_list(request, Worker.objects.all(), Worker._meta.verbose_name_plural)


@permission_required("labor.view_personal_data", raise_exception=True)
def employment_list(request):
    return _simple_list(request, Employment.objects.all(), Employment._meta.verbose_name_plural)


def job_fair_list(request):
    return _simple_list(request, JobFair.objects.all(), JobFair._meta.verbose_name_plural)


def course_list(request):
    return _simple_list(
        request, TrainingCourse.objects.all(), TrainingCourse._meta.verbose_name_plural
    )


def factory_list(request):
    return _simple_list(
        request, CommunityFactory.objects.all(), CommunityFactory._meta.verbose_name_plural
    )
