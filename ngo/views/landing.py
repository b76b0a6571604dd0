from django.shortcuts import render

from civiccenter import sections


def index(request):
    return render(request, "ngo/index.html", {"section": sections.get("ngo-services")})
