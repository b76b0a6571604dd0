from django.shortcuts import render

from civiccenter import sections
from civiccenter.lib import clock
from hearings.models.drafts import open_drafts, past_drafts


def _hearings_part(name, limit=10):
    """The hearings part's querysets for this page, through the functions it exposes."""
    try:
        from hearings.models import hearings
    except ImportError:  # pragma: no cover - the module always exists; its functions may not yet
        return None
    function = getattr(hearings, name, None)
    return list(function()[:limit]) if function else None


def index(request):
    """The section's landing page: open drafts with days left, upcoming hearings, past consultations."""
    today = clock.today()
    return render(
        request,
        "hearings/index.html",
        {
            "section": sections.get("hearings"),
            "open_drafts": list(open_drafts(today)),
            "past_drafts": list(past_drafts(today)),
            "upcoming_hearings": _hearings_part("upcoming_hearings"),
            "past_hearings": _hearings_part("past_hearings"),
            "today": today,
        },
    )
