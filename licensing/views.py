from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from civiccenter import sections
from licensing.filters import MatterFilter
from licensing.models import LifeEvent, Matter


def index(request):
    """The catalogue of licensing matters: browse, filter and search (Art. 30)."""
    matters = Matter.objects.published().for_list()
    # An invalid filter value is shown as an error and ignored; the others still apply.
    catalogue = MatterFilter(request.GET, queryset=matters)
    page_obj = Paginator(catalogue.qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "licensing/index.html",
        {
            "section": sections.get("licensing"),
            "filter": catalogue,
            "page_obj": page_obj,
            "matters": page_obj.object_list,
            "life_events": LifeEvent.objects.all(),
        },
    )


def _published(code):
    return get_object_or_404(
        Matter.objects.published()
        .select_related("department", "current_version")
        .prefetch_related("life_events", "current_version__materials"),
        code=code,
    )


def matter_detail(request, code):
    """The service guide of one matter, as it is in force today."""
    matter = _published(code)
    return render(request, "licensing/matter_detail.html", {"matter": matter, "version": matter.current_version})


def matter_print(request, code):
    matter = _published(code)
    return render(request, "licensing/matter_print.html", {"matter": matter, "version": matter.current_version})
