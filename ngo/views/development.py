"""NGO development, public side: activities (with registration), achievements and news; and the pages where
administrators of verified organizations write and follow their own activities and achievements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiccenter import sections, submissions
from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.throttle import throttled
from ngo.forms.development import AchievementForm, ActivityFilterForm, ActivityForm
from ngo.models.development import (
    Achievement,
    Activity,
    ActivityRegistration,
    NewsItem,
    publishing_organizations,
)
from ngo.models.organizations import Organization

PER_PAGE = 12
# Lists page by number over at most this many pages: no deep OFFSET, whatever the data size.
MAX_PAGES = 20


def section_trail():
    return [(reverse("ngo:index"), sections.get("ngo-services").title)]


def bounded_page(request, queryset, per_page=PER_PAGE):
    """A page of at most MAX_PAGES pages of `queryset`; later pages answer with the last one."""
    paginator = Paginator(queryset[: per_page * MAX_PAGES], per_page)
    return paginator.get_page(request.GET.get("page"))


def _administered(user, organization_id):
    return Organization.objects.administered_by(user).filter(pk=organization_id).exists()


# Activities -----------------------------------------------------------------------


def activity_list(request):
    """Upcoming (soonest first) or past (latest first) published activities, filtered by field and organization."""
    form = ActivityFilterForm(request.GET or None)
    now = clock.now()
    activities = Activity.objects.published().for_list()
    past = False
    if form.is_valid():
        data = form.cleaned_data
        past = data["when"] == "past"
        if data["field"]:
            activities = activities.filter(organization__field=data["field"])
        if data["organization"]:
            activities = activities.filter(organization=data["organization"])
    if past:
        activities = activities.past(now).order_by("-starts_at", "-pk")
    else:
        activities = activities.upcoming(now).order_by("starts_at", "pk")
    return render(
        request,
        "ngo/development/activity_list.html",
        {
            "form": form,
            "page_obj": bounded_page(request, activities),
            "past": past,
            "can_publish": request.user.is_authenticated and publishing_organizations(request.user).exists(),
            "trail": section_trail(),
        },
    )


def _visible_activity(request, pk):
    """A published activity, or one of the user's organizations' in any state (a preview); else 404."""
    activity = get_object_or_404(Activity.objects.for_list().select_related("booking__venue"), pk=pk)
    if not activity.is_published and not _administered(request.user, activity.organization_id):
        raise Http404
    return activity


def activity_detail(request, pk):
    activity = _visible_activity(request, pk)
    registration = None
    if request.user.is_authenticated:
        registration = activity.registrations.filter(
            user=request.user, status=ActivityRegistration.Status.REGISTERED
        ).first()
    now = clock.now()
    return render(
        request,
        "ngo/development/activity_detail.html",
        {
            "activity": activity,
            "registration": registration,
            "is_open": activity.accepts_registrations(now),
            "has_started": activity.starts_at <= now,
            "is_administrator": _administered(request.user, activity.organization_id),
            "achievements": activity.achievements.published().for_list()[:12],
            "trail": [*section_trail(), (reverse("ngo:activities"), _("Activities"))],
        },
    )


@require_POST
@login_required
@throttled("submit")
@submissions.once
def activity_register(request, pk):
    activity = get_object_or_404(Activity.objects.published(), pk=pk)
    try:
        activity.register(by=request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You are registered for this activity."))
        return submissions.receipt(request, activity)
    return redirect(activity)


@require_POST
@login_required
def activity_cancel(request, pk):
    registration = get_object_or_404(
        ActivityRegistration.objects.filter(user=request.user, status=ActivityRegistration.Status.REGISTERED),
        activity_id=pk,
    )
    try:
        registration.cancel(by=request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("ngo:activity", pk=pk)


@login_required
def activity_registrants(request, pk):
    """Names and phones of the people registered: for the organization's administrators only."""
    activity = get_object_or_404(Activity.objects.administered_by(request.user).select_related("organization"), pk=pk)
    return render(
        request,
        "ngo/development/activity_registrants.html",
        {
            "activity": activity,
            "registrants": activity.registrants(),
            "trail": [
                *section_trail(),
                (reverse("ngo:development-mine"), _("My organization's activities and achievements")),
                (activity.get_absolute_url(), activity.title),
            ],
        },
    )


def _refused(request):
    """The verification gate, explained: only administrators of verified organizations publish."""
    return render(
        request,
        "ngo/development/not_a_publisher.html",
        {"trail": section_trail()},
        status=403,
    )


def _edit(request, *, instance, form_class, template, created_message, title):
    if not publishing_organizations(request.user).exists():
        return _refused(request)
    form = form_class(request.POST or None, request.FILES or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        try:
            item.submit(by=request.user, photos=form.cleaned_data["photos"])
        except InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, created_message)
            return redirect(item)
    return render(
        request,
        template,
        {
            "form": form,
            "item": instance if instance.pk else None,
            "title": title,
            "trail": [
                *section_trail(),
                (reverse("ngo:development-mine"), _("My organization's activities and achievements")),
            ],
        },
    )


@login_required
@throttled("submit")
def activity_create(request):
    return _edit(
        request,
        instance=Activity(),
        form_class=ActivityForm,
        template="ngo/development/activity_form.html",
        created_message=_("The activity is sent to the center's moderators; it appears once approved."),
        title=_("Publish an activity"),
    )


@login_required
def activity_edit(request, pk):
    activity = get_object_or_404(Activity.objects.administered_by(request.user), pk=pk)
    if not activity.editable_by_organization:
        messages.error(request, _("A published activity can no longer be changed."))
        return redirect(activity)
    return _edit(
        request,
        instance=activity,
        form_class=ActivityForm,
        template="ngo/development/activity_form.html",
        created_message=_("The changes are sent to the center's moderators."),
        title=_("Change the activity"),
    )


@login_required
def mine(request):
    """What the user's organizations have written, in every state, with what moderators asked to change."""
    organizations = list(Organization.objects.administered_by(request.user).order_by("name"))
    return render(
        request,
        "ngo/development/mine.html",
        {
            "organizations": organizations,
            "can_publish": any(organization.is_verified for organization in organizations),
            "activities": Activity.objects.administered_by(request.user)
            .select_related("organization")
            .order_by("-starts_at", "-pk")[:100],
            "achievements": Achievement.objects.administered_by(request.user)
            .select_related("organization")
            .order_by("-submitted_at", "-pk")[:100],
            "trail": section_trail(),
        },
    )


# Achievements ---------------------------------------------------------------------


def achievement_list(request):
    achievements = Achievement.objects.published().for_list().order_by("-published_at", "-pk")
    return render(
        request,
        "ngo/development/achievement_list.html",
        {
            "page_obj": bounded_page(request, achievements),
            "can_publish": request.user.is_authenticated and publishing_organizations(request.user).exists(),
            "trail": section_trail(),
        },
    )


def achievement_detail(request, pk):
    achievement = get_object_or_404(Achievement.objects.for_list(), pk=pk)
    if not achievement.is_published and not _administered(request.user, achievement.organization_id):
        raise Http404
    return render(
        request,
        "ngo/development/achievement_detail.html",
        {
            "achievement": achievement,
            "is_administrator": _administered(request.user, achievement.organization_id),
            "trail": [*section_trail(), (reverse("ngo:achievements"), _("Achievements"))],
        },
    )


@login_required
def achievement_create(request):
    initial_activity = request.GET.get("activity")
    achievement = Achievement()
    if initial_activity and initial_activity.isdigit():
        activity = Activity.objects.administered_by(request.user).filter(pk=initial_activity).first()
        if activity:
            achievement.activity, achievement.organization = activity, activity.organization
    return _edit(
        request,
        instance=achievement,
        form_class=AchievementForm,
        template="ngo/development/achievement_form.html",
        created_message=_("The achievement is sent to the center's moderators; it appears once approved."),
        title=_("Publish an achievement"),
    )


@login_required
def achievement_edit(request, pk):
    achievement = get_object_or_404(Achievement.objects.administered_by(request.user), pk=pk)
    if not achievement.editable_by_organization:
        messages.error(request, _("A published achievement can no longer be changed."))
        return redirect(achievement)
    return _edit(
        request,
        instance=achievement,
        form_class=AchievementForm,
        template="ngo/development/achievement_form.html",
        created_message=_("The changes are sent to the center's moderators."),
        title=_("Change the achievement"),
    )


# News -------------------------------------------------------------------------------


def news_list(request):
    return render(
        request,
        "ngo/development/news_list.html",
        {
            "page_obj": bounded_page(request, NewsItem.objects.published().order_by("-date", "-pk")),
            "trail": section_trail(),
        },
    )


def news_detail(request, pk):
    item = get_object_or_404(NewsItem.objects.published(), pk=pk)
    return render(
        request,
        "ngo/development/news_detail.html",
        {"item": item, "trail": [*section_trail(), (reverse("ngo:news"), _("News"))]},
    )
