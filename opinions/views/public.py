from django.shortcuts import render

from civiccenter import sections


def index(request):
    return render(request, "opinions/index.html", {"section": sections.get("opinions")})
