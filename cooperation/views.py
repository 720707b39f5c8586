"""Dashboard and public lists of the core records (the dashboard issue builds these out)."""

from django.shortcuts import render

from .models import Pairing, Posting, Visit


def dashboard(request):
    return render(request, "cooperation/dashboard.html", {})


def _simple_list(request, queryset, title):
    return render(request, "cooperation/simple_list.html", {"rows": queryset[:50], "title": title})


def pairing_list(request):
    return _simple_list(request, Pairing.objects.all(), Pairing._meta.verbose_name_plural)


def posting_list(request):
    return _simple_list(request, Posting.objects.all(), Posting._meta.verbose_name_plural)


def visit_list(request):
    return _simple_list(request, Visit.objects.all(), Visit._meta.verbose_name_plural)
