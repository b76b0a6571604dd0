from django.shortcuts import render

from civiccenter import sections


def index(request):
    return render(request, "consultation/index.html", {"section": sections.get("consultation")})
