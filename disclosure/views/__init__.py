from django.shortcuts import render

from civiccenter import sections


def index(request):
    return render(request, "disclosure/index.html", {"section": sections.get("disclosure")})
