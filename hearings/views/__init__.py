from django.shortcuts import render

from civiccenter import sections


def index(request):
    return render(request, "hearings/index.html", {"section": sections.get("hearings")})
