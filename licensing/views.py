from django.shortcuts import render

from civiccenter import sections


def index(request):
    return render(request, "licensing/index.html", {"section": sections.get("licensing")})
