"""The mutual assistance board, public and signed-in side.

The list shows open posts newest first, read with a keyset ("older" carries the
edge row's publication time and id), so every page costs the same few queries
whatever the size of the board. Contact details reach a page only through
`Post.poster_contact_for()` and `Response.contact_for()`; a post that is not
the visitor's is a 404 for the poster's actions.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiccenter import sections
from civiccenter.cases import InvalidTransition
from civiccenter.lib.keyset import decode_cursor, keyset
from civiccenter.throttle import throttled
from ngo.forms.board import BoardFilterForm, PostForm, ReportForm, ResponseForm, ThanksForm
from ngo.models.board import Post, Response

PER_PAGE = 20


def section_trail():
    return [(reverse("ngo:index") + "#mutual-aid", sections.get("mutual-aid").title)]


def board_trail():
    return [*section_trail(), (reverse("ngo:board"), _("Mutual assistance board"))]


def board(request):
    """Open needs and offers, filtered by kind, category and area."""
    form = BoardFilterForm(request.GET or None)
    posts = Post.objects.open().for_list()
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            posts = posts.filter(kind=data["kind"])
        if data["category"]:
            posts = posts.filter(category=data["category"])
        if data["area"]:
            posts = posts.filter(area__icontains=data["area"])
    cursor = decode_cursor(request.GET.get("older"))
    rows, older = keyset(posts, cursor, per_page=PER_PAGE)
    kept = [(k, v) for k, v in request.GET.items() if k != "older" and v]
    return render(
        request,
        "ngo/board/board.html",
        {
            "form": form,
            "posts": rows,
            "older_query": urlencode([*kept, ("older", older)]) if older else "",
            "first_query": urlencode(kept) if cursor else None,
            "trail": section_trail(),
        },
    )


def post_detail(request, pk):
    post = get_object_or_404(Post.objects.visible_to(request.user).select_related("organization", "author"), pk=pk)
    user = request.user
    is_poster = user.is_authenticated and user.pk == post.author_id
    responses, own_response = [], None
    if is_poster:
        # The poster reads every response, without the responders' contact details until one is accepted.
        responses = list(post.responses.filter(hidden=False).select_related("responder"))
        for response in responses:
            response.contact = response.contact_for(user)
            response.post = post
    elif user.is_authenticated:
        own_response = post.responses.filter(responder=user).first()
        if own_response is not None:
            own_response.post = post
            own_response.contact = own_response.contact_for(user)
    accepted = next((r for r in responses if r.accepted), None) if is_poster else None
    is_helper = own_response is not None and own_response.accepted
    can_respond = post.status == Post.Status.OPEN and user.is_authenticated and not is_poster and not own_response
    response_form = thanks_form = None
    if can_respond:
        response_form = ResponseForm(user=user)
        response_form.helper.form_action = reverse("ngo:board-respond", args=[post.pk])
    if _may_thank(post, user, is_poster, is_helper):
        thanks_form = ThanksForm()
        thanks_form.helper.form_action = reverse("ngo:board-thank", args=[post.pk])
    return render(
        request,
        "ngo/board/post_detail.html",
        {
            "post": post,
            "is_poster": is_poster,
            "is_helper": is_helper,
            "responses": responses,
            "accepted": accepted,
            "own_response": own_response,
            "poster_contact": post.poster_contact_for(user) if is_helper else None,
            "response_form": response_form,
            "can_respond": can_respond,
            "thanks_form": thanks_form,
            "trail": board_trail(),
        },
    )


def _may_thank(post, user, is_poster, is_helper):
    if post.status != Post.Status.CLOSED:
        return False
    if is_poster:
        return not post.poster_thanks and post.responses.filter(accepted=True).exists()
    return is_helper and not post.responder_thanks


@login_required
@throttled("submit")
def post_create(request):
    form = PostForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "organization"}
        try:
            post = Post.submit(by=request.user, organization=form.cleaned_data.get("organization"), **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your post will appear on the board once a moderator has read it."))
            return redirect(post)
    return render(
        request,
        "ngo/board/post_form.html",
        {"form": form, "trail": board_trail(), "title": _("Post a need or an offer")},
    )


@login_required
def post_edit(request, pk):
    """The poster corrects a post waiting for moderation or not published; a rejected post goes back to moderation."""
    post = get_object_or_404(Post.objects.of(request.user), pk=pk)
    if not post.can_edit:
        messages.warning(request, _("A published post can no longer be changed; close it and post again."))
        return redirect(post)
    form = PostForm(request.POST or None, instance=post, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():  # the correction and the return to moderation stand or fall together
            post = form.save()
            if post.status == Post.Status.REJECTED:
                post.resubmit(by=request.user)
        messages.success(request, _("Your post was saved and will be read by a moderator."))
        return redirect(post)
    return render(
        request,
        "ngo/board/post_form.html",
        {"form": form, "post": post, "trail": [*board_trail(), (post.get_absolute_url(), post.title)],
         "title": _("Change your post")},
    )  # fmt: skip


@require_POST
@login_required
@throttled("submit")
def respond(request, pk):
    post = get_object_or_404(Post.objects.public(), pk=pk)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            post.respond(by=request.user, **form.cleaned_data)
        except InvalidTransition as error:
            messages.warning(request, str(error))
        else:
            messages.success(
                request, _("Your response was sent. The poster will see your contact details if they accept it.")
            )
            return redirect(post)
        return redirect(post)
    return render(
        request,
        "ngo/board/respond.html",
        {"post": post, "form": form, "trail": [*board_trail(), (post.get_absolute_url(), post.title)]},
    )


@require_POST
@login_required
def accept(request, pk, response_pk):
    post = get_object_or_404(Post.objects.of(request.user), pk=pk)
    response = get_object_or_404(Response.objects.filter(post=post, hidden=False), pk=response_pk)
    try:
        post.accept(by=request.user, response=response)
    except InvalidTransition as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, _("You accepted the response: you can now see each other's contact details."))
    return redirect(post)


@require_POST
@login_required
def close(request, pk):
    post = get_object_or_404(Post.objects.of(request.user), pk=pk)
    try:
        post.close(by=request.user)
    except InvalidTransition as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, _("The post is closed. Thank you for helping each other."))
    return redirect(post)


@require_POST
@login_required
def thank(request, pk):
    post = get_object_or_404(Post.objects.public(), pk=pk)
    form = ThanksForm(request.POST)
    if form.is_valid():
        try:
            post.thank(by=request.user, text=form.cleaned_data["text"])
        except (InvalidTransition, ValidationError) as error:
            messages.warning(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Your thanks are shown on the post."))
    else:
        messages.warning(request, " ".join(form.errors.get("text", [])))
    return redirect(post)


def _report(request, *, post, response=None):
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = response or post
        try:
            target.report(by=request.user, reason=form.cleaned_data["reason"])
        except InvalidTransition as error:
            messages.info(request, str(error))
        else:
            messages.success(request, _("Thank you. A moderator will look at your report."))
        return redirect(post)
    return render(
        request,
        "ngo/board/report.html",
        {
            "form": form,
            "post": post,
            "response": response,
            "trail": [*board_trail(), (post.get_absolute_url(), post.title)],
        },
    )


@login_required
@throttled("submit")
def report_post(request, pk):
    post = get_object_or_404(Post.objects.public(), pk=pk)
    return _report(request, post=post)


@login_required
@throttled("submit")
def report_response(request, pk, response_pk):
    """Only the poster and the responder read a response, so only they can report it."""
    post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
    responses = Response.objects.filter(post=post, hidden=False)
    if request.user.pk != post.author_id:
        responses = responses.filter(responder=request.user)
    response = get_object_or_404(responses, pk=response_pk)
    return _report(request, post=post, response=response)


@login_required
def mine(request):
    """The signed-in user's posts (any state) and responses."""
    posts = Post.objects.of(request.user).select_related("organization").order_by("-created_at", "-pk")[:100]
    responses = (
        Response.objects.filter(responder=request.user).select_related("post").order_by("-created_at", "-pk")[:100]
    )
    return render(
        request,
        "ngo/board/mine.html",
        {"posts": posts, "responses": responses, "trail": board_trail()},
    )
