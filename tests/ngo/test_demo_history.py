"""The NGO demo's organizations, activities, achievements and registrations were made by the real moves, each on
its own day: every history starts with its first step, runs forwards, ends at the status and is dated before the
demo was loaded; and the demo shows what it always did (which are pending, returned, verified, featured)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import F

from civiccenter.lib import clock
from civiccenter.stateful import StatusEvent
from demo.ngo import development, organizations
from ngo.models.development import Achievement, Activity, ActivityRegistration
from ngo.models.organizations import Organization

MODELS = (Organization, Activity, Achievement, ActivityRegistration)


def ngo_history_problems():
    """What is wrong with the NGO demo's status histories (used by tests/civiccenter/test_demo_any_time.py too)."""
    now = clock.now()
    problems = []
    for model in MODELS:
        kind = ContentType.objects.get_for_model(model)
        events = StatusEvent.objects.filter(content_type=kind).order_by("object_id", "created_at", "pk")
        last = {}
        for pk, old, new, when in events.values_list("object_id", "old_status", "new_status", "created_at"):
            label = f"{model.__name__} {pk}"
            if when > now:
                problems.append(f"{label}: a step after now ({when})")
            if pk not in last and old != "":
                problems.append(f"{label}: the first step is {old} → {new}")
            elif pk in last and old != last[pk]:
                problems.append(f"{label}: the history runs backwards ({last[pk]}, then {old} → {new})")
            last[pk] = new
        for pk, status in model.objects.values_list("pk", "status"):
            if last.get(pk) != status:
                problems.append(f"{model.__name__} {pk}: the history ends at {last.get(pk)}, the status is {status}")
    for name, rows in {
        "organization registered after now": Organization.objects.filter(created_at__gt=now),
        "organization verified before it registered": Organization.objects.filter(verified_at__lte=F("created_at")),
        "organization verified after now": Organization.objects.filter(verified_at__gt=now),
        "activity submitted after now": Activity.objects.filter(submitted_at__gt=now),
        "activity published after now": Activity.objects.filter(published_at__gt=now),
        "activity published before it was submitted": Activity.objects.filter(published_at__lte=F("submitted_at")),
        "activity published after it started": Activity.objects.filter(published_at__gte=F("starts_at")),
        "achievement published before it was submitted": Achievement.objects.filter(
            published_at__lte=F("submitted_at")
        ),
        "achievement published after now": Achievement.objects.filter(published_at__gt=now),
        "registration after now": ActivityRegistration.objects.filter(created_at__gt=now),
        "registration before publication": ActivityRegistration.objects.filter(
            created_at__lte=F("activity__published_at")
        ),
        "registration after the start": ActivityRegistration.objects.filter(created_at__gte=F("activity__starts_at")),
    }.items():
        problems += [f"{name}: {row}" for row in rows.values_list("pk", flat=True)[:5]]
    return problems


@pytest.mark.django_db
def test_every_ngo_history_runs_forwards_and_ends_before_the_demo_was_loaded(demo):
    assert ngo_history_problems() == []


@pytest.mark.django_db
def test_the_organizations_are_the_demos(demo):
    names = [row[0] for row in organizations.ORGANIZATIONS]
    by_name = {o.name: o for o in Organization.objects.filter(name__in=names)}
    assert len(by_name) == len(names)
    for index, name in enumerate(names):
        organization = by_name[name]
        expected = (
            "pending"
            if index in organizations.PENDING
            else "returned"
            if index in organizations.RETURNED
            else "verified"
        )
        assert organization.status == expected, name
        assert organization.uscc_check_failed == (index == organizations.PILOT), name
        assert organization.featured == (index in organizations.FEATURED), name
        assert organization.logo_thumbnail and organization.certificate, name
        if expected == "verified":
            assert organization.verified_by.email == organizations.VERIFIER
        if expected == "returned":
            assert organization.return_reason == organizations.RETURNED[index]
    owned = Organization.objects.administered_by(
        Organization.objects.get(name=names[0]).memberships.get(role="admin").user
    )
    assert set(owned.values_list("name", flat=True)) == {names[i] for i in organizations.REPRESENTATIVE_OWNS}
    assert by_name[names[0]].memberships.count() == 3


@pytest.mark.django_db
def test_the_activities_and_achievements_are_the_demos(demo):
    titles = {row[0] for row in development.ACTIVITIES + development.EXTRA}
    status = dict(Activity.objects.filter(title__in=titles).values_list("title", "status"))
    assert set(status) == titles
    for title in titles:
        expected = (
            "pending" if title in development.PENDING else "returned" if title in development.RETURNED else "published"
        )
        assert status[title] == expected, title
    assert Activity.objects.filter(booking__isnull=False).exists()
    assert ActivityRegistration.objects.count() >= 40
    past = ActivityRegistration.objects.filter(activity__starts_at__lt=clock.now())
    assert past.exists() and not past.filter(reminded=False).exists()  # the eve's sweep reminded them
    assert set(Achievement.objects.featured().values_list("title", flat=True)) == {
        development.ACHIEVEMENTS[i][0] for i in development.FEATURED
    }
    assert Achievement.objects.get(title=development.ACHIEVEMENT_PENDING[0]).status == "pending"
    assert Achievement.objects.get(title=development.ACHIEVEMENT_RETURNED[0][0]).status == "returned"
    assert not Achievement.objects.filter(photos__isnull=True).exists()
