"""The citizen showcase: the gallery, a page per work, exhibitions, and the author's submission pages.

The gallery is read newest first with a keyset, its covers fetched in one
prefetch query, so a page costs the same few queries whatever the number of
works. Thumbnails are static files under the public media URL, made when the
image was saved.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civiccenter import sections
from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.lib.keyset import decode_cursor, keyset
from civiccenter.throttle import throttled
from ngo.forms.showcase import WorkForm
from ngo.models.showcase import Exhibition, Work, WorkImage

PER_PAGE = 24


def section_trail():
    return [(reverse("ngo:index") + "#showcase", sections.get("showcase").title)]


def showcase_trail():
    return [*section_trail(), (reverse("ngo:showcase"), _("Citizen showcase"))]


class CategoryFilterForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *Work.Category.choices]


def gallery(request):
    form = CategoryFilterForm(request.GET or None)
    works = Work.objects.for_gallery()
    if form.is_valid() and form.cleaned_data["category"]:
        works = works.filter(category=form.cleaned_data["category"])
    cursor = decode_cursor(request.GET.get("older"))
    rows, older = keyset(works, cursor, per_page=PER_PAGE)
    kept = [(k, v) for k, v in request.GET.items() if k != "older" and v]
    return render(
        request,
        "ngo/showcase/gallery.html",
        {
            "form": form,
            "works": rows,
            "older_query": urlencode([*kept, ("older", older)]) if older else "",
            "first_query": urlencode(kept) if cursor else None,
            "exhibitions": Exhibition.objects.current().order_by("ends_on", "pk")[:5],
            "trail": section_trail(),
        },
    )


def work_detail(request, pk):
    """A published work; its author also sees it while it waits, is returned or withdrawn."""
    works = Work.objects.select_related("author")
    work = get_object_or_404(works, pk=pk)
    is_author = request.user.is_authenticated and request.user.pk == work.author_id
    if work.status != Work.Status.APPROVED and not is_author:
        raise Http404
    exhibitions = work.exhibitions.published().order_by("-starts_on") if work.status == Work.Status.APPROVED else []
    return render(
        request,
        "ngo/showcase/work_detail.html",
        {
            "work": work,
            "images": list(work.images.all()),
            "is_author": is_author,
            "exhibitions": exhibitions,
            "trail": showcase_trail(),
        },
    )


def _save_images(work, files):
    start = work.images.count()
    for offset, file in enumerate(files):
        WorkImage.objects.create(work=work, image=file, order=start + offset)


@login_required
@throttled("submit")
def work_create(request):
    form = WorkForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                work = form.save(commit=False)
                work.submit(by=request.user)
                _save_images(work, form.cleaned_data["images"])
        except ValidationError as error:
            form.add_error("images", error)
        else:
            messages.success(
                request, _("Thank you. Your work will appear in the gallery once a moderator approves it.")
            )
            return redirect(work)
    return render(
        request,
        "ngo/showcase/work_form.html",
        {"form": form, "title": _("Submit a work"), "trail": showcase_trail()},
    )


@login_required
def work_edit(request, pk):
    """The author corrects a work waiting for moderation or returned; a returned work goes back to moderation."""
    work = get_object_or_404(Work.objects.of(request.user), pk=pk)
    if not work.can_edit:
        messages.warning(request, _("This work can no longer be changed."))
        return redirect(work)
    form = WorkForm(request.POST or None, request.FILES or None, instance=work)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                work = form.save()
                _save_images(work, form.cleaned_data["images"])
                if work.status == Work.Status.RETURNED:
                    work.resubmit(by=request.user)
        except (ValidationError, InvalidTransition) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Your work was saved and will be read by a moderator."))
            return redirect(work)
    return render(
        request,
        "ngo/showcase/work_form.html",
        {
            "form": form,
            "work": work,
            "title": _("Change your work"),
            "trail": [*showcase_trail(), (work.get_absolute_url(), work.title)],
        },
    )


@require_POST
@login_required
def withdraw(request, pk):
    work = get_object_or_404(Work.objects.of(request.user), pk=pk)
    try:
        work.withdraw(by=request.user)
    except InvalidTransition as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, _("Your work was withdrawn: it is no longer shown."))
    return redirect(work)


@login_required
def mine(request):
    works = Work.objects.of(request.user).prefetch_related("images").order_by("-created_at", "-pk")[:100]
    return render(request, "ngo/showcase/mine.html", {"works": works, "trail": showcase_trail()})


def exhibition_list(request):
    today = clock.today()
    exhibitions = Exhibition.objects.published().filter(starts_on__lte=today).order_by("-starts_on", "-pk")[:50]
    return render(
        request,
        "ngo/showcase/exhibition_list.html",
        {"exhibitions": exhibitions, "today": today, "trail": showcase_trail()},
    )


def exhibition_detail(request, pk):
    exhibition = get_object_or_404(Exhibition.objects.published(), pk=pk)
    first = WorkImage.objects.order_by("order", "pk")
    works = (
        Work.objects.approved()
        .filter(entries__exhibition=exhibition)
        .select_related("author")
        .prefetch_related(Prefetch("images", queryset=first, to_attr="gallery_images"))
        .order_by("entries__order", "entries__pk")
    )
    return render(
        request,
        "ngo/showcase/exhibition_detail.html",
        {
            "exhibition": exhibition,
            "works": works,
            "is_current": exhibition.is_current(),
            "trail": [*showcase_trail(), (reverse("ngo:showcase-exhibitions"), _("Exhibitions"))],
        },
    )
