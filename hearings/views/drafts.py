"""Drafts open for public comment, public side: the list, the draft page with its comment form, the comment list,
the adoption report, and the CSV exports.

Every page costs the same few queries whatever the number of comments: the draft
page shows each article's latest comments (a window function picks them in one
query) with a link to the full, paginated list.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civiccenter import sections
from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.lib.csvexport import csv_response
from civiccenter.throttle import throttled
from hearings.forms.drafts import CommentForm
from hearings.models.drafts import Comment, Draft

COMMENTS_PER_ARTICLE = 5
COMMENTS_PER_PAGE = 50


def section_trail():
    return [(reverse("hearings:index"), sections.get("hearings").title)]


def drafts_trail():
    return [*section_trail(), (reverse("hearings:drafts"), _("Drafts for comment"))]


def _published_draft(pk):
    return get_object_or_404(Draft.objects.published().for_list(), pk=pk)


def draft_list(request):
    today = clock.today()
    drafts = (
        Draft.objects.published()
        .for_list()
        .annotate(comment_count=Count("comments", filter=Q(comments__state=Comment.State.PUBLISHED)))
    )
    open_drafts, upcoming, closed = [], [], []
    for draft in drafts.order_by("closes_on", "pk"):
        if draft.is_open(today):
            open_drafts.append(draft)
        elif draft.not_yet_open(today):
            upcoming.append(draft)
        else:
            closed.append(draft)
    closed.sort(key=lambda d: (d.closes_on, d.pk), reverse=True)
    return render(
        request,
        "hearings/drafts/draft_list.html",
        {
            "open_drafts": open_drafts,
            "upcoming": upcoming,
            "closed": closed,
            "today": today,
            "trail": section_trail(),
        },
    )


@throttled("submit")
def draft_detail(request, pk):
    """The draft article by article, each with its published comments; the comment form; the commenter's own comments."""
    draft = _published_draft(pk)
    today = clock.today()
    form = None
    if draft.is_open(today):
        if request.method == "POST":
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            form = CommentForm(request.POST, draft=draft)
            if form.is_valid():
                try:
                    draft.submit_comment(
                        by=request.user,
                        text=form.cleaned_data["text"],
                        display_name=form.cleaned_data["display_name"],
                        article=form.cleaned_data["article"],
                        today=today,
                    )
                except InvalidTransition as error:
                    messages.warning(request, str(error))
                else:
                    messages.success(
                        request,
                        _("Thank you. Your comment was received; it will appear once a moderator has read it."),
                    )
                    return redirect(reverse("hearings:draft", args=[draft.pk]) + "#my-comments")
        elif request.user.is_authenticated:
            initial = {}
            article = request.GET.get("article")
            if article and article.isdigit():
                initial["article"] = int(article)
            form = CommentForm(draft=draft, initial=initial)
    elif request.method == "POST":
        messages.warning(request, _("This draft is not open for comment."))
        return redirect(draft)

    articles = list(
        draft.articles.annotate(
            comment_count=Count("comments", filter=Q(comments__state=Comment.State.PUBLISHED))
        ).order_by("number")
    )
    latest = (
        Comment.objects.published()
        .filter(draft=draft)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("article_id")], order_by=[F("created_at").desc(), F("pk").desc()])
        )
        .filter(rank__lte=COMMENTS_PER_ARTICLE)
        .order_by("created_at", "pk")
    )
    by_article = {}
    for comment in latest:
        by_article.setdefault(comment.article_id, []).append(comment)
    for article in articles:
        article.latest_comments = by_article.get(article.pk, [])
    whole_draft_comments = by_article.get(None, [])
    whole_draft_count = Comment.objects.published().filter(draft=draft, article__isnull=True).count()
    report = draft.report_or_none()
    report_published = bool(report and report.published_at)
    own_comments = []
    if request.user.is_authenticated:
        own_comments = list(Comment.objects.filter(draft=draft, author=request.user).select_related("article"))
    return render(
        request,
        "hearings/drafts/draft_detail.html",
        {
            "draft": draft,
            "articles": articles,
            "whole_draft_comments": whole_draft_comments,
            "whole_draft_count": whole_draft_count,
            "per_article": COMMENTS_PER_ARTICLE,
            "own_comments": own_comments,
            "form": form,
            "report": report if report_published else None,
            "today": today,
            "is_open": draft.is_open(today),
            "earliest_close": draft.earliest_close().due if draft.is_shortened else None,
            "trail": drafts_trail(),
        },
    )


def comment_list(request, pk):
    """All published comments on a draft, oldest first, 50 a page, for the whole draft or one article."""
    draft = _published_draft(pk)
    comments = Comment.objects.published().filter(draft=draft).select_related("article").order_by("created_at", "pk")
    article = None
    article_param = request.GET.get("article", "")
    if article_param == "none":
        comments = comments.filter(article__isnull=True)
    elif article_param:
        if not article_param.isdigit():
            raise Http404
        article = get_object_or_404(draft.articles, number=int(article_param))
        comments = comments.filter(article=article)
    page = Paginator(comments, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    report = draft.report_or_none()
    return render(
        request,
        "hearings/drafts/comment_list.html",
        {
            "draft": draft,
            "page": page,
            "article": article,
            "article_param": article_param,
            "show_dispositions": bool(report and report.published_at),
            "trail": [*drafts_trail(), (draft.get_absolute_url(), draft.title)],
        },
    )


def _published_report(pk):
    draft = _published_draft(pk)
    report = draft.report_or_none()
    if report is None or report.published_at is None:
        raise Http404
    return draft, report


def report_detail(request, pk):
    draft, report = _published_report(pk)
    own_comments = []
    if request.user.is_authenticated:
        own_comments = list(Comment.objects.filter(draft=draft, author=request.user).select_related("article"))
    return render(
        request,
        "hearings/drafts/report_detail.html",
        {
            "draft": draft,
            "report": report,
            "dispositions": Comment.Disposition.choices,
            "own_comments": own_comments,
            "trail": [*drafts_trail(), (draft.get_absolute_url(), draft.title)],
        },
    )


# CSV exports ---------------------------------------------------------------------------


def drafts_csv(request):
    site = request.build_absolute_uri("/").rstrip("/")
    drafts = (
        Draft.objects.published()
        .for_list()
        .annotate(comment_count=Count("comments", filter=Q(comments__state=Comment.State.PUBLISHED)))
        .order_by("-opens_on", "-pk")
    )
    rows = (
        [
            draft.pk,
            draft.title,
            draft.department.name,
            draft.kind.name,
            _("yes") if draft.major else _("no"),
            draft.opens_on.isoformat(),
            draft.closes_on.isoformat(),
            draft.shortened_reason,
            draft.get_status_display(),
            draft.comment_count,
            timezone.localdate(draft.report.published_at).isoformat() if draft.report_published else "",
            timezone.localdate(draft.decided_at).isoformat() if draft.decided_at else "",
            site + draft.get_absolute_url(),
        ]
        for draft in drafts
    )
    header = [
        _("Number"),
        _("Title"),
        _("Department"),
        _("Kind"),
        _("Major decision"),
        _("Comments open on"),
        _("Comments close on"),
        _("Reason for a shorter period"),
        _("Status"),
        _("Published comments"),
        _("Adoption report published on"),
        _("Decision published on"),
        _("Address"),
    ]
    return csv_response("drafts.csv", header, rows)


def comments_csv(request, pk):
    """Published comments, public fields only; their disposition once the adoption report is out."""
    draft = _published_draft(pk)
    show = draft.report_published
    comments = Comment.objects.published().filter(draft=draft).select_related("article").order_by("created_at", "pk")
    header = [
        _("Comment no."),
        _("Article commented on"),
        _("Name shown"),
        _("Comment as published"),
        _("Submitted on"),
    ]
    if show:
        header += [_("Disposition"), _("Reason")]

    def rows():
        for comment in comments:
            row = [
                comment.pk,
                comment.target_label,
                comment.display_name,
                comment.public_text,
                timezone.localtime(comment.created_at).date().isoformat(),
            ]
            if show:
                row += [comment.get_disposition_display(), comment.disposition_reason]
            yield row

    return csv_response(f"draft-{draft.pk}-comments.csv", header, rows())


def dispositions_csv(request, pk):
    """Every comment's disposition and reason (no text: withheld comments' wording stays private)."""
    draft, _report = _published_report(pk)
    comments = Comment.objects.filter(draft=draft).select_related("article").order_by("created_at", "pk")
    header = [_("Comment no."), _("Article commented on"), _("Moderation"), _("Disposition"), _("Reason")]
    rows = (
        [c.pk, c.target_label, c.get_state_display(), c.get_disposition_display(), c.disposition_reason]
        for c in comments
    )
    return csv_response(f"draft-{draft.pk}-dispositions.csv", header, rows)


def report_csv(request, pk):
    draft, report = _published_report(pk)
    keys = Comment.Disposition.values
    labels = dict(Comment.Disposition.choices)
    header = [_("Article commented on"), *(labels[key] for key in keys), _("Total")]
    rows = [[row["label"], *(row.get(key, 0) for key in keys), row["total"]] for row in report.counts]
    rows.append([_("Total"), *(report.totals.get(key, 0) for key in keys), report.totals.get("total", 0)])
    return csv_response(f"draft-{draft.pk}-adoption-report.csv", header, rows)
