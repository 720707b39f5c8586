"""Public lists of projects, investments, consumption sales and donations (built out by the dashboard issue)."""

from django.shortcuts import render

from .models import ConsumptionSale, Donation, Investment, Project


def _simple_list(request, queryset, title):
    return render(request, "cooperation/simple_list.html", {"rows": queryset[:50], "title": title})


def project_list(request):
    return _simple_list(request, Project.objects.all(), Project._meta.verbose_name_plural)


def investment_list(request):
    return _simple_list(request, Investment.objects.all(), Investment._meta.verbose_name_plural)


def sale_list(request):
    return _simple_list(
        request, ConsumptionSale.objects.all(), ConsumptionSale._meta.verbose_name_plural
    )


def donation_list(request):
    return _simple_list(request, Donation.objects.all(), Donation._meta.verbose_name_plural)
